"""STS on iamd's endpoint, end to end (issue 4): AssumeRole against trust policies, the role
session's permissions and their narrowing, GetSessionToken, session tags, role chaining and
the temporary credentials themselves; GetFederationToken.

Messages: notes/aws-errors.md "AssumeRole (STS)" (X rows: "User: <caller> is not authorized to
perform: sts:AssumeRole on resource: <role-arn>", "... sts:TagSession ...", "Roles may not be
assumed by root accounts.", "The requested DurationSeconds exceeds the MaxSessionDuration set for
this role."; S rows: roleSessionName validation, value echoed), "Any operation -- token errors"
(ExpiredToken), shared/AWS-WIRE.md "Refusals" (InvalidClientTokenId) and "STS". AWS's texts not
in the notes, as its SDKs print them: "The requested DurationSeconds exceeds the 1 hour session
limit for roles assumed by role chaining." and "Cannot call GetSessionToken with session
credentials" (both 4xx from sts.amazonaws.com).

Expiry: Expiration is checked to be now + DurationSeconds; ExpiryTest then restarts the server
on the same data under libfaketime (Debian's faketime package), its clock moved to just before
and just after the end of a 900-second session, and signs each request at that moved time too.
src/api/service_test.cc covers expiry in process with a fake clock.
"""

import datetime
import json
import os
import shutil
import subprocess
import time
import unittest

import iamd_fixture as fx

ACCOUNT = fx.ACCOUNT_ID
INVALID_TOKEN = "The security token included in the request is invalid."
READ_ONLY = "arn:aws:iam::aws:policy/IAMReadOnlyAccess"
TRUST_EC2 = fx.seed_file("ray_trust_policy.json").decode()
SESSION_ARN = "arn:aws:sts::%s:assumed-role/%s/%s"


def trust(principal, actions="sts:AssumeRole", **extra):
    statement = {"Effect": "Allow", "Principal": principal, "Action": actions}
    statement.update(extra)
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def utc(when):
    return when.astimezone(datetime.timezone.utc).replace(tzinfo=None)


class StsCase(fx.ServerTestCase):

    maxDiff = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        iam = cls.iam
        cls.alice = fx.create_user_with_key(iam, "alice", inline=fx.document(
            fx.allow("sts:AssumeRole")))
        cls.bob = fx.create_user_with_key(iam, "bob")
        cls.reader = iam.create_role(RoleName="reader",
                                     AssumeRolePolicyDocument=trust({"AWS": cls.alice["arn"]}))["Role"]
        iam.attach_role_policy(RoleName="reader", PolicyArn=READ_ONLY)
        iam.create_role(RoleName="ray-head", AssumeRolePolicyDocument=TRUST_EC2)

    def sts(self, who=None, token=None, key_id=None, secret=None, validate=True):
        if who is not None:
            key_id, secret = who["key_id"], who["secret"]
        return self.server.client("sts", key_id=key_id or fx.ROOT_KEY_ID,
                                  secret=secret or fx.ROOT_SECRET, token=token, validate=validate)

    def session_clients(self, creds):
        kw = dict(key_id=creds["AccessKeyId"], secret=creds["SecretAccessKey"],
                  token=creds["SessionToken"])
        return self.server.client(**kw), self.server.client("sts", **kw)

    def assume(self, role, session="s1", who=None, **kwargs):
        return self.sts(who or self.alice).assume_role(
            RoleArn=fx.arn("role", role), RoleSessionName=session, **kwargs)

    def assertDenied(self, call, message, *args, **kwargs):
        self.assertEqual(fx.error_of(call, *args, **kwargs),
                         (403, "Sender", "AccessDenied", message))

    def assertExpiresIn(self, expiration, seconds, before, after):
        self.assertGreaterEqual(utc(expiration), before + datetime.timedelta(seconds=seconds - 2))
        self.assertLessEqual(utc(expiration), after + datetime.timedelta(seconds=seconds + 2))

    def refused_assume(self, who_arn, role):
        return ("User: %s is not authorized to perform: sts:AssumeRole on resource: %s"
                % (who_arn, fx.arn("role", role)))


