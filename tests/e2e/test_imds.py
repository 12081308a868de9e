"""Instance-profile credentials over iamd's instance metadata service (issue 4, "Instance
metadata" and the first "Done when").

One server with the seed page applied (tests/seed/run-seed.sh through AWS CLI v2) and five
--imds listeners on port 0 (the bound ports and instance IDs are read from the
"iamd: instance metadata for PROFILE (instance i-...) at http://HOST:PORT" lines):
  ray-head       the seed's profile; its role trusts ec2.amazonaws.com
  user-trust     a profile whose role trusts only an IAM user
  no-role        a profile without a role
  late           a profile that gets a role during a test
  no-such-profile
The AWS CLI v2 and boto3 then run with nothing but AWS_EC2_METADATA_SERVICE_ENDPOINT (no keys in
the environment, empty config and credentials files, HOME in a fresh folder); the region is
given on the command line (--region us-east-1), as the CLI never reads it from the metadata.

IMDSv2 wire: shared/AWS-WIRE.md "Instance metadata". Refusal text: issue 4 and
shared/AWS-WIRE.md "AccessDenied" ("... on resource: role ray-worker because no identity-based
policy allows the iam:GetRole action").
"""

import datetime
import http.client
import json
import os
import re
import subprocess
import sys
import tempfile
import unittest
import urllib.parse

import iamd_fixture as fx

ACCOUNT = fx.ACCOUNT_ID
PROFILES = ["ray-head", "user-trust", "no-role", "late", "no-such-profile"]
NO_CREDENTIALS_CLI = ('Unable to locate credentials. You can configure credentials by running '
                      '"aws configure".')

BOTO3_SCRIPT = r"""
import json, boto3, botocore.exceptions
out = {}
session = boto3.session.Session()


def attempt(call, on_success):
    # What a call gave: on_success(result), or [HTTP status, code, message] of its error.
    try:
        return on_success(call())
    except botocore.exceptions.ClientError as e:
        return [e.response["ResponseMetadata"]["HTTPStatusCode"],
                e.response["Error"]["Code"], e.response["Error"]["Message"]]


def slr(service):
    return lambda: iam.create_service_linked_role(AWSServiceName=service)["Role"]


try:
    creds = session.get_credentials()
    out["method"] = creds.method if creds else None
    sts = session.client("sts", endpoint_url=ENDPOINT, region_name="us-east-1")
    out["identity"] = {k: v for k, v in sts.get_caller_identity().items()
                       if k != "ResponseMetadata"}
    iam = session.client("iam", endpoint_url=ENDPOINT, region_name="us-east-1")
    out["get_role"] = attempt(lambda: iam.get_role(RoleName="ray-worker"), lambda r: "allowed")
    role = slr("spot.amazonaws.com")()
    out["spot"] = [role["RoleName"], role["Path"]]
    out["ssm"] = attempt(slr("ssm.amazonaws.com"), lambda r: [r["RoleName"], r["Path"]])
    out["rds"] = attempt(slr("rds.amazonaws.com"), lambda r: "allowed")
except botocore.exceptions.NoCredentialsError as e:
    out["error"] = "NoCredentialsError"
print(json.dumps(out))
"""


