"""iamd through a second SDK family: the AWS SDKs for Go, v2 (the SDK of Terraform's AWS
provider) and v1 (Packer's, Vault's), from Debian's golang-github-aws-aws-sdk-go-v2-dev and
golang-github-aws-aws-sdk-go-dev. The Go side is tests/e2e/sdk_go/, built by CMake as
iamd-go-sdk-check (its path in IAMD_GO_SDK_CHECK); it makes the calls and checks what the SDK
decodes, and these tests check what it leaves behind with boto3. Each SDK gets its own server.

What runs through each SDK: the seed page's calls, AWS's errors as the SDK decodes them (v2:
into its modelled exception types), paginators and waiters, and the SDK's default credential
chain fetching a role's credentials from iamd's instance metadata (--imds) and container
credentials (--ecs) endpoints and from a web identity token file (EKS's IAM roles for service
accounts, with an issuer made by `iamd oidc keygen`); through v2 also stscreds' AssumeRole
provider, and the life of a role, a managed policy and an instance profile as Terraform's
resources drive it.
"""

import json
import os
import subprocess
import unittest
import urllib.parse

import iamd_fixture as fx

GO_SDK_CHECK = os.environ.get("IAMD_GO_SDK_CHECK") or os.path.join(
    fx.SOURCE_DIR, "build", "tests", "e2e", "iamd-go-sdk-check")


def trust(service):
    return json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}]})


class GoSdkTests:
    """The tests for either SDK; `prefix` picks the SDK's commands of iamd-go-sdk-check."""

    prefix = None
    maxDiff = None
    task_role = "go-task"

    @classmethod
    def prepare_server(cls):
        if not os.access(GO_SDK_CHECK, os.X_OK):
            raise RuntimeError(
                "%s is missing: it is built with the Go toolchain and Debian's AWS SDKs for Go "
                "(scripts/install-deps.sh installs golang-go, golang-github-aws-aws-sdk-go-v2-dev "
                "and golang-github-aws-aws-sdk-go-dev; then cmake again)" % GO_SDK_CHECK)
        # The seed page through the Go SDK, as the first thing on an empty server.
        cls.seed = cls.go(cls.prefix + "seed")
        cls.iam.create_role(RoleName="go-task", AssumeRolePolicyDocument=trust(
            "ecs-tasks.amazonaws.com"))
        cls.iam.attach_role_policy(RoleName="go-task",
                                   PolicyArn="arn:aws:iam::aws:policy/IAMReadOnlyAccess")
        cls.create_irsa_role()

    # ---- helpers ----------------------------------------------------------------------

    @classmethod
    def go(cls, *args, env=None, ok=True):
        """Runs iamd-go-sdk-check ARGS (as root unless env says otherwise); its output lines."""
        if env is None:
            env = cls.sdk_env(AWS_ACCESS_KEY_ID=fx.ROOT_KEY_ID,
                           AWS_SECRET_ACCESS_KEY=fx.ROOT_SECRET)
        done = subprocess.run([GO_SDK_CHECK] + list(args), env=env, capture_output=True,
                              text=True, timeout=180, stdin=subprocess.DEVNULL)
        if ok and done.returncode != 0:
            raise AssertionError("iamd-go-sdk-check %s failed (exit %d):\n%s%s\n--- %s" % (
                " ".join(args), done.returncode, done.stdout, done.stderr,
                cls.server.describe()))
        return done.stdout.splitlines() if ok else done

    # ---- the seed page ------------------------------------------------------------------

    def test_the_seed_prints_the_two_instance_profile_arns(self):
        self.assertEqual(self.seed, [fx.arn("instance-profile", "ray-head"),
                                     fx.arn("instance-profile", "ray-worker")])

    def test_the_seeds_state_as_boto3_reads_it(self):
        head = self.iam.get_role(RoleName="ray-head")["Role"]
        self.assertEqual(head["AssumeRolePolicyDocument"],
                         json.loads(fx.seed_file("ray_trust_policy.json")))
        attached = self.iam.list_attached_role_policies(RoleName="ray-head")["AttachedPolicies"]
        self.assertEqual(len(attached), 5)
        inline = self.iam.get_role_policy(RoleName="ray-head",
                                          PolicyName="ray-pass-role-policy")
        self.assertEqual(inline["PolicyDocument"],
                         json.loads(fx.seed_file("ray_pass_role_policy.json")))
        for name in ("ray-head", "ray-worker"):
            profile = self.iam.get_instance_profile(InstanceProfileName=name)["InstanceProfile"]
            self.assertEqual([r["RoleName"] for r in profile["Roles"]], [name])
        # The documents are stored byte for byte as the Go SDK sent them.
        raw = self.server.raw({"Action": "GetRolePolicy", "RoleName": "ray-head",
                               "PolicyName": "ray-pass-role-policy", "Version": "2010-05-08"})
        document = fx.xml_text(raw[2], "GetRolePolicyResult/PolicyDocument")
        self.assertEqual(urllib.parse.unquote(document).encode(),
                         fx.seed_file("ray_pass_role_policy.json"))

    # ---- errors, pages, waiters --------------------------------------------------------

    def test_errors_decode_into_the_sdks_exception_types_and_change_nothing(self):
        before = self.iam.get_account_authorization_details()
        before.pop("ResponseMetadata")
        self.go(self.prefix + "errors")
        after = self.iam.get_account_authorization_details()
        after.pop("ResponseMetadata")
        self.assertEqual(after, before)

    def test_paginators_and_waiters(self):
        out = self.go(self.prefix + "pages")
        self.assertEqual(out[0], "AWS managed policies: 1485 in 15 pages")
        roles = [r["RoleName"] for p in self.iam.get_paginator("list_roles").paginate()
                 for r in p["Roles"] if r["RoleName"] != "waited-for"]
        self.assertEqual(out[1].split()[1:], roles)
        self.assertEqual(out[2], "waiters: ok")
        self.iam.get_role(RoleName="waited-for")
        self.iam.get_instance_profile(InstanceProfileName="waited-for")

    # ---- credentials -------------------------------------------------------------------

    def test_root_keys_from_the_environment(self):
        self.assertEqual(self.go(self.prefix + "whoami"),
                         ["arn:aws:iam::%s:root" % fx.ACCOUNT_ID, "GetRole: allowed"])

    def test_instance_metadata_credentials_through_the_default_chain(self):
        instance, url = self.server.imds["ray-head"]
        out = self.go(self.prefix + "whoami", env=self.sdk_env(
            AWS_EC2_METADATA_DISABLED=None, AWS_EC2_METADATA_SERVICE_ENDPOINT=url + "/"))
        self.assertEqual(out[0], "arn:aws:sts::%s:assumed-role/ray-head/%s" % (fx.ACCOUNT_ID,
                                                                               instance))
        # ray-head's policies (the seed's five and its PassRole) do not allow iam:GetRole.
        self.assertEqual(out[1], "GetRole: AccessDenied")

    def test_web_identity_token_file_through_the_default_chain(self):
        """IAM roles for service accounts: AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE, as EKS
        sets them in a pod; the SDK exchanges the token with AssumeRoleWithWebIdentity."""
        token_file = self.web_identity_token_file(self.prefix + "token")
        out = self.go(self.prefix + "whoami", env=self.sdk_env(
            AWS_ROLE_ARN=fx.arn("role", "irsa-app"), AWS_WEB_IDENTITY_TOKEN_FILE=token_file,
            AWS_ROLE_SESSION_NAME="pod-1"))
        self.assertEqual(out, ["arn:aws:sts::%s:assumed-role/irsa-app/pod-1" % fx.ACCOUNT_ID,
                               "GetRole: AccessDenied"])

    def test_container_credentials_through_the_default_chain(self):
        task, uri = self.server.ecs["go-task"]
        out = self.go(self.prefix + "whoami",
                      env=self.sdk_env(AWS_CONTAINER_CREDENTIALS_FULL_URI=uri))
        self.assertEqual(out, ["arn:aws:sts::%s:assumed-role/go-task/%s" % (fx.ACCOUNT_ID, task),
                               "GetRole: allowed"])