class AssumeRoleTest(StsCase):

    def test_assume_role_response(self):
        before = fx.utcnow()
        out = self.assume("reader", "s1")
        after = fx.utcnow()
        self.assertEqual(out["AssumedRoleUser"], {
            "Arn": SESSION_ARN % (ACCOUNT, "reader", "s1"),
            "AssumedRoleId": self.reader["RoleId"] + ":s1"})
        creds = out["Credentials"]
        self.assertEqual(sorted(creds), ["AccessKeyId", "Expiration", "SecretAccessKey",
                                         "SessionToken"])
        self.assertRegex(creds["AccessKeyId"], r"^ASIA[A-Z0-9]{16}$")
        self.assertEqual(len(creds["SecretAccessKey"]), 40)
        self.assertGreater(len(creds["SessionToken"]), 40)
        self.assertExpiresIn(creds["Expiration"], 3600, before, after)  # the default hour
        # aws-errors.md §STS: no PackedPolicySize without a session policy or tags.
        self.assertNotIn("PackedPolicySize", out)

    def test_get_role_shows_when_and_where_the_role_was_last_assumed(self):
        # IAM API reference, RoleLastUsed: LastUsedDate and Region of the last AssumeRole;
        # empty until then.
        self.iam.create_role(RoleName="last-used",
                             AssumeRolePolicyDocument=trust({"AWS": self.alice["arn"]}))
        self.assertEqual(self.iam.get_role(RoleName="last-used")["Role"]["RoleLastUsed"], {})
        before = fx.utcnow().replace(microsecond=0)
        self.sts(self.alice).assume_role(RoleArn=fx.arn("role", "last-used"),
                                         RoleSessionName="probe")
        used = self.iam.get_role(RoleName="last-used")["Role"]["RoleLastUsed"]
        self.assertEqual(sorted(used), ["LastUsedDate", "Region"])
        self.assertEqual(used["Region"], "us-east-1")
        self.assertGreaterEqual(utc(used["LastUsedDate"]), before)
        self.assertLessEqual(utc(used["LastUsedDate"]), fx.utcnow() + datetime.timedelta(seconds=1))
        # Another role still has none.
        self.assertEqual(self.iam.get_role(RoleName="ray-head")["Role"]["RoleLastUsed"], {})

    def test_caller_identity_of_the_session(self):
        creds = self.assume("reader", "who-am-i")["Credentials"]
        _, sts = self.session_clients(creds)
        who = sts.get_caller_identity()
        self.assertEqual((who["Arn"], who["UserId"], who["Account"]),
                         (SESSION_ARN % (ACCOUNT, "reader", "who-am-i"),
                          self.reader["RoleId"] + ":who-am-i", ACCOUNT))
        self.assertRegex(who["UserId"], r"^AROA[A-Z0-9]{17}:who-am-i$")

    def test_session_of_a_role_on_a_path_has_no_path_in_its_arn(self):
        role = self.iam.create_role(RoleName="pathed", Path="/team/x/",
                                    AssumeRolePolicyDocument=trust({"AWS": self.alice["arn"]}))["Role"]
        out = self.assume("team/x/pathed", "pp")
        self.assertEqual(out["AssumedRoleUser"]["Arn"], SESSION_ARN % (ACCOUNT, "pathed", "pp"))
        self.assertEqual(out["AssumedRoleUser"]["AssumedRoleId"], role["RoleId"] + ":pp")

    def test_session_acts_with_the_roles_permissions(self):
        iam, _ = self.session_clients(self.assume("reader", "acting")["Credentials"])
        names = {r["RoleName"] for r in iam.list_roles()["Roles"]}
        self.assertIn("ray-head", names)
        iam.get_role(RoleName="ray-head")
        session = SESSION_ARN % (ACCOUNT, "reader", "acting")
        self.assertDenied(iam.create_role, fx.denied(
            session, "iam:CreateRole", fx.arn("role", "made-by-session")),
            RoleName="made-by-session", AssumeRolePolicyDocument=TRUST_EC2)
        # alice herself may not list roles: the session has the role's rights, not hers.
        alice_iam = self.server.client(key_id=self.alice["key_id"], secret=self.alice["secret"])
        self.assertDenied(alice_iam.list_roles, fx.denied(
            self.alice["arn"], "iam:ListRoles", fx.arn("role", "")))

    def test_cli_v2_with_session_credentials(self):
        creds = self.assume("reader", "cli-session")["Credentials"]
        env = self.server.cli_env(creds["AccessKeyId"], creds["SecretAccessKey"],
                                  creds["SessionToken"])
        out = self.server.run_cli(fx.AWS_CLI_V2, "sts", "get-caller-identity", "--output", "json",
                                  env=env)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(json.loads(out.stdout)["Arn"],
                         SESSION_ARN % (ACCOUNT, "reader", "cli-session"))
        out = self.server.run_cli(fx.AWS_CLI_V2, "iam", "create-group", "--group-name", "x",
                                  env=env)
        self.assertEqual(out.returncode, 254, out.stderr)
        self.assertEqual(out.stderr.strip(),
                         "An error occurred (AccessDenied) when calling the CreateGroup operation: "
                         + fx.denied(SESSION_ARN % (ACCOUNT, "reader", "cli-session"),
                                     "iam:CreateGroup", fx.arn("group", "x")))

    def test_session_policy_narrows_the_session(self):
        out = self.assume("reader", "narrow", Policy=fx.document(fx.allow("iam:GetRole")))
        self.assertIsInstance(out.get("PackedPolicySize"), int)
        iam, _ = self.session_clients(out["Credentials"])
        iam.get_role(RoleName="ray-head")
        self.assertDenied(iam.list_roles, fx.denied(
            SESSION_ARN % (ACCOUNT, "reader", "narrow"), "iam:ListRoles", fx.arn("role", ""),
            "session"))

    def test_session_policy_cannot_widen_the_session(self):
        out = self.assume("reader", "wide", Policy=fx.document(fx.allow("iam:*")))
        iam, _ = self.session_clients(out["Credentials"])
        iam.list_roles()
        self.assertDenied(iam.create_role, fx.denied(
            SESSION_ARN % (ACCOUNT, "reader", "wide"), "iam:CreateRole",
            fx.arn("role", "wider")), RoleName="wider", AssumeRolePolicyDocument=TRUST_EC2)

    def test_session_policy_deny(self):
        out = self.assume("reader", "deny", Policy=fx.document(
            fx.allow("iam:*"), fx.deny("iam:GetRole")))
        iam, _ = self.session_clients(out["Credentials"])
        iam.list_roles()
        message = fx.error_of(iam.get_role, RoleName="ray-head")
        self.assertEqual(message[:3], (403, "Sender", "AccessDenied"))
        self.assertTrue(message[3].startswith(
            "User: %s is not authorized to perform: iam:GetRole on resource: role ray-head with "
            "an explicit deny in a session policy" % (SESSION_ARN % (ACCOUNT, "reader", "deny"))),
            message[3])

    def test_policy_arns_narrow_the_session(self):
        only_list = self.iam.create_policy(PolicyName="list-roles-only", PolicyDocument=fx.document(
            fx.allow("iam:ListRoles")))["Policy"]["Arn"]
        out = self.assume("reader", "arns", PolicyArns=[{"arn": only_list}])
        self.assertIsInstance(out.get("PackedPolicySize"), int)
        iam, _ = self.session_clients(out["Credentials"])
        iam.list_roles()
        self.assertDenied(iam.get_role, fx.denied(
            SESSION_ARN % (ACCOUNT, "reader", "arns"), "iam:GetRole", "role ray-head", "session"),
            RoleName="ray-head")

    def test_user_cannot_assume_ray_head(self):
        self.assertDenied(self.assume, self.refused_assume(self.alice["arn"], "ray-head"),
                          "ray-head", "try")

    def test_user_cannot_assume_ray_head_cli_v2(self):
        out = self.server.run_cli(
            fx.AWS_CLI_V2, "sts", "assume-role", "--role-arn", fx.arn("role", "ray-head"),
            "--role-session-name", "try", env=self.server.cli_env(self.alice["key_id"],
                                                                  self.alice["secret"]))
        self.assertEqual(out.returncode, 254, out.stderr)
        self.assertEqual(out.stderr.strip(),
                         "An error occurred (AccessDenied) when calling the AssumeRole operation: "
                         + self.refused_assume(self.alice["arn"], "ray-head"))

    def test_missing_role_is_access_denied(self):
        # AWS does not say whether the role exists.
        self.assertDenied(self.assume, self.refused_assume(self.alice["arn"], "no-such-role"),
                          "no-such-role", "try")

    def test_root_cannot_assume_a_role(self):
        self.assertDenied(self.sts().assume_role, "Roles may not be assumed by root accounts.",
                          RoleArn=fx.arn("role", "reader"), RoleSessionName="root")

    def test_account_root_in_trust_needs_an_identity_policy(self):
        self.iam.create_role(RoleName="account-trust",
                             AssumeRolePolicyDocument=trust({"AWS": "arn:aws:iam::%s:root" % ACCOUNT}))
        self.iam.create_role(RoleName="account-id-trust",
                             AssumeRolePolicyDocument=trust({"AWS": ACCOUNT}))
        carl = fx.create_user_with_key(self.iam, "carl")
        for role in ("account-trust", "account-id-trust"):
            self.assertDenied(self.assume, self.refused_assume(carl["arn"], role), role, "cc",
                              who=carl)
        # alice's identity policy allows sts:AssumeRole on every role.
        for role in ("account-trust", "account-id-trust"):
            self.assertEqual(self.assume(role, "aa")["AssumedRoleUser"]["Arn"],
                             SESSION_ARN % (ACCOUNT, role, "aa"))
        # An identity policy naming only one of them.
        self.iam.put_user_policy(UserName="carl", PolicyName="one", PolicyDocument=fx.document(
            fx.allow("sts:AssumeRole", fx.arn("role", "account-trust"))))
        self.assume("account-trust", "cc", who=carl)
        self.assertDenied(self.assume, self.refused_assume(carl["arn"], "account-id-trust"),
                          "account-id-trust", "cc", who=carl)

    def test_user_named_in_trust_needs_no_identity_policy(self):
        # Same account: a resource-based policy (the trust policy) naming the user's ARN
        # allows on its own (IAM User Guide, policy evaluation logic).
        dora = fx.create_user_with_key(self.iam, "dora")
        self.iam.create_role(RoleName="dora-role", AssumeRolePolicyDocument=trust({"AWS": dora["arn"]}))
        out = self.assume("dora-role", "dd", who=dora)
        self.assertEqual(out["AssumedRoleUser"]["Arn"], SESSION_ARN % (ACCOUNT, "dora-role", "dd"))
        # ...but an explicit deny in her identity policy still wins.
        self.iam.put_user_policy(UserName="dora", PolicyName="no", PolicyDocument=fx.document(
            fx.deny("sts:AssumeRole")))
        self.assertDenied(self.assume, self.refused_assume(dora["arn"], "dora-role"),
                          "dora-role", "dd", who=dora)

    def test_other_user_is_not_matched_by_a_trust_naming_alice(self):
        erin = fx.create_user_with_key(self.iam, "erin", inline=fx.document(
            fx.allow("sts:AssumeRole")))
        self.assertDenied(self.assume, self.refused_assume(erin["arn"], "reader"), "reader", "ee",
                          who=erin)

    def test_external_id_condition(self):
        self.iam.create_role(RoleName="external", AssumeRolePolicyDocument=trust(
            {"AWS": self.alice["arn"]},
            Condition={"StringEquals": {"sts:ExternalId": "unguessable-42"}}))
        refused = self.refused_assume(self.alice["arn"], "external")
        self.assertDenied(self.assume, refused, "external", "xx")
        self.assertDenied(self.assume, refused, "external", "xx", ExternalId="guess-41")
        out = self.assume("external", "xx", ExternalId="unguessable-42")
        self.assertEqual(out["AssumedRoleUser"]["Arn"], SESSION_ARN % (ACCOUNT, "external", "xx"))

    def test_duration_above_max_session_duration(self):
        self.iam.create_role(RoleName="short", AssumeRolePolicyDocument=trust(
            {"AWS": self.alice["arn"]}))
        self.assertEqual(fx.error_of(self.assume, "short", "dd", DurationSeconds=3601),
                         (400, "Sender", "ValidationError",
                          "The requested DurationSeconds exceeds the MaxSessionDuration set for "
                          "this role."))
        self.iam.update_role(RoleName="short", MaxSessionDuration=7200)
        before = fx.utcnow()
        creds = self.assume("short", "dd", DurationSeconds=7200)["Credentials"]
        self.assertExpiresIn(creds["Expiration"], 7200, before, fx.utcnow())
        self.assertEqual(fx.error_of(self.assume, "short", "dd", DurationSeconds=7201)[2],
                         "ValidationError")

    def test_expiration_is_now_plus_duration_seconds(self):
        before = fx.utcnow()
        creds = self.assume("reader", "short-lived", DurationSeconds=900)["Credentials"]
        self.assertExpiresIn(creds["Expiration"], 900, before, fx.utcnow())

    def test_duration_below_900(self):
        sts = self.sts(self.alice, validate=False)
        self.assertEqual(
            fx.error_of(sts.assume_role, RoleArn=fx.arn("role", "reader"), RoleSessionName="dd",
                        DurationSeconds=899),
            (400, "Sender", "ValidationError",
             "1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy "
             "constraint: Member must have value greater than or equal to 900"))

    def test_role_session_name_validation(self):
        sts = self.sts(self.alice, validate=False)
        self.assertEqual(
            fx.error_of(sts.assume_role, RoleArn=fx.arn("role", "reader"),
                        RoleSessionName="Session1:2"),
            (400, "Sender", "ValidationError",
             "1 validation error detected: Value 'Session1:2' at 'roleSessionName' failed to "
             "satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*"))
        self.assertEqual(
            fx.error_of(sts.assume_role, RoleArn=fx.arn("role", "reader"), RoleSessionName="s" * 65),
            (400, "Sender", "ValidationError",
             "1 validation error detected: Value '%s' at 'roleSessionName' failed to satisfy "
             "constraint: Member must have length less than or equal to 64" % ("s" * 65)))

    def test_invalid_role_arn(self):
        sts = self.sts(self.alice, validate=False)
        self.assertEqual(fx.error_of(sts.assume_role, RoleArn="nothing-valid-in-here",
                                     RoleSessionName="ss"),
                         (400, "Sender", "ValidationError", "nothing-valid-in-here is invalid"))