def http_request(url, method, path, headers=None):
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        conn.request(method, path, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read().decode()
    finally:
        conn.close()


class ImdsTest(fx.ServerTestCase):

    maxDiff = None

    server_args = tuple(a for profile in PROFILES for a in ("--imds", "127.0.0.1:0=" + profile))
    server_seeded = True

    @classmethod
    def prepare_server(cls):
        iam = cls.iam
        user = iam.create_user(UserName="only-trusted-user")["User"]
        iam.create_role(RoleName="user-trust-role", AssumeRolePolicyDocument=json.dumps({
            "Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Principal": {"AWS": user["Arn"]},
                "Action": "sts:AssumeRole"}]}))
        iam.attach_role_policy(RoleName="user-trust-role",
                               PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
        iam.create_instance_profile(InstanceProfileName="user-trust")
        iam.add_role_to_instance_profile(InstanceProfileName="user-trust",
                                         RoleName="user-trust-role")
        iam.create_instance_profile(InstanceProfileName="no-role")
        iam.create_instance_profile(InstanceProfileName="late")
        iam.create_role(RoleName="late-role",
                        AssumeRolePolicyDocument=fx.seed_file("ray_trust_policy.json").decode())
        cls.home = tempfile.mkdtemp(prefix="home-", dir=cls.server.tmp)

    # ---- helpers ----------------------------------------------------------------------

    def instance(self, profile):
        return self.server.imds[profile]  # (instance ID, URL)

    def metadata_env(self, profile):
        """Only AWS_EC2_METADATA_SERVICE_ENDPOINT: no keys, empty config and credentials."""
        empty = os.path.join(self.server.tmp, "empty-aws-file")
        open(empty, "a").close()
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update({"HOME": self.home, "AWS_CONFIG_FILE": empty,
                    "AWS_SHARED_CREDENTIALS_FILE": empty,
                    # with the trailing slash, as SDKs expect it (http://169.254.169.254/)
                    "AWS_EC2_METADATA_SERVICE_ENDPOINT": self.instance(profile)[1] + "/"})
        return env

    def cli(self, profile, *args):
        # The region on the command line: the CLI does not take it from instance metadata
        # (on EC2 too, "You must specify a region" without one).
        return subprocess.run([fx.AWS_CLI_V2, "--endpoint-url", self.server.endpoint,
                               "--region", fx.REGION] + list(args),
                              env=self.metadata_env(profile), capture_output=True, text=True,
                              timeout=120, stdin=subprocess.DEVNULL)

    def boto3_run(self, profile):
        script = "ENDPOINT = %r\n%s" % (self.server.endpoint, BOTO3_SCRIPT)
        out = subprocess.run([sys.executable, "-c", script], env=self.metadata_env(profile),
                             capture_output=True, text=True, timeout=120)
        self.assertEqual(out.returncode, 0, out.stderr)
        return json.loads(out.stdout)

    def token(self, profile, ttl="21600"):
        status, headers, body = http_request(self.instance(profile)[1], "PUT", "/latest/api/token",
                                             {"X-aws-ec2-metadata-token-ttl-seconds": ttl})
        self.assertEqual(status, 200, body)
        return body

    def get(self, profile, path, token=None):
        headers = {"X-aws-ec2-metadata-token": token} if token is not None else {}
        return http_request(self.instance(profile)[1], "GET", path, headers)

    def session_arn(self, profile, role):
        return "arn:aws:sts::%s:assumed-role/%s/%s" % (ACCOUNT, role, self.instance(profile)[0])

    # ---- the listeners ----------------------------------------------------------------

    def test_one_listener_per_profile_with_its_own_instance_id(self):
        self.assertEqual(sorted(self.server.imds), sorted(PROFILES))
        ids = [self.instance(p)[0] for p in PROFILES]
        for instance_id in ids:
            self.assertRegex(instance_id, r"^i-[0-9a-f]{17}$")
        self.assertEqual(len(set(ids)), len(ids))
        ports = {urllib.parse.urlsplit(self.instance(p)[1]).port for p in PROFILES}
        self.assertEqual(len(ports), len(PROFILES))
        self.assertNotIn(self.server.port, ports)

    # ---- AWS CLI v2 and boto3 as the instance ------------------------------------------

    def test_cli_v2_caller_identity_is_the_instance(self):
        out = self.cli("ray-head", "sts", "get-caller-identity", "--output", "json")
        self.assertEqual(out.returncode, 0, out.stderr)
        who = json.loads(out.stdout)
        role_id = self.iam.get_role(RoleName="ray-head")["Role"]["RoleId"]
        self.assertEqual(who, {"UserId": role_id + ":" + self.instance("ray-head")[0],
                               "Account": ACCOUNT,
                               "Arn": self.session_arn("ray-head", "ray-head")})

    def test_cli_v2_get_role_ray_worker_is_refused(self):
        out = self.cli("ray-head", "iam", "get-role", "--role-name", "ray-worker")
        self.assertEqual(out.returncode, 254, out.stderr)
        self.assertEqual(out.stdout, "")
        self.assertEqual(
            out.stderr.strip(),
            "An error occurred (AccessDenied) when calling the GetRole operation: User: "
            + self.session_arn("ray-head", "ray-head") + " is not authorized to perform: "
            "iam:GetRole on resource: role ray-worker because no identity-based policy allows "
            "the iam:GetRole action")

    _boto3_ray_head = None

    def ray_head_boto3(self):
        """The boto3 script's results as ray-head (run once: it creates roles)."""
        if ImdsTest._boto3_ray_head is None:
            ImdsTest._boto3_ray_head = self.boto3_run("ray-head")
        return ImdsTest._boto3_ray_head

    def test_boto3_runs_as_the_instance(self):
        out = self.ray_head_boto3()
        self.assertEqual(out["method"], "iam-role")
        self.assertEqual(out["identity"]["Arn"], self.session_arn("ray-head", "ray-head"))
        self.assertEqual(out["get_role"], [
            403, "AccessDenied",
            "User: %s is not authorized to perform: iam:GetRole on resource: role ray-worker "
            "because no identity-based policy allows the iam:GetRole action"
            % self.session_arn("ray-head", "ray-head")])

    def test_boto3_instance_may_create_the_spot_service_linked_role(self):
        # AmazonEC2FullAccess: iam:CreateServiceLinkedRole on "*" for spot.amazonaws.com.
        self.assertEqual(self.ray_head_boto3()["spot"],
                         ["AWSServiceRoleForEC2Spot", "/aws-service-role/spot.amazonaws.com/"])

    def test_boto3_instance_may_create_the_ssm_service_linked_role(self):
        # AmazonSSMFullAccess allows it only on the SSM role's ARN
        # (arn:aws:iam::*:role/aws-service-role/ssm.amazonaws.com/AWSServiceRoleForAmazonSSM*):
        # the action is authorized on the service-linked role's ARN, as AWS names it in its
        # refusals ("iam:CreateServiceLinkedRole on resource: arn:aws:iam::ACCOUNT:role/
        # aws-service-role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoad
        # Balancing", public CLI logs of real AWS).
        self.assertEqual(self.ray_head_boto3()["ssm"],
                         ["AWSServiceRoleForAmazonSSM", "/aws-service-role/ssm.amazonaws.com/"])

    def test_boto3_instance_may_not_create_other_service_linked_roles(self):
        self.assertEqual(self.ray_head_boto3()["rds"], [
            403, "AccessDenied",
            "User: %s is not authorized to perform: iam:CreateServiceLinkedRole on resource: "
            "arn:aws:iam::%s:role/aws-service-role/rds.amazonaws.com/AWSServiceRoleForRDS "
            "because no identity-based policy allows the iam:CreateServiceLinkedRole action"
            % (self.session_arn("ray-head", "ray-head"), ACCOUNT)])

    # ---- the IMDSv2 protocol ------------------------------------------------------------

    def test_imdsv2_token_role_name_and_credentials(self):
        status, headers, token = http_request(
            self.instance("ray-head")[1], "PUT", "/latest/api/token",
            {"X-aws-ec2-metadata-token-ttl-seconds": "300"})
        self.assertEqual(status, 200, token)
        self.assertGreater(len(token), 20)
        self.assertEqual(headers.get("x-aws-ec2-metadata-token-ttl-seconds"), "300")
        status, _, names = self.get("ray-head", "/latest/meta-data/iam/security-credentials/", token)
        self.assertEqual((status, names), (200, "ray-head"))
        before = fx.utcnow().replace(microsecond=0)
        status, _, body = self.get("ray-head", "/latest/meta-data/iam/security-credentials/ray-head",
                                   token)
        self.assertEqual(status, 200, body)
        doc = json.loads(body)
        self.assertEqual(sorted(doc), sorted(["Code", "LastUpdated", "Type", "AccessKeyId",
                                              "SecretAccessKey", "Token", "Expiration"]))
        self.assertEqual((doc["Code"], doc["Type"]), ("Success", "AWS-HMAC"))
        self.assertRegex(doc["AccessKeyId"], r"^ASIA[A-Z0-9]{16}$")
        self.assertEqual(len(doc["SecretAccessKey"]), 40)
        iso = r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$"
        self.assertRegex(doc["Expiration"], iso)
        self.assertRegex(doc["LastUpdated"], iso)
        expires = datetime.datetime.strptime(doc["Expiration"], "%Y-%m-%dT%H:%M:%SZ")
        updated = datetime.datetime.strptime(doc["LastUpdated"], "%Y-%m-%dT%H:%M:%SZ")
        # SDKs refresh about 5-15 minutes before expiry: the credentials must last longer.
        self.assertGreater(expires - before, datetime.timedelta(minutes=30))
        self.assertLessEqual(expires - before, datetime.timedelta(hours=36))
        self.assertLessEqual(updated, fx.utcnow())
        # They are ray-head's session, usable against iamd.
        sts = self.server.client("sts", key_id=doc["AccessKeyId"], secret=doc["SecretAccessKey"],
                                 token=doc["Token"])
        self.assertEqual(sts.get_caller_identity()["Arn"], self.session_arn("ray-head", "ray-head"))
        # The same credentials come back until they are refreshed.
        _, _, again = self.get("ray-head", "/latest/meta-data/iam/security-credentials/ray-head",
                               self.token("ray-head"))
        self.assertEqual(json.loads(again)["AccessKeyId"], doc["AccessKeyId"])

    def test_instance_id_path(self):
        status, _, body = self.get("ray-head", "/latest/meta-data/instance-id", self.token("ray-head"))
        self.assertEqual((status, body), (200, self.instance("ray-head")[0]))

    def test_bad_token_is_401(self):
        for path in ("/latest/meta-data/iam/security-credentials/",
                     "/latest/meta-data/iam/security-credentials/ray-head",
                     "/latest/meta-data/instance-id"):
            status, _, _ = self.get("ray-head", path, "not-a-token-we-issued")
            self.assertEqual(status, 401, path)

    def test_token_ttl_must_be_given_and_in_range(self):
        url = self.instance("ray-head")[1]
        self.assertEqual(http_request(url, "PUT", "/latest/api/token")[0], 400)
        for ttl in ("0", "21601", "-1", "abc"):
            status, _, _ = http_request(url, "PUT", "/latest/api/token",
                                        {"X-aws-ec2-metadata-token-ttl-seconds": ttl})
            self.assertEqual(status, 400, ttl)
        self.token("ray-head", "1")
        self.token("ray-head", "21600")

    def test_credentials_of_another_role_name_are_404(self):
        token = self.token("ray-head")
        status, _, _ = self.get("ray-head", "/latest/meta-data/iam/security-credentials/ray-worker",
                                token)
        self.assertEqual(status, 404)

    # ---- no credentials ------------------------------------------------------------------

    def assertNoCredentials(self, profile, role_name):
        token = self.token(profile)
        status, _, body = self.get(profile, "/latest/meta-data/iam/security-credentials/", token)
        self.assertEqual(status, 404, body)
        if role_name is not None:
            status, _, body = self.get(
                profile, "/latest/meta-data/iam/security-credentials/" + role_name, token)
            self.assertEqual(status, 404, body)
        out = self.cli(profile, "sts", "get-caller-identity")
        self.assertNotEqual(out.returncode, 0, out.stdout)
        self.assertEqual(out.stdout, "")
        self.assertIn(NO_CREDENTIALS_CLI, out.stderr)
        self.assertEqual(self.boto3_run(profile), {"method": None, "error": "NoCredentialsError"})

    def test_role_that_does_not_trust_ec2_gives_no_credentials(self):
        self.assertNoCredentials("user-trust", "user-trust-role")

    def test_profile_without_a_role_gives_no_credentials(self):
        self.assertNoCredentials("no-role", None)

    def test_missing_profile_gives_no_credentials(self):
        self.assertNoCredentials("no-such-profile", None)

    def test_credentials_follow_the_profile(self):
        token = self.token("late")
        path = "/latest/meta-data/iam/security-credentials/"
        self.assertEqual(self.get("late", path, token)[0], 404)
        self.iam.add_role_to_instance_profile(InstanceProfileName="late", RoleName="late-role")
        try:
            status, _, body = self.get("late", path, token)
            self.assertEqual((status, body), (200, "late-role"))
            out = self.cli("late", "sts", "get-caller-identity", "--output", "json")
            self.assertEqual(out.returncode, 0, out.stderr)
            self.assertEqual(json.loads(out.stdout)["Arn"], self.session_arn("late", "late-role"))
            # A trust policy that stops trusting EC2 stops the credentials.
            self.iam.update_assume_role_policy(RoleName="late-role", PolicyDocument=json.dumps({
                "Version": "2012-10-17", "Statement": [{
                    "Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                    "Action": "sts:AssumeRole"}]}))
            self.assertEqual(self.get("late", path, token)[0], 404)
        finally:
            self.iam.update_assume_role_policy(
                RoleName="late-role", PolicyDocument=fx.seed_file("ray_trust_policy.json").decode())
            self.iam.remove_role_from_instance_profile(InstanceProfileName="late",
                                                       RoleName="late-role")
        self.assertEqual(self.get("late", path, token)[0], 404)


if __name__ == "__main__":
    unittest.main(verbosity=2)
