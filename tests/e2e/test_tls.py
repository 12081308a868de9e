"""`iamd serve --tls-cert FILE --tls-key FILE`: the IAM and STS API over HTTPS.

The seed page runs verbatim over HTTPS through AWS CLI v2 and v1 (with AWS_CA_BUNDLE naming
the test CA, as one would for a private CA); boto3 verifies the server's certificate and
refuses it without the CA; plain HTTP sent to the HTTPS port gets a 400 that says so; SIGHUP
loads a renewed certificate;
aws:SecureTransport is true over HTTPS and false over HTTP, so the common "deny what does not
come over TLS" policy works; and a key file others can read, a key that is not the
certificate's, or half the pair stop the server before it listens.

The TLS material is src/server/testdata/tls (README.md there says how it was made).
"""

import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import unittest

import botocore.exceptions

import iamd_fixture as fx

TLS_DIR = os.path.join(fx.SOURCE_DIR, "src", "server", "testdata", "tls")
CA = os.path.join(TLS_DIR, "ca-cert.pem")
CERT = os.path.join(TLS_DIR, "server-cert.pem")


def key_copy(folder, name="server-key.pem", mode=0o600):
    """The test key copied into `folder` with `mode` (git does not keep a file's mode)."""
    path = os.path.join(folder, name)
    shutil.copyfile(os.path.join(TLS_DIR, name), path)
    os.chmod(path, mode)
    return path


def https_server(folder, data_dir=None):
    key = key_copy(folder)
    return fx.Iamd(data_dir=data_dir, extra_args=["--tls-cert", CERT, "--tls-key", key],
                   ca_bundle=CA)


class HttpsEndpoint(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="iamd-tls-")
        cls.server = https_server(cls.tmp).start()

    @classmethod
    def tearDownClass(cls):
        cls.server.close()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_the_server_prints_an_https_url(self):
        self.assertEqual(self.server.scheme, "https")
        self.assertTrue(self.server.endpoint.startswith("https://127.0.0.1:"))

    def test_seed_page_runs_verbatim_over_https_with_cli_v2_and_v1(self):
        for cli in (fx.AWS_CLI_V2, fx.find_aws_cli_v1()):
            with self.subTest(cli=cli):
                server = https_server(self.tmp).start()
                try:
                    seed = fx.run_seed(server, cli)
                    self.assertEqual(seed.returncode, 0, fx.seed_failure(seed, server))
                    for name in ("ray-head", "ray-worker"):
                        self.assertIn("arn:aws:iam::%s:instance-profile/%s" % (fx.ACCOUNT_ID, name),
                                      seed.stdout)
                    attached = server.client().list_attached_role_policies(RoleName="ray-head")
                    self.assertEqual([p["PolicyArn"] for p in attached["AttachedPolicies"]],
                                     fx.SEED_POLICY_ARNS)
                finally:
                    server.close()

    def test_boto3_checks_the_certificate(self):
        who = self.server.client("sts").get_caller_identity()
        self.assertEqual(who["Arn"], "arn:aws:iam::%s:root" % fx.ACCOUNT_ID)
        # The system's trust store does not hold the test CA: the handshake must fail.
        untrusting = fx.boto3.session.Session().client(
            "iam", endpoint_url=self.server.endpoint, region_name=fx.REGION,
            aws_access_key_id=fx.ROOT_KEY_ID, aws_secret_access_key=fx.ROOT_SECRET,
            config=fx.botocore.config.Config(retries={"total_max_attempts": 1}))
        with self.assertRaises(botocore.exceptions.SSLError):
            untrusting.list_roles()

    def test_the_cli_refuses_the_certificate_without_the_ca(self):
        env = self.server.cli_env()
        del env["AWS_CA_BUNDLE"]
        done = self.server.run_cli(fx.AWS_CLI_V2, "iam", "list-roles", env=env)
        self.assertNotEqual(done.returncode, 0)
        self.assertIn("CERTIFICATE_VERIFY_FAILED", done.stderr)

    def test_plain_http_to_the_https_port_gets_a_400_that_says_so(self):
        conn = fx.http.client.HTTPConnection(self.server.host, self.server.port, timeout=10)
        try:
            conn.request("POST", "/", body=b"Action=ListRoles&Version=2010-05-08",
                         headers={"Content-Type": "application/x-www-form-urlencoded"})
            resp = conn.getresponse()
            body = resp.read().decode()
        finally:
            conn.close()
        self.assertEqual(resp.status, 400)
        self.assertIn("HTTPS endpoint", body)
        self.assertEqual(self.server.healthz(), 200)

    def test_signed_requests_work_through_http_client_over_tls(self):
        status, _, body = self.server.raw({"Action": "GetUser"})
        self.assertEqual(status, 200, body)
        self.assertIn(b"<Arn>arn:aws:iam::%s:root</Arn>" % fx.ACCOUNT_ID.encode(), body)


