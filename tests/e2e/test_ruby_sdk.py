"""iamd's STS and credential endpoints through a third SDK family: the AWS SDK for Ruby, as
Debian ships it (ruby-aws-sdk-core: the STS client and the credential providers, no IAM client).
Its STS client has its own query encoder, XML parser and signer (which also signs
x-amz-content-sha256). Its credential providers are the ones Chef, Fluentd and Logstash
plugins use: instance metadata (IMDSv2), the container endpoint, AssumeRole and web identity
(EKS's IAM roles for service accounts). tests/e2e/sdk_ruby/sts_check.rb makes the calls; see
there for its modes.
"""

import json
import os
import subprocess
import unittest

import iamd_fixture as fx

STS_CHECK = os.path.join(fx.HERE, "sdk_ruby", "sts_check.rb")
RUBY = "/usr/bin/ruby"


class RubySdkTest(fx.SdkTestCase):

    maxDiff = None
    server_seeded = True  # ray-head, for the instance metadata
    task_role = "ruby-task"

    @classmethod
    def prepare_server(cls):
        if not os.access(RUBY, os.X_OK):
            raise RuntimeError("%s is missing: scripts/install-deps.sh installs ruby and "
                               "ruby-aws-sdk-core" % RUBY)
        cls.iam.create_role(RoleName="ruby-task", AssumeRolePolicyDocument=json.dumps({
            "Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"},
                "Action": "sts:AssumeRole"}]}))
        cls.create_irsa_role()
        cls.user = fx.create_user_with_key(cls.iam, "ruby-assumer", inline=fx.document(
            fx.allow("sts:AssumeRole")))
        cls.iam.create_role(RoleName="ruby-assumable", AssumeRolePolicyDocument=json.dumps({
            "Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Principal": {"AWS": cls.user["arn"]},
                "Action": "sts:AssumeRole"}]}))

    def ruby(self, *args, **env):
        """Runs sts_check.rb ARGS with only `env` for credentials; its one line of output."""
        done = subprocess.run([RUBY, STS_CHECK] + list(args), env=self.sdk_env(**env),
                              capture_output=True, text=True, timeout=120,
                              stdin=subprocess.DEVNULL)
        self.assertEqual(done.returncode, 0, done.stderr + "\n--- " + self.server.describe())
        return done.stdout.splitlines()[0]

    def session_arn(self, role, session):
        return "arn:aws:sts::%s:assumed-role/%s/%s" % (fx.ACCOUNT_ID, role, session)

    def test_keys_from_the_environment(self):
        self.assertEqual(self.ruby("env", AWS_ACCESS_KEY_ID=fx.ROOT_KEY_ID,
                                   AWS_SECRET_ACCESS_KEY=fx.ROOT_SECRET),
                         "arn:aws:iam::%s:root" % fx.ACCOUNT_ID)
        self.assertEqual(self.ruby("env", AWS_ACCESS_KEY_ID=self.user["key_id"],
                                   AWS_SECRET_ACCESS_KEY=self.user["secret"]),
                         self.user["arn"])

    def test_a_wrong_secret_gets_awss_signature_error(self):
        out = self.ruby("env", AWS_ACCESS_KEY_ID=fx.ROOT_KEY_ID,
                        AWS_SECRET_ACCESS_KEY="not-the-secret")
        self.assertEqual(out, "ERROR SignatureDoesNotMatch The request signature we calculated "
                              "does not match the signature you provided. Check your AWS Secret "
                              "Access Key and signing method. Consult the service documentation "
                              "for details.")

    def test_instance_metadata_credentials(self):
        instance, url = self.server.imds["ray-head"]
        self.assertEqual(self.ruby("imds", AWS_EC2_METADATA_DISABLED=None, IAMD_IMDS_URL=url),
                         self.session_arn("ray-head", instance))

    def test_container_credentials(self):
        task, uri = self.server.ecs["ruby-task"]
        self.assertEqual(self.ruby("ecs", IAMD_ECS_URI=uri), self.session_arn("ruby-task", task))

    def test_assume_role_credentials(self):
        keys = {"AWS_ACCESS_KEY_ID": self.user["key_id"],
                "AWS_SECRET_ACCESS_KEY": self.user["secret"]}
        self.assertEqual(self.ruby("assume", fx.arn("role", "ruby-assumable"), **keys),
                         self.session_arn("ruby-assumable", "ruby-sdk"))
        self.assertEqual(self.ruby("assume", fx.arn("role", "ray-worker"), **keys),
                         "ERROR AccessDenied User: %s is not authorized to perform: "
                         "sts:AssumeRole on resource: %s" % (self.user["arn"],
                                                             fx.arn("role", "ray-worker")))

    def test_web_identity_credentials(self):
        token_file = self.web_identity_token_file("ruby-token")
        self.assertEqual(self.ruby("web-identity", AWS_ROLE_ARN=fx.arn("role", "irsa-app"),
                                   AWS_WEB_IDENTITY_TOKEN_FILE=token_file),
                         self.session_arn("irsa-app", "pod-1"))


if __name__ == "__main__":
    unittest.main()
