"""ECS task credentials over iamd's container credentials endpoint (--ecs HOST:PORT=ROLE): what
the SDKs' container credentials provider reads from AWS_CONTAINER_CREDENTIALS_FULL_URI.

ECS hands a task its task role's credentials: the role assumed on behalf of
ecs-tasks.amazonaws.com, which its trust policy must allow (Amazon ECS Developer Guide, "Task
IAM role"); the endpoint answers JSON with AccessKeyId, Expiration, RoleArn, SecretAccessKey and
Token. One server with three listeners on port 0 (the URIs are read from the "iamd: ECS task
credentials of role ROLE (task ID): AWS_CONTAINER_CREDENTIALS_FULL_URI=..." lines):
  app-task     trusts ecs-tasks.amazonaws.com, may read IAM (IAMReadOnlyAccess)
  ec2-only     trusts only ec2.amazonaws.com
  missing      no such role (made during a test)
  odd-path     trusts ECS tasks, its path holding a quote and a backslash (IAM allows both)
boto3 and AWS CLI v1 then run with nothing but AWS_CONTAINER_CREDENTIALS_FULL_URI (no keys, empty
config files, HOME in a fresh folder). (Debian's AWS CLI v2, 2.9, has the same provider; it is
exercised through v1's and boto3's botocore here, as for the web identity provider.)
"""

import http.client
import json
import os
import subprocess
import sys
import tempfile
import unittest
import urllib.parse

import iamd_fixture as fx

ACCOUNT = fx.ACCOUNT_ID
ROLES = ["app-task", "ec2-only", "missing", "odd-path"]
READ_ONLY = "arn:aws:iam::aws:policy/IAMReadOnlyAccess"


def trust(service):
    return json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}]})


def get(uri, path=None, method="GET"):
    parts = urllib.parse.urlsplit(uri)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        conn.request(method, path if path is not None else parts.path)
        resp = conn.getresponse()
        return resp.status, resp.getheader("Content-Type"), resp.read().decode()
    finally:
        conn.close()


