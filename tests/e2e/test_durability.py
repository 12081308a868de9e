"""Durability: state survives a clean restart and a SIGKILL; nothing acknowledged is lost.

  * The seed page (run verbatim with the AWS CLI v2) survives SIGTERM + restart and SIGKILL +
    restart unchanged: IDs, ARNs, dates, attachments, AttachmentCount, documents byte for byte.
  * Under a write load from 8 threads (8 connections) for about 5 seconds, iamd is killed with
    SIGKILL; after a restart every write that had been answered 200 is there, and the state is
    whole: every listed role answers GetRole with its full trust policy, and each AWS managed
    policy's AttachmentCount equals the roles it is attached to.
  * When a role and an access key were last used (GetRole's RoleLastUsed, GetAccessKeyLastUsed)
    survives a SIGKILL once --last-used-interval has passed since the use, and a SIGTERM at once.
"""

import datetime
import threading
import time
import unittest
import urllib.parse

import botocore.exceptions

import iamd_fixture as fx

TRUST = fx.seed_file("ray_trust_policy.json").decode()
INLINE = fx.seed_file("ray_pass_role_policy.json").decode()
LOAD_SECONDS = 5.0
THREADS = 8


def account_state(server):
    """Everything the seed made, as boto3 sees it, plus the documents' raw wire text."""
    iam = server.client()
    strip = lambda r: {k: v for k, v in r.items() if k != "ResponseMetadata"}
    state = {
        "gaad": strip(iam.get_paginator("get_account_authorization_details").paginate(
            Filter=["Role", "LocalManagedPolicy"]).build_full_result()),
        "profiles": iam.list_instance_profiles()["InstanceProfiles"],
        "attachment_counts": {a: iam.get_policy(PolicyArn=a)["Policy"]["AttachmentCount"]
                              for a in fx.SEED_POLICY_ARNS},
        "aws_policy_ids": {a: iam.get_policy(PolicyArn=a)["Policy"]["PolicyId"]
                           for a in fx.SEED_POLICY_ARNS},
        "entities": {a: iam.list_entities_for_policy(PolicyArn=a)["PolicyRoles"]
                     for a in fx.SEED_POLICY_ARNS},
    }
    for role in ["ray-head", "ray-worker"]:
        status, _, body = server.raw({"Action": "GetRole", "RoleName": role})
        state["raw-trust-" + role] = fx.xml_text(body, "GetRoleResult/Role/AssumeRolePolicyDocument")
    status, _, body = server.raw({"Action": "GetRolePolicy", "RoleName": "ray-head",
                                  "PolicyName": fx.SEED_INLINE_POLICY})
    state["raw-inline"] = fx.xml_text(body, "GetRolePolicyResult/PolicyDocument")
    return state


class SeedSurvivesRestartTest(fx.ServerTestCase):

    server_seeded = True

    @classmethod
    def prepare_server(cls):
        cls.before = account_state(cls.server)

    def test_seed_state_is_complete_before_any_restart(self):
        # Guards the comparisons below against comparing two empty states.
        roles = {r["RoleName"]: r for r in self.before["gaad"]["RoleDetailList"]}
        self.assertEqual(sorted(roles), ["ray-head", "ray-worker"])
        self.assertEqual(self.before["attachment_counts"], {a: 1 for a in fx.SEED_POLICY_ARNS})
        self.assertEqual(urllib.parse.unquote_to_bytes(self.before["raw-inline"]),
                         fx.seed_file("ray_pass_role_policy.json"))

    def test_sigterm_exits_zero_and_restart_keeps_everything(self):
        code = self.server.stop()
        self.assertEqual(code, 0, self.server.logs())
        self.server.start()
        self.assertEqual(account_state(self.server), self.before)

    def test_sigkill_and_restart_keeps_everything(self):
        self.server.kill()
        self.server.start()
        self.assertEqual(account_state(self.server), self.before)

    def test_two_restarts_in_a_row_keep_everything(self):
        self.server.restart()
        self.server.restart()
        self.assertEqual(account_state(self.server), self.before)

    def test_new_ids_after_restart_do_not_collide_and_keep_the_shape(self):
        self.server.restart()
        iam = self.server.client()
        created = iam.create_role(RoleName="after-restart", AssumeRolePolicyDocument=TRUST)
        try:
            ids = {r["RoleId"] for r in iam.list_roles()["Roles"]}
            self.assertEqual(len(ids), 3)
            self.assertRegex(created["Role"]["RoleId"], r"^AROA[A-Z2-7]{17}$")
        finally:
            iam.delete_role(RoleName="after-restart")