class ReloadOnSighup(unittest.TestCase):
    """SIGHUP reads --tls-cert and --tls-key again (a renewed certificate), as nginx's reload
    does: new connections get the new pair; a bad pair is refused and the one in use stays."""

    def test_a_renewed_certificate_is_served_after_sighup(self):
        tmp = tempfile.mkdtemp(prefix="iamd-tls-")
        try:
            chain, key = os.path.join(tmp, "chain.pem"), key_copy(tmp)
            shutil.copyfile(CERT, chain)
            server = fx.Iamd(extra_args=["--tls-cert", chain, "--tls-key", key], ca_bundle=CA,
                             quiet=False).start()
            try:
                self.assertEqual(server.client().list_roles()["Roles"], [])
                shutil.copyfile(os.path.join(TLS_DIR, "renewed-server-cert.pem"), chain)
                shutil.copyfile(os.path.join(TLS_DIR, "renewed-server-key.pem"), key)
                server.proc.send_signal(signal.SIGHUP)
                self.wait_for_log(server, '"event":"tls_reloaded"')
                server.ca_bundle = os.path.join(TLS_DIR, "renewed-ca-cert.pem")
                self.assertEqual(server.client().list_roles()["Roles"], [])
                server.ca_bundle = CA  # the old CA no longer vouches for the server
                with self.assertRaises(botocore.exceptions.SSLError):
                    server.client().list_roles()

                # A key file others can read: refused, as at start-up.
                os.chmod(key, 0o644)
                server.proc.send_signal(signal.SIGHUP)
                self.wait_for_log(server, "has mode 0644")
                self.assertIn('"event":"tls_reload_failed"', server.logs())
                os.chmod(key, 0o600)

                # A key that is not the certificate's: refused, the renewed pair stays.
                shutil.copyfile(os.path.join(TLS_DIR, "other-key.pem"), key)
                server.proc.send_signal(signal.SIGHUP)
                self.wait_for_log(server, "does not match the certificate")
                server.ca_bundle = os.path.join(TLS_DIR, "renewed-ca-cert.pem")
                self.assertEqual(server.client().list_roles()["Roles"], [])
                self.assertIsNone(server.proc.poll())
            finally:
                server.close()
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def wait_for_log(self, server, text, timeout=10.0):
        deadline = time.monotonic() + timeout
        while text not in server.logs():
            self.assertLess(time.monotonic(), deadline, "no %s in:\n%s" % (text, server.logs()))
            time.sleep(0.02)


