"""--auth permissive, for suites written against moto's server (issue 4, "--auth permissive").

In permissive mode any well-formed SigV4 signature, with any key and secret, acts as root, and
POST /moto-api/reset (moto's reset call) answers 200 {"status": "ok"} and removes every entity
while the AWS managed policies stay (1,485 of them: resources/aws-managed-policies.json).
In the default mode (enforce) there is no such endpoint: it is refused (403 or 404) and
deletes nothing.
"""

import http.client
import json
import subprocess
import unittest

import botocore.auth
import botocore.awsrequest
import botocore.credentials

import iamd_fixture as fx

ACCOUNT = fx.ACCOUNT_ID
AWS_MANAGED_POLICIES = 1485
TRUST_EC2 = fx.seed_file("ray_trust_policy.json").decode()


def post(server, path, body=b"", headers=None, sign_with=None):
    """POST to `path` on `server`; signed with SigV4 (iam) when sign_with=(key, secret)."""
    headers = dict(headers or {})
    if sign_with is not None:
        req = botocore.awsrequest.AWSRequest(method="POST", url=server.endpoint + path,
                                             data=body, headers=headers)
        botocore.auth.SigV4Auth(botocore.credentials.Credentials(*sign_with), "iam",
                                fx.REGION).add_auth(req)
        headers = dict(req.prepare().headers)
    conn = http.client.HTTPConnection(server.host, server.port, timeout=30)
    try:
        conn.request("POST", path, body=body, headers=headers)
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


def count_all(iam, method, key, **kwargs):
    return sum(len(page[key]) for page in iam.get_paginator(method).paginate(**kwargs))