class SigkillUnderLoadTest(fx.ServerTestCase):

    @classmethod
    def prepare_server(cls):
        cls.run_load_and_kill()
        cls.server.start()

    @classmethod
    def run_load_and_kill(cls):
        """8 threads write until iamd is SIGKILLed LOAD_SECONDS in; every 200 is recorded."""
        cls.acked_roles, cls.acked_inline, cls.acked_attach = set(), set(), set()
        cls.errors = []  # anything other than the expected connection failures after the kill
        cls.cut_by_the_kill = 0  # requests in flight when iamd died
        lock = threading.Lock()
        killed = threading.Event()
        clients = [cls.server.client(connect_timeout=2, read_timeout=10) for _ in range(THREADS)]

        def worker(t, iam):
            i = 0
            while not killed.is_set():
                name = "load-%d-%05d" % (t, i)
                i += 1
                policy_arn = fx.SEED_POLICY_ARNS[i % len(fx.SEED_POLICY_ARNS)]
                try:
                    iam.create_role(RoleName=name, AssumeRolePolicyDocument=TRUST)
                    with lock:
                        cls.acked_roles.add(name)
                    iam.put_role_policy(RoleName=name, PolicyName="inline",
                                        PolicyDocument=INLINE)
                    with lock:
                        cls.acked_inline.add(name)
                    iam.attach_role_policy(RoleName=name, PolicyArn=policy_arn)
                    with lock:
                        cls.acked_attach.add((name, policy_arn))
                except (botocore.exceptions.EndpointConnectionError,
                        botocore.exceptions.ConnectionClosedError,
                        botocore.exceptions.ReadTimeoutError,
                        botocore.exceptions.ConnectTimeoutError):
                    with lock:
                        if killed.is_set():
                            cls.cut_by_the_kill += 1
                        else:
                            cls.errors.append("%s: connection failed before the kill" % name)
                    return
                except Exception as e:  # noqa: BLE001 -- recorded, asserted empty below
                    if killed.is_set():
                        return
                    with lock:
                        cls.errors.append("%s: %r" % (name, e))
                    return

        threads = [threading.Thread(target=worker, args=(t, c), daemon=True)
                   for t, c in enumerate(clients)]
        for th in threads:
            th.start()
        time.sleep(LOAD_SECONDS)
        killed.set()  # first, so that failures from here on count as the kill's
        cls.server.kill()
        for th in threads:
            th.join(30)
        cls.stuck = [th.name for th in threads if th.is_alive()]

    def test_load_ran_without_errors_before_the_kill(self):
        self.assertEqual(self.errors, [])
        self.assertEqual(self.stuck, [])

    def test_load_acknowledged_enough_writes_to_mean_something(self):
        self.assertGreaterEqual(len(self.acked_roles), 8 * 5)

    def test_the_kill_cut_requests_in_flight(self):
        self.assertGreaterEqual(self.cut_by_the_kill, 1)

    def test_every_acknowledged_role_exists(self):
        iam = self.server.client()
        listed = {r["RoleName"] for r in
                  iam.get_paginator("list_roles").paginate().build_full_result()["Roles"]}
        self.assertEqual(sorted(self.acked_roles - listed), [])

    def test_every_acknowledged_inline_policy_exists(self):
        iam = self.server.client()
        missing = []
        for name in sorted(self.acked_inline):
            try:
                iam.get_role_policy(RoleName=name, PolicyName="inline")
            except botocore.exceptions.ClientError as e:
                missing.append((name, e.response["Error"]["Code"]))
        self.assertEqual(missing, [])

    def test_every_acknowledged_attachment_exists(self):
        iam = self.server.client()
        missing = []
        for name, arn in sorted(self.acked_attach):
            attached = [p["PolicyArn"] for p in
                        iam.list_attached_role_policies(RoleName=name)["AttachedPolicies"]]
            if arn not in attached:
                missing.append((name, arn))
        self.assertEqual(missing, [])

    def test_every_existing_role_is_whole(self):
        iam = self.server.client()
        roles = iam.get_paginator("list_roles").paginate().build_full_result()["Roles"]
        broken = []
        for r in roles:
            try:
                got = iam.get_role(RoleName=r["RoleName"])["Role"]
            except botocore.exceptions.ClientError as e:
                broken.append((r["RoleName"], e.response["Error"]["Code"]))
                continue
            if (got["RoleId"], got["Arn"]) != (r["RoleId"], r["Arn"]):
                broken.append((r["RoleName"], "list/get disagree"))
            status, _, body = self.server.raw({"Action": "GetRole", "RoleName": r["RoleName"]})
            raw = fx.xml_text(body, "GetRoleResult/Role/AssumeRolePolicyDocument")
            if urllib.parse.unquote(raw) != TRUST:
                broken.append((r["RoleName"], "trust policy differs"))
        self.assertEqual(broken, [])

    def test_attachment_counts_match_the_attachments(self):
        iam = self.server.client()
        for arn in fx.SEED_POLICY_ARNS:
            with self.subTest(arn):
                entities = iam.get_paginator("list_entities_for_policy").paginate(
                    PolicyArn=arn).build_full_result()["PolicyRoles"]
                count = iam.get_policy(PolicyArn=arn)["Policy"]["AttachmentCount"]
                self.assertEqual(count, len(entities))

    def test_server_takes_writes_after_the_crash(self):
        iam = self.server.client()
        iam.create_role(RoleName="after-crash", AssumeRolePolicyDocument=TRUST)
        self.assertEqual(iam.get_role(RoleName="after-crash")["Role"]["RoleName"], "after-crash")