class ContainerCredentialsTest(fx.ServerTestCase):

    maxDiff = None
    server_args = tuple(a for role in ROLES for a in ("--ecs", "127.0.0.1:0=" + role))

    @classmethod
    def prepare_server(cls):
        cls.app = cls.iam.create_role(RoleName="app-task",
                                      AssumeRolePolicyDocument=trust("ecs-tasks.amazonaws.com"))
        cls.iam.attach_role_policy(RoleName="app-task", PolicyArn=READ_ONLY)
        cls.iam.create_role(RoleName="ec2-only",
                            AssumeRolePolicyDocument=trust("ec2.amazonaws.com"))
        cls.odd = cls.iam.create_role(RoleName="odd-path", Path='/a"b\\c/',
                                      AssumeRolePolicyDocument=trust("ecs-tasks.amazonaws.com"))

    def uri(self, role):
        return self.server.ecs[role][1]

    def test_one_listener_per_task_with_a_task_id_and_a_credentials_path(self):
        self.assertEqual(sorted(self.server.ecs), sorted(ROLES))
        ids = {task for task, _ in self.server.ecs.values()}
        self.assertEqual(len(ids), len(ROLES))
        for task, uri in self.server.ecs.values():
            self.assertRegex(urllib.parse.urlsplit(uri).path,
                             r"^/v2/credentials/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-"
                             r"[89ab][0-9a-f]{3}-[0-9a-f]{12}$")

    def test_task_role_credentials(self):
        status, content_type, body = get(self.uri("app-task"))
        self.assertEqual((status, content_type), (200, "application/json"))
        creds = json.loads(body)
        self.assertEqual(sorted(creds), ["AccessKeyId", "Expiration", "RoleArn",
                                         "SecretAccessKey", "Token"])
        self.assertEqual(creds["RoleArn"], self.app["Role"]["Arn"])
        self.assertRegex(creds["AccessKeyId"], r"^ASIA[A-Z0-9]{16}$")
        self.assertRegex(creds["Expiration"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        # The same credentials until they are near their end.
        self.assertEqual(json.loads(get(self.uri("app-task"))[2]), creds)
        sts = self.server.client("sts", key_id=creds["AccessKeyId"],
                                 secret=creds["SecretAccessKey"], token=creds["Token"])
        task = self.server.ecs["app-task"][0]
        self.assertEqual(sts.get_caller_identity()["Arn"],
                         "arn:aws:sts::%s:assumed-role/app-task/%s" % (ACCOUNT, task))

    def test_the_role_arn_is_escaped_as_json(self):
        status, _, body = get(self.uri("odd-path"))
        self.assertEqual(status, 200, body)
        self.assertEqual(json.loads(body)["RoleArn"], self.odd["Role"]["Arn"])
        self.assertEqual(self.odd["Role"]["Arn"], fx.arn("role", 'a"b\\c/odd-path'))

    def test_no_credentials_without_a_role_that_trusts_ecs_tasks(self):
        self.assertEqual(get(self.uri("ec2-only"))[0], 404)
        self.assertEqual(get(self.uri("missing"))[0], 404)
        # Once the role exists and trusts ECS tasks, the same endpoint has credentials.
        self.iam.create_role(RoleName="missing",
                             AssumeRolePolicyDocument=trust("ecs-tasks.amazonaws.com"))
        try:
            status, _, body = get(self.uri("missing"))
            self.assertEqual(status, 200, body)
            self.assertEqual(json.loads(body)["RoleArn"], fx.arn("role", "missing"))
        finally:
            self.iam.delete_role(RoleName="missing")

    def test_other_paths_and_methods(self):
        uri = self.uri("app-task")
        path = urllib.parse.urlsplit(uri).path
        self.assertEqual(get(uri, "/v2/credentials/00000000-0000-4000-8000-000000000000")[0], 404)
        self.assertEqual(get(uri, "/")[0], 404)
        self.assertEqual(get(uri, path, method="POST")[0], 405)
        self.assertEqual(get(uri, path + "?x=1")[0], 200)

    def test_sdks_container_credentials_provider(self):
        """boto3 and AWS CLI v1 with only AWS_CONTAINER_CREDENTIALS_FULL_URI: the provider reads
        the endpoint, and the task role's policies decide (IAMReadOnlyAccess: reading IAM
        works, creating a user does not)."""
        env = self.server.cli_env()
        for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
            env.pop(k, None)
        env["PYENV_ROOT"] = os.environ.get("PYENV_ROOT") or os.path.expanduser("~/.pyenv")
        env["HOME"] = tempfile.mkdtemp(prefix="home-", dir=self.server.tmp)
        env["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = self.uri("app-task")
        script = ("import boto3, json, botocore.exceptions\n"
                  "s = boto3.session.Session()\n"
                  "iam = s.client('iam', endpoint_url=%r)\n"
                  "out = {'method': s.get_credentials().method,\n"
                  "       'roles': len(iam.list_roles()['Roles'])}\n"
                  "try:\n"
                  "    iam.create_user(UserName='nope')\n"
                  "except botocore.exceptions.ClientError as e:\n"
                  "    out['create_user'] = e.response['Error']['Code']\n"
                  "print(json.dumps(out))\n" % self.server.endpoint)
        done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                              text=True, timeout=120)
        self.assertEqual(done.returncode, 0, done.stderr)
        out = json.loads(done.stdout)
        self.assertEqual(out["method"], "container-role")
        self.assertGreaterEqual(out["roles"], 2)
        self.assertEqual(out["create_user"], "AccessDenied")
        done = subprocess.run([fx.find_aws_cli_v1(), "--endpoint-url", self.server.endpoint,
                               "sts", "get-caller-identity", "--output", "json"],
                              env=env, capture_output=True, text=True, timeout=120)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(json.loads(done.stdout)["Arn"],
                         "arn:aws:sts::%s:assumed-role/app-task/%s"
                         % (ACCOUNT, self.server.ecs["app-task"][0]))


if __name__ == "__main__":
    unittest.main()