class TokenTest(StsCase):

    def test_tampered_session_token(self):
        creds = self.assume("reader", "tamper")["Credentials"]
        token = creds["SessionToken"]
        middle = len(token) // 2
        for bad in (token[:middle] + ("A" if token[middle] != "A" else "B") + token[middle + 1:],
                    token[:-8], token + "AAAA", "not-a-token"):
            iam = self.server.client(key_id=creds["AccessKeyId"],
                                     secret=creds["SecretAccessKey"], token=bad)
            self.assertEqual(fx.error_of(iam.list_roles),
                             (403, "Sender", "InvalidClientTokenId", INVALID_TOKEN), bad)

    def test_session_key_without_its_token(self):
        creds = self.assume("reader", "no-token")["Credentials"]
        iam = self.server.client(key_id=creds["AccessKeyId"], secret=creds["SecretAccessKey"])
        self.assertEqual(fx.error_of(iam.list_roles),
                         (403, "Sender", "InvalidClientTokenId", INVALID_TOKEN))

    def test_token_of_another_session(self):
        one = self.assume("reader", "one")["Credentials"]
        two = self.assume("reader", "two")["Credentials"]
        iam = self.server.client(key_id=one["AccessKeyId"], secret=one["SecretAccessKey"],
                                 token=two["SessionToken"])
        status, _, code, _ = fx.error_of(iam.list_roles)
        self.assertEqual((status, code), (403, "InvalidClientTokenId"))

    def test_wrong_secret_with_a_valid_token(self):
        creds = self.assume("reader", "bad-secret")["Credentials"]
        iam = self.server.client(key_id=creds["AccessKeyId"], secret="x" * 40,
                                 token=creds["SessionToken"])
        self.assertEqual(fx.error_of(iam.list_roles)[:3], (403, "Sender", "SignatureDoesNotMatch"))

    def test_get_session_token_for_a_user(self):
        before = fx.utcnow()
        out = self.sts(self.alice).get_session_token()
        creds = out["Credentials"]
        self.assertRegex(creds["AccessKeyId"], r"^ASIA[A-Z0-9]{16}$")
        self.assertExpiresIn(creds["Expiration"], 43200, before, fx.utcnow())  # 12 h default
        iam, sts = self.session_clients(creds)
        who = sts.get_caller_identity()
        self.assertEqual((who["Arn"], who["UserId"]), (self.alice["arn"], self.alice["id"]))
        # Without MFA these credentials may call no IAM API at all (STS API reference,
        # GetSessionToken: "Cannot call IAM API operations unless MFA authentication
        # information is included in the request"), whatever the user's policies allow; IAM's
        # answer as recorded in aws/aws-cli#8918 (no final period).
        self.assertEqual(fx.error_of(iam.list_roles),
                         (403, "Sender", "InvalidClientTokenId",
                          "The security token included in the request is invalid"))
        out = sts.assume_role(RoleArn=fx.arn("role", "reader"), RoleSessionName="via-token")
        self.assertEqual(out["AssumedRoleUser"]["Arn"],
                         SESSION_ARN % (ACCOUNT, "reader", "via-token"))

    def test_get_session_token_needs_no_permission(self):
        before = fx.utcnow()
        creds = self.sts(self.bob).get_session_token(DurationSeconds=900)["Credentials"]
        self.assertExpiresIn(creds["Expiration"], 900, before, fx.utcnow())
        _, sts = self.session_clients(creds)
        self.assertEqual(sts.get_caller_identity()["Arn"], self.bob["arn"])

    def test_session_credentials_cannot_call_get_session_token(self):
        sessions = [self.assume("reader", "no-gst")["Credentials"],
                    self.sts(self.alice).get_session_token()["Credentials"]]
        for creds in sessions:
            _, sts = self.session_clients(creds)
            self.assertEqual(fx.error_of(sts.get_session_token),
                             (403, "Sender", "AccessDenied",
                              "Cannot call GetSessionToken with session credentials"))

    def test_get_access_key_info(self):
        sts = self.sts()
        self.assertEqual(sts.get_access_key_info(AccessKeyId=self.alice["key_id"])["Account"],
                         ACCOUNT)
        creds = self.assume("reader", "info")["Credentials"]
        self.assertEqual(sts.get_access_key_info(AccessKeyId=creds["AccessKeyId"])["Account"],
                         ACCOUNT)