class LastUsedSurvivesRestartTest(fx.ServerTestCase):
    """A user's key assumes a role in us-west-2; then iamd stops, by SIGKILL after the interval
    (1 s here) or by SIGTERM right away, and starts again on the same data."""

    server_args = ("--last-used-interval", "1")

    @classmethod
    def prepare_server(cls):
        cls.user = fx.create_user_with_key(cls.iam, "last-used-user")
        trust = fx.document({"Effect": "Allow", "Principal": {"AWS": cls.user["arn"]},
                             "Action": "sts:AssumeRole"})
        for role in ("used-before-kill", "used-before-term"):
            cls.iam.create_role(RoleName=role, AssumeRolePolicyDocument=trust)

    def use(self, role):
        """Assumes `role` with the user's key in us-west-2; returns the time around the call."""
        sts = self.server.client("sts", region="us-west-2", key_id=self.user["key_id"],
                                 secret=self.user["secret"])
        now = lambda: datetime.datetime.now(datetime.timezone.utc)  # boto3's dates have a zone
        before = now().replace(microsecond=0)
        sts.assume_role(RoleArn=fx.arn("role", role), RoleSessionName="s1")
        return before, now()

    def check_last_used(self, role, before, after):
        iam = self.server.client()
        used = iam.get_role(RoleName=role)["Role"]["RoleLastUsed"]
        self.assertEqual(used["Region"], "us-west-2")
        self.assertTrue(before <= used["LastUsedDate"] <= after, (before, used, after))
        key = iam.get_access_key_last_used(AccessKeyId=self.user["key_id"])
        self.assertEqual(key["UserName"], "last-used-user")
        self.assertEqual(key["AccessKeyLastUsed"]["ServiceName"], "sts")
        self.assertEqual(key["AccessKeyLastUsed"]["Region"], "us-west-2")
        self.assertTrue(before <= key["AccessKeyLastUsed"]["LastUsedDate"] <= after)

    def test_1_sigkill_after_the_interval_keeps_the_last_use(self):
        before, after = self.use("used-before-kill")
        self.check_last_used("used-before-kill", before, after)  # in memory
        time.sleep(2.5)  # the interval (1 s) and a commit
        self.server.kill()
        self.server.start()
        self.check_last_used("used-before-kill", before, after)

    def test_2_sigterm_right_after_a_use_keeps_it(self):
        before, after = self.use("used-before-term")
        self.server.restart()
        self.check_last_used("used-before-term", before, after)
        # The role used before the kill still shows its own use.
        used = self.server.client().get_role(RoleName="used-before-kill")["Role"]["RoleLastUsed"]
        self.assertLess(used["LastUsedDate"], before)


if __name__ == "__main__":
    unittest.main()