def populate(iam):
    """One of each kind of entity, with the links between them."""
    iam.create_role(RoleName="r1", AssumeRolePolicyDocument=TRUST_EC2,
                    Tags=[{"Key": "k", "Value": "v"}])
    iam.put_role_policy(RoleName="r1", PolicyName="inline",
                        PolicyDocument=fx.document(fx.allow("s3:GetObject")))
    iam.attach_role_policy(RoleName="r1", PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")
    iam.create_instance_profile(InstanceProfileName="p1")
    iam.add_role_to_instance_profile(InstanceProfileName="p1", RoleName="r1")
    policy = iam.create_policy(PolicyName="cp1",
                               PolicyDocument=fx.document(fx.allow("s3:*")))["Policy"]["Arn"]
    iam.create_policy_version(PolicyArn=policy, PolicyDocument=fx.document(fx.allow("s3:Get*")),
                              SetAsDefault=True)
    iam.create_user(UserName="u1")
    iam.attach_user_policy(UserName="u1", PolicyArn=policy)
    iam.create_access_key(UserName="u1")
    iam.create_login_profile(UserName="u1", Password="Passw0rd!Passw0rd!")
    iam.create_group(GroupName="g1")
    iam.add_user_to_group(GroupName="g1", UserName="u1")
    iam.put_group_policy(GroupName="g1", PolicyName="gp",
                         PolicyDocument=fx.document(fx.allow("s3:List*")))
    iam.put_user_permissions_boundary(UserName="u1", PermissionsBoundary=policy)


class PermissiveTest(fx.ServerTestCase):

    server_args = ("--auth", "permissive")
    maxDiff = None

    def anyone(self, service="iam", key="AKIAANYTHING", secret="x"):
        return self.server.client(service, key_id=key, secret=secret)

    def test_any_key_acts_as_root(self):
        for key, secret in (("AKIAANYTHING", "x"), ("AKIAIOSFODNN7EXAMPLE", "y" * 40),
                            ("ASIAANOTHERKEY000000", "z")):
            with self.subTest(key=key):
                who = self.anyone("sts", key, secret).get_caller_identity()
                self.assertEqual((who["Arn"], who["UserId"], who["Account"]),
                                 ("arn:aws:iam::%s:root" % ACCOUNT, ACCOUNT, ACCOUNT))
        iam = self.anyone()
        iam.create_role(RoleName="made-by-anyone", AssumeRolePolicyDocument=TRUST_EC2)
        self.assertEqual(self.iam.get_role(RoleName="made-by-anyone")["Role"]["RoleName"],
                         "made-by-anyone")
        iam.delete_role(RoleName="made-by-anyone")

    def test_wrong_secret_for_a_known_key_is_accepted(self):
        self.iam.create_user(UserName="known")
        key = self.iam.create_access_key(UserName="known")["AccessKey"]
        iam = self.anyone(key=key["AccessKeyId"], secret="not-its-secret")
        iam.list_roles()
        iam.delete_access_key(UserName="known", AccessKeyId=key["AccessKeyId"])
        iam.delete_user(UserName="known")

    def test_cli_v2_with_any_key(self):
        env = self.server.cli_env("AKIAANYTHING", "x")
        out = self.server.run_cli(fx.AWS_CLI_V2, "sts", "get-caller-identity", "--output", "json",
                                  env=env)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(json.loads(out.stdout)["Arn"], "arn:aws:iam::%s:root" % ACCOUNT)
        out = self.server.run_cli(fx.AWS_CLI_V2, "iam", "create-group", "--group-name",
                                  "cli-group", env=env)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.iam.delete_group(GroupName="cli-group")

    def test_reset_removes_every_entity_and_keeps_aws_managed_policies(self):
        iam = self.anyone()
        populate(iam)
        self.assertEqual(count_all(iam, "list_policies", "Policies", Scope="AWS"),
                         AWS_MANAGED_POLICIES)
        status, headers, body = post(self.server, "/moto-api/reset")
        self.assertEqual(status, 200, body)
        self.assertEqual(json.loads(body), {"status": "ok"})
        self.assertTrue(headers.get("content-type", "").startswith("application/json"), headers)
        self.assertEqual(count_all(iam, "list_roles", "Roles"), 0)
        self.assertEqual(count_all(iam, "list_users", "Users"), 0)
        self.assertEqual(count_all(iam, "list_groups", "Groups"), 0)
        self.assertEqual(count_all(iam, "list_instance_profiles", "InstanceProfiles"), 0)
        self.assertEqual(count_all(iam, "list_policies", "Policies", Scope="Local"), 0)
        self.assertEqual(count_all(iam, "list_policies", "Policies", Scope="AWS"),
                         AWS_MANAGED_POLICIES)
        details = iam.get_account_authorization_details(Filter=["Role", "User", "Group",
                                                                "LocalManagedPolicy"])
        self.assertEqual((details["RoleDetailList"], details["UserDetailList"],
                          details["GroupDetailList"], details["Policies"]), ([], [], [], []))
        # AWS managed policies are back to no attachments.
        policy = iam.get_policy(PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")["Policy"]
        self.assertEqual(policy["AttachmentCount"], 0)
        # The same names can be used again: the seed runs on the emptied server.
        populate(iam)
        self.assertEqual(post(self.server, "/moto-api/reset")[0], 200)
        seed = fx.run_seed(self.server)
        self.assertEqual(seed.returncode, 0, fx.seed_failure(seed, self.server))
        self.assertEqual(post(self.server, "/moto-api/reset")[0], 200)

    def test_reset_twice_and_on_an_empty_server(self):
        for _ in range(2):
            status, _, body = post(self.server, "/moto-api/reset")
            self.assertEqual((status, json.loads(body)), (200, {"status": "ok"}))


class PermissiveResetIsDurableTest(unittest.TestCase):

    def test_reset_survives_a_restart(self):
        server = fx.Iamd(extra_args=["--auth", "permissive"])
        try:
            server.start()
            populate(server.client())
            self.assertEqual(post(server, "/moto-api/reset")[0], 200)
            server.restart()
            iam = server.client(key_id="AKIAANYTHING", secret="x")
            self.assertEqual(count_all(iam, "list_roles", "Roles"), 0)
            self.assertEqual(count_all(iam, "list_users", "Users"), 0)
            self.assertEqual(count_all(iam, "list_policies", "Policies", Scope="Local"), 0)
            self.assertEqual(count_all(iam, "list_policies", "Policies", Scope="AWS"),
                             AWS_MANAGED_POLICIES)
        finally:
            server.close()


class EnforceModeHasNoResetTest(fx.ServerTestCase):
    """The default mode: no /moto-api/reset, and nothing is deleted by calling it."""

    def setUp(self):
        if not self.iam.list_roles()["Roles"]:
            populate(self.iam)

    def assertNothingDeleted(self):
        self.assertEqual([r["RoleName"] for r in self.iam.list_roles()["Roles"]], ["r1"])
        self.assertEqual([u["UserName"] for u in self.iam.list_users()["Users"]], ["u1"])
        self.assertEqual([g["GroupName"] for g in self.iam.list_groups()["Groups"]], ["g1"])
        self.assertEqual(len(self.iam.list_policies(Scope="Local")["Policies"]), 1)
        self.assertEqual(len(self.iam.list_instance_profiles()["InstanceProfiles"]), 1)

    def test_unsigned_reset_is_refused(self):
        status, _, body = post(self.server, "/moto-api/reset")
        self.assertIn(status, (403, 404), body)
        self.assertNotEqual(body.strip(), b'{"status": "ok"}')
        self.assertNothingDeleted()

    def test_reset_signed_by_root_is_refused(self):
        status, _, body = post(self.server, "/moto-api/reset",
                               sign_with=(fx.ROOT_KEY_ID, fx.ROOT_SECRET))
        self.assertIn(status, (403, 404), body)
        self.assertNothingDeleted()

    def test_any_key_is_refused_in_enforce_mode(self):
        iam = self.server.client(key_id="AKIAANYTHING", secret="x")
        status, _, code, _ = fx.error_of(iam.list_roles)
        self.assertEqual((status, code), (403, "InvalidClientTokenId"))


if __name__ == "__main__":
    unittest.main(verbosity=2)