class SecureTransportCondition(unittest.TestCase):
    """aws:SecureTransport (IAM User Guide, AWS global condition context keys: "whether the
    request was sent using TLS"): one data folder served over HTTPS, then over plain HTTP."""

    def test_a_policy_that_denies_requests_without_tls(self):
        tmp = tempfile.mkdtemp(prefix="iamd-tls-")
        data = os.path.join(tmp, "data")
        try:
            server = https_server(tmp, data_dir=data).start()
            try:
                iam = server.client()
                # The AWS pattern: allow what the user needs, deny everything not sent over TLS.
                user = fx.create_user_with_key(iam, "tls-only", inline=fx.document(
                    fx.allow("iam:GetUser"),
                    fx.deny("*", Condition={"Bool": {"aws:SecureTransport": "false"}})))
                as_user = server.client(key_id=user["key_id"], secret=user["secret"])
                self.assertEqual(as_user.get_user()["User"]["UserName"], "tls-only")
                # The simulator takes the key from the caller, whatever the transport.
                sim = iam.simulate_principal_policy(
                    PolicySourceArn=fx.arn("user", "tls-only"), ActionNames=["iam:GetUser"],
                    ContextEntries=[{"ContextKeyName": "aws:SecureTransport",
                                     "ContextKeyValues": ["false"], "ContextKeyType": "boolean"}])
                self.assertEqual(sim["EvaluationResults"][0]["EvalDecision"], "explicitDeny")
            finally:
                self.assertEqual(server.stop(), 0, server.logs())  # the data folder is ours
                server.close()
            plain = fx.Iamd(data_dir=data).start()
            try:
                as_user = plain.client(key_id=user["key_id"], secret=user["secret"])
                with self.assertRaises(botocore.exceptions.ClientError) as caught:
                    as_user.get_user()
                err = caught.exception.response["Error"]
                self.assertEqual(err["Code"], "AccessDenied")
                self.assertEqual(err["Message"], fx.denied(
                    fx.arn("user", "tls-only"), "iam:GetUser", "user tls-only",
                    why="explicit-identity"))
            finally:
                plain.close()
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


class RefusedAtStart(unittest.TestCase):
    """Bad TLS settings stop `iamd serve` with exit status 2 and a message, before it serves."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="iamd-tls-")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def serve(self, *tls_args):
        return subprocess.run(
            [fx.IAMD_BIN, "serve", "--listen", "127.0.0.1:0", "--data",
             os.path.join(self.tmp, "data"), "--root-access-key-id", fx.ROOT_KEY_ID,
             "--root-secret-access-key", fx.ROOT_SECRET] + list(tls_args),
            capture_output=True, text=True, timeout=60, env=fx._base_env())

    def assertRefused(self, done, *fragments):
        self.assertEqual(done.returncode, 2, done.stdout + done.stderr)
        self.assertNotIn("iamd: serving", done.stdout)
        for fragment in fragments:
            self.assertIn(fragment, done.stderr)

    def test_a_key_file_others_can_read(self):
        key = key_copy(self.tmp, mode=0o644)
        self.assertRefused(self.serve("--tls-cert", CERT, "--tls-key", key),
                           "TLS private key %s has mode 0644" % key)

    def test_a_key_file_the_group_can_read(self):
        """PostgreSQL's rule: 0640 only for a key root owns (Debian's ssl-cert group)."""
        key = key_copy(self.tmp, mode=0o640)
        if os.stat(key).st_uid != 0:
            self.assertRefused(self.serve("--tls-cert", CERT, "--tls-key", key), "mode 0640")
            return
        server = fx.Iamd(extra_args=["--tls-cert", CERT, "--tls-key", key], ca_bundle=CA)
        try:
            self.assertEqual(server.start().healthz(), 200)
        finally:
            server.close()

    def test_an_encrypted_key(self):
        key = key_copy(self.tmp, "encrypted-key.pem")
        done = self.serve("--tls-cert", CERT, "--tls-key", key)
        self.assertRefused(done, "is encrypted")
        self.assertNotIn("pass phrase", done.stdout + done.stderr)

    def test_a_fifo_as_key_is_refused_at_once(self):
        fifo = os.path.join(self.tmp, "key.pem")
        os.mkfifo(fifo, 0o600)
        self.assertRefused(self.serve("--tls-cert", CERT, "--tls-key", fifo),
                           "is not a regular file")

    def test_a_key_that_is_not_the_certificates(self):
        key = key_copy(self.tmp, "other-key.pem")
        self.assertRefused(self.serve("--tls-cert", CERT, "--tls-key", key),
                           "does not match the certificate")

    def test_a_missing_certificate_file(self):
        key = key_copy(self.tmp)
        missing = os.path.join(self.tmp, "missing.pem")
        self.assertRefused(self.serve("--tls-cert", missing, "--tls-key", key), missing)

    def test_half_the_pair(self):
        self.assertRefused(self.serve("--tls-cert", CERT), "give both --tls-cert and --tls-key")
        key = key_copy(self.tmp)
        self.assertRefused(self.serve("--tls-key", key), "give both --tls-cert and --tls-key")


if __name__ == "__main__":
    unittest.main()