class GoSdkV2Test(GoSdkTests, fx.SdkTestCase):

    prefix = ""

    def test_assume_role_provider(self):
        user = fx.create_user_with_key(self.iam, "go-assumer", inline=fx.document(
            fx.allow("sts:AssumeRole")))
        keys = self.sdk_env(AWS_ACCESS_KEY_ID=user["key_id"], AWS_SECRET_ACCESS_KEY=user["secret"])
        role = self.iam.create_role(RoleName="go-assumable", AssumeRolePolicyDocument=json.dumps({
            "Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Principal": {"AWS": user["arn"]},
                "Action": "sts:AssumeRole"}]}))["Role"]
        out = self.go("assume", role["Arn"], env=keys)
        self.assertEqual(out,
                         ["arn:aws:sts::%s:assumed-role/go-assumable/go-sdk" % fx.ACCOUNT_ID])
        # Not trusted: the provider's error is AWS's.
        done = self.go("assume", fx.arn("role", "ray-worker"), ok=False, env=keys)
        self.assertEqual(done.returncode, 1)
        self.assertIn("api error AccessDenied: User: %s is not authorized to perform: "
                      "sts:AssumeRole on resource: %s"
                      % (user["arn"], fx.arn("role", "ray-worker")), done.stderr)

    def test_a_terraform_style_lifecycle_leaves_nothing_behind(self):
        before = self.iam.get_account_authorization_details()
        before.pop("ResponseMetadata")
        self.assertEqual(self.go("lifecycle"), ["lifecycle: ok"])
        after = self.iam.get_account_authorization_details()
        after.pop("ResponseMetadata")
        self.assertEqual(after, before)
        self.assertEqual(self.iam.list_policies(Scope="Local")["Policies"], [])
        self.assertEqual(self.iam.list_instance_profiles(PathPrefix="/tf/")["InstanceProfiles"],
                         [])


class GoSdkV1Test(GoSdkTests, fx.SdkTestCase):

    prefix = "v1-"


if __name__ == "__main__":
    unittest.main()