FEDERATED_ARN = "arn:aws:sts::%s:federated-user/%s"


class FederationTokenTest(StsCase):
    """GetFederationToken (STS API reference; IAM User Guide, "Permissions for
    GetFederationToken", "Passing session tags in AWS STS"): a user's or the root user's
    long-term keys get credentials of a federated user arn:aws:sts::ACCOUNT:federated-user/NAME,
    which may call no IAM action and no STS action but GetCallerIdentity."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.proxy = fx.create_user_with_key(cls.iam, "fed-proxy", inline=fx.document(
            fx.allow("sts:GetFederationToken", FEDERATED_ARN % (ACCOUNT, "app-*")),
            fx.allow("sts:TagSession", FEDERATED_ARN % (ACCOUNT, "app-*"),
                     Condition={"StringEquals": {"aws:RequestTag/team": "ray"}})))

    def federate(self, name="app-1", who=None, **kwargs):
        return self.sts(who or self.proxy).get_federation_token(Name=name, **kwargs)

    def test_credentials_of_the_federated_user(self):
        before = fx.utcnow()
        policy = fx.document(fx.allow("s3:GetObject", "arn:aws:s3:::ray-data/*"))
        out = self.federate("app-1", Policy=policy, DurationSeconds=3600)
        creds = out["Credentials"]
        self.assertRegex(creds["AccessKeyId"], r"^ASIA[A-Z0-9]{16}$")
        self.assertExpiresIn(creds["Expiration"], 3600, before, fx.utcnow())
        self.assertEqual(out["FederatedUser"], {"FederatedUserId": ACCOUNT + ":app-1",
                                                "Arn": FEDERATED_ARN % (ACCOUNT, "app-1")})
        self.assertTrue(1 <= out["PackedPolicySize"] <= 100, out["PackedPolicySize"])
        iam, sts = self.session_clients(creds)
        who = sts.get_caller_identity()
        self.assertEqual((who["UserId"], who["Account"], who["Arn"]),
                         (ACCOUNT + ":app-1", ACCOUNT, FEDERATED_ARN % (ACCOUNT, "app-1")))
        # No IAM action, whatever the policies allow; no STS action but GetCallerIdentity.
        self.assertEqual(fx.error_of(iam.list_roles),
                         (403, "Sender", "InvalidClientTokenId",
                          "The security token included in the request is invalid"))
        for action, call in (("AssumeRole", lambda: sts.assume_role(
                RoleArn=fx.arn("role", "reader"), RoleSessionName="xx")),
                             ("GetSessionToken", sts.get_session_token),
                             ("GetFederationToken", lambda: sts.get_federation_token(
                                 Name="app-2"))):
            self.assertDenied(call, "Cannot call %s with session credentials" % action)

    def test_defaults_without_policies_and_the_root_users_hour(self):
        before = fx.utcnow()
        out = self.federate("app-defaults")
        self.assertExpiresIn(out["Credentials"]["Expiration"], 43200, before, fx.utcnow())
        self.assertNotIn("PackedPolicySize", out)  # nothing passed to pack
        # The root user may federate too (not recommended); its sessions last at most an hour,
        # a longer request getting one hour.
        before = fx.utcnow()
        out = self.sts().get_federation_token(Name="root-fed", DurationSeconds=7200)
        self.assertExpiresIn(out["Credentials"]["Expiration"], 3600, before, fx.utcnow())
        _, sts = self.session_clients(out["Credentials"])
        self.assertEqual(sts.get_caller_identity()["Arn"], FEDERATED_ARN % (ACCOUNT, "root-fed"))

    def refused(self, who, action, name):
        return ("User: %s is not authorized to perform: %s on resource: %s because no "
                "identity-based policy allows the %s action"
                % (who["arn"], action, FEDERATED_ARN % (ACCOUNT, name), action))

    def test_needs_permission_on_the_federated_user(self):
        self.assertDenied(self.federate, self.refused(self.bob, "sts:GetFederationToken", "app-1"),
                          "app-1", self.bob)
        self.assertDenied(self.federate,
                          self.refused(self.proxy, "sts:GetFederationToken", "other"), "other")

    def test_session_tags_need_sts_tag_session(self):
        out = self.federate("app-tagged", Tags=[{"Key": "team", "Value": "ray"}])
        self.assertIn("PackedPolicySize", out)
        _, sts = self.session_clients(out["Credentials"])
        self.assertEqual(sts.get_caller_identity()["UserId"], ACCOUNT + ":app-tagged")
        self.assertDenied(self.federate, self.refused(self.proxy, "sts:TagSession", "app-tagged"),
                          "app-tagged", Tags=[{"Key": "team", "Value": "other"}])
        self.assertEqual(fx.error_of(self.federate, "app-tagged",
                                     Tags=[{"Key": "team", "Value": "ray"},
                                           {"Key": "TEAM", "Value": "ray"}]),
                         (400, "Sender", "InvalidParameterValue",
                          "Duplicate tag keys found. Please note that Tag keys are case "
                          "insensitive."))

    def test_bad_requests(self):
        sts = self.sts(self.proxy, validate=False)
        self.assertEqual(fx.error_of(sts.get_federation_token, Name="app-1",
                                     Policy="{not json")[:3],
                         (400, "Sender", "MalformedPolicyDocument"))
        self.assertEqual(fx.error_of(sts.get_federation_token, Name="app-1",
                                     PolicyArns=[{"arn": "arn:aws:s3:::some-bucket"}]),
                         (400, "Sender", "ValidationError", "arn:aws:s3:::some-bucket is invalid"))
        for kwargs in ({"Name": "a"}, {"Name": "app 1"}, {"Name": "app-1", "DurationSeconds": 899},
                       {"Name": "app-1", "DurationSeconds": 129601}):
            self.assertEqual(fx.error_of(sts.get_federation_token, **kwargs)[:3],
                             (400, "Sender", "ValidationError"), kwargs)
        # Session credentials cannot federate (GetSessionToken's, refused before any policy).
        creds = self.sts(self.alice).get_session_token()["Credentials"]
        _, session_sts = self.session_clients(creds)
        self.assertDenied(session_sts.get_federation_token,
                          "Cannot call GetFederationToken with session credentials", Name="app-1")

    def test_token_ends_with_the_federating_user(self):
        temp = fx.create_user_with_key(self.iam, "fed-temp", inline=fx.document(
            fx.allow("sts:GetFederationToken")))
        creds = self.federate("short", who=temp)["Credentials"]
        _, sts = self.session_clients(creds)
        self.assertEqual(sts.get_caller_identity()["Arn"], FEDERATED_ARN % (ACCOUNT, "short"))
        self.iam.delete_access_key(UserName="fed-temp", AccessKeyId=temp["key_id"])
        self.iam.delete_user_policy(UserName="fed-temp", PolicyName="inline")
        self.iam.delete_user(UserName="fed-temp")
        self.assertEqual(fx.error_of(sts.get_caller_identity),
                         (403, "Sender", "InvalidClientTokenId", INVALID_TOKEN))

    def test_through_the_aws_cli(self):
        env = self.server.cli_env(key_id=self.proxy["key_id"], secret=self.proxy["secret"])
        clis = [fx.AWS_CLI_V2] + [c for c in [fx.find_aws_cli_v1()] if c is not None]
        for cli in clis:
            done = self.server.run_cli(cli, "sts", "get-federation-token", "--name", "app-cli",
                                       "--query", "FederatedUser.Arn", "--output", "text",
                                       env=env)
            self.assertEqual(done.returncode, 0, (cli, done.stderr))
            self.assertEqual(done.stdout.strip(), FEDERATED_ARN % (ACCOUNT, "app-cli"), cli)


# libfaketime moves the server's wall clock (CLOCK_REALTIME) by an offset; its monotonic clock,
# which drives timeouts, is left alone.
FAKETIME_LIBS = ["/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1",
                 "/usr/lib/faketime/libfaketime.so.1"]


def faketime_env(offset):
    lib = next((p for p in FAKETIME_LIBS if os.path.exists(p)), None)
    if lib is None:
        raise AssertionError("libfaketime is missing: scripts/install-deps.sh installs the "
                             "faketime package")
    # An ASan build wants its runtime first among the loaded libraries; libfaketime, which only
    # wraps the clock functions, may come before it.
    asan = ":".join(filter(None, [os.environ.get("ASAN_OPTIONS"), "verify_asan_link_order=0"]))
    return {"LD_PRELOAD": lib, "FAKETIME": "%+ds" % offset, "FAKETIME_DONT_FAKE_MONOTONIC": "1",
            "FAKETIME_NO_CACHE": "1", "ASAN_OPTIONS": asan}


class ExpiryTest(unittest.TestCase):
    """A 900-second role session and the same server, restarted with its clock moved."""

    def setUp(self):
        self.server = fx.Iamd()
        self.addCleanup(self.server.close)
        iam = self.server.start().client()
        alice = fx.create_user_with_key(iam, "alice", inline=fx.document(fx.allow("sts:AssumeRole")))
        iam.create_role(RoleName="reader", AssumeRolePolicyDocument=trust({"AWS": alice["arn"]}))
        iam.attach_role_policy(RoleName="reader", PolicyArn=READ_ONLY)
        sts = self.server.client("sts", key_id=alice["key_id"], secret=alice["secret"])
        self.creds = sts.assume_role(RoleArn=fx.arn("role", "reader"), RoleSessionName="short",
                                     DurationSeconds=900)["Credentials"]

    def list_roles_at(self, offset):
        """ListRoles with the session's credentials, the server's clock and the signature both
        `offset` seconds ahead of now."""
        self.server.env = faketime_env(offset)
        self.server.restart()
        status, _, body = self.server.raw(
            {"Action": "ListRoles"}, key_id=self.creds["AccessKeyId"],
            secret=self.creds["SecretAccessKey"], token=self.creds["SessionToken"],
            at=fx.utcnow() + datetime.timedelta(seconds=offset))
        return status, body

    def test_session_works_until_its_expiration_and_then_is_expired(self):
        left = (utc(self.creds["Expiration"]) - fx.utcnow()).total_seconds()
        status, body = self.list_roles_at(int(left) - 60)
        self.assertEqual(status, 200, body)
        self.assertIn(b"<RoleName>reader</RoleName>", body)
        status, body = self.list_roles_at(int(left) + 60)
        self.assertEqual((status,) + fx.parse_error(body),
                         (403, "Sender", "ExpiredToken",
                          "The security token included in the request is expired"))
        # The clock back to now: the same token is good again (nothing was revoked or lost).
        status, body = self.list_roles_at(0)
        self.assertEqual(status, 200, body)


class SessionTagTest(StsCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.iam.create_role(RoleName="tagged", AssumeRolePolicyDocument=trust(
            {"AWS": cls.alice["arn"]}, ["sts:AssumeRole", "sts:TagSession"]),
            Tags=[{"Key": "team", "Value": "blue"}])
        cls.iam.put_role_policy(RoleName="tagged", PolicyName="blue-only", PolicyDocument=fx.document(
            fx.allow("iam:ListRoles", Condition={"StringEquals": {"aws:PrincipalTag/team": "blue"}})))

    def test_session_tag_is_a_principal_tag(self):
        out = self.assume("tagged", "blue", Tags=[{"Key": "team", "Value": "blue"}])
        self.assertIsInstance(out.get("PackedPolicySize"), int)
        iam, _ = self.session_clients(out["Credentials"])
        iam.list_roles()

    def test_session_tag_overrides_the_roles_tag(self):
        iam, _ = self.session_clients(
            self.assume("tagged", "red", Tags=[{"Key": "team", "Value": "red"}])["Credentials"])
        self.assertDenied(iam.list_roles, fx.denied(
            SESSION_ARN % (ACCOUNT, "tagged", "red"), "iam:ListRoles", fx.arn("role", "")))

    def test_role_tags_are_principal_tags_without_session_tags(self):
        iam, _ = self.session_clients(self.assume("tagged", "plain")["Credentials"])
        iam.list_roles()

    def test_tags_need_sts_tag_session_in_the_trust_policy(self):
        self.assertDenied(
            self.assume,
            "User: %s is not authorized to perform: sts:TagSession on resource: %s"
            % (self.alice["arn"], fx.arn("role", "reader")),
            "reader", "tt", Tags=[{"Key": "team", "Value": "blue"}])

    def test_duplicate_session_tag_keys(self):
        self.assertEqual(
            fx.error_of(self.assume, "tagged", "dup", Tags=[{"Key": "SessionTag1", "Value": "a"},
                                                            {"Key": "sessiontag1", "Value": "b"}]),
            (400, "Sender", "InvalidParameterValue",
             "Duplicate tag keys found. Please note that Tag keys are case insensitive."))


class RoleChainingTest(StsCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        hop1 = cls.iam.create_role(RoleName="hop1", AssumeRolePolicyDocument=trust(
            {"AWS": cls.alice["arn"]}), MaxSessionDuration=43200)["Role"]
        cls.iam.put_role_policy(RoleName="hop1", PolicyName="assume", PolicyDocument=fx.document(
            fx.allow("sts:AssumeRole")))
        cls.iam.create_role(RoleName="hop2", AssumeRolePolicyDocument=trust(
            {"AWS": hop1["Arn"]}), MaxSessionDuration=43200)
        cls.iam.attach_role_policy(RoleName="hop2", PolicyArn=READ_ONLY)

    def hop1_sts(self):
        return self.session_clients(self.assume("hop1", "first")["Credentials"])[1]

    def test_chained_session(self):
        before = fx.utcnow()
        out = self.hop1_sts().assume_role(RoleArn=fx.arn("role", "hop2"), RoleSessionName="second")
        self.assertEqual(out["AssumedRoleUser"]["Arn"], SESSION_ARN % (ACCOUNT, "hop2", "second"))
        self.assertExpiresIn(out["Credentials"]["Expiration"], 3600, before, fx.utcnow())
        iam, sts = self.session_clients(out["Credentials"])
        self.assertEqual(sts.get_caller_identity()["Arn"], SESSION_ARN % (ACCOUNT, "hop2", "second"))
        iam.list_roles()

    def test_chaining_is_limited_to_one_hour(self):
        sts = self.hop1_sts()
        self.assertEqual(
            fx.error_of(sts.assume_role, RoleArn=fx.arn("role", "hop2"), RoleSessionName="long",
                        DurationSeconds=3601),
            (400, "Sender", "ValidationError",
             "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed "
             "by role chaining."))
        sts.assume_role(RoleArn=fx.arn("role", "hop2"), RoleSessionName="hour",
                        DurationSeconds=3600)

    def test_first_hop_may_last_longer(self):
        before = fx.utcnow()
        creds = self.assume("hop1", "long-first", DurationSeconds=43200)["Credentials"]
        self.assertExpiresIn(creds["Expiration"], 43200, before, fx.utcnow())

    def test_a_session_of_another_role_is_not_trusted_by_hop2(self):
        sts = self.session_clients(self.assume("reader", "rr")["Credentials"])[1]
        # reader has no sts:AssumeRole permission and hop2 does not trust it.
        self.assertDenied(sts.assume_role,
                          self.refused_assume(SESSION_ARN % (ACCOUNT, "reader", "rr"), "hop2"),
                          RoleArn=fx.arn("role", "hop2"), RoleSessionName="xx")


class SealedTokenTest(unittest.TestCase):
    """Session tokens are self-contained and sealed with DATA/master.key: they outlive a restart
    and are accepted by another iamd holding the same key, and by no other."""

    def setUp(self):
        self.servers = []

    def tearDown(self):
        for s in self.servers:
            s.close()

    def start(self, data_dir=None):
        server = fx.Iamd(data_dir=data_dir)
        self.servers.append(server)
        return server.start()

    def test_token_survives_restart_and_is_accepted_by_a_second_node(self):
        first = self.start()
        iam = first.client()
        alice = fx.create_user_with_key(iam, "alice", inline=fx.document(fx.allow("sts:AssumeRole")))
        iam.create_role(RoleName="reader", AssumeRolePolicyDocument=trust({"AWS": alice["arn"]}))
        iam.attach_role_policy(RoleName="reader", PolicyArn=READ_ONLY)
        creds = first.client("sts", key_id=alice["key_id"], secret=alice["secret"]).assume_role(
            RoleArn=fx.arn("role", "reader"), RoleSessionName="sealed")["Credentials"]

        def who(server):
            return server.client("sts", key_id=creds["AccessKeyId"],
                                 secret=creds["SecretAccessKey"],
                                 token=creds["SessionToken"]).get_caller_identity()["Arn"]

        expected = SESSION_ARN % (ACCOUNT, "reader", "sealed")
        self.assertEqual(who(first), expected)
        first.restart()
        self.assertEqual(who(first), expected)
        # A second node on a copy of the data folder (same master.key, same database).
        self.assertEqual(first.stop(), 0)
        copy = os.path.join(first.tmp, "copy")
        shutil.copytree(first.data_dir, copy, ignore=shutil.ignore_patterns("LOCK"))
        second = self.start(copy)
        self.assertEqual(who(second), expected)
        second.client(key_id=creds["AccessKeyId"], secret=creds["SecretAccessKey"],
                      token=creds["SessionToken"]).list_roles()
        # A node with another master key refuses it.
        stranger = self.start()
        self.assertEqual(
            fx.error_of(stranger.client("sts", key_id=creds["AccessKeyId"],
                                        secret=creds["SecretAccessKey"],
                                        token=creds["SessionToken"]).get_caller_identity),
            (403, "Sender", "InvalidClientTokenId", INVALID_TOKEN))


if __name__ == "__main__":
    unittest.main(verbosity=2)
