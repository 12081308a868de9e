"""SigV4 on the wire: unsigned, wrongly signed, unknown-key and stale requests get 403 with
AWS's codes and messages; correctly signed requests work whatever the region, by GET or POST.

Requests are sent raw with http.client (signed by botocore's SigV4Auth, with its clock patched
where a test needs an old or future signature). Codes: shared/AWS-WIRE.md "Refusals".
Messages not in notes/aws-errors.md are AWS's texts as its SDKs print them:
  MissingAuthenticationToken  "Request is missing Authentication Token"
  SignatureDoesNotMatch       "The request signature we calculated does not match ...",
                              followed by the canonical string and string to sign (as real
                              IAM/STS/SQS print them, aws/aws-cli#5341); "Signature expired:
                              T is now earlier than T-15m (NOW - 15 min.)"; "Credential should
                              be scoped to correct service: 'iam'. " (AWS's scope messages end
                              in ". ", as STS's "... service: 'sts'. " in public logs)
  InvalidClientTokenId        "The security token included in the request is invalid."
"""

import datetime
import http.client
import re
import subprocess
import unittest
import urllib.parse
import xml.etree.ElementTree as ET

import botocore.auth
import botocore.awsrequest
import botocore.credentials
import botocore.exceptions

import iamd_fixture as fx

MISMATCH = ("The request signature we calculated does not match the signature you provided. "
            "Check your AWS Secret Access Key and signing method. Consult the service "
            "documentation for details.")
INVALID_TOKEN = "The security token included in the request is invalid."
AMZ_DATE = "%Y%m%dT%H%M%SZ"


def amz(ts):
    return datetime.datetime.strptime(ts, AMZ_DATE)


def now_to_the_second():
    return fx.utcnow().replace(microsecond=0)


def full_mismatch(server, body, signed_at, region="us-east-1"):
    """AWS's SignatureDoesNotMatch text for a query-protocol POST: the fixed sentence, then the
    canonical request and string to sign the server computed from what it received (as real
    IAM/STS/SQS print them, e.g. aws/aws-cli#5341)."""
    req = botocore.awsrequest.AWSRequest(
        method="POST", url=server.endpoint + "/", data=body,
        headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
                 "X-Amz-Date": signed_at.strftime(AMZ_DATE)})
    req.context["timestamp"] = signed_at.strftime(AMZ_DATE)
    signer = botocore.auth.SigV4Auth(
        botocore.credentials.Credentials(fx.ROOT_KEY_ID, fx.ROOT_SECRET), "iam", region)
    canonical = signer.canonical_request(req)
    to_sign = signer.string_to_sign(req, canonical)
    return (MISMATCH + "\n\nThe Canonical String for this request should have been\n'" +
            canonical + "'\n\nThe String-to-Sign should have been\n'" + to_sign + "'\n")


class AuthTest(fx.ServerTestCase):

    def assertRefused(self, response, code, message):
        status, headers, body = response
        self.assertEqual((status,) + fx.parse_error(body), (403, "Sender", code, message), body)

    def assertListRolesOk(self, response):
        status, _, body = response
        self.assertEqual(status, 200, body)
        self.assertEqual(ET.fromstring(body).tag, fx.IAM_NS + "ListRolesResponse")

    # ---- refusals ---------------------------------------------------------------------

    def test_unsigned_post_is_missing_authentication_token(self):
        self.assertRefused(self.server.raw({"Action": "ListRoles"}, sign=False),
                           "MissingAuthenticationToken", "Request is missing Authentication Token")

    def test_unsigned_get_is_missing_authentication_token(self):
        self.assertRefused(self.server.raw({"Action": "GetRole", "RoleName": "x"}, method="GET",
                                           sign=False),
                           "MissingAuthenticationToken", "Request is missing Authentication Token")

    def test_wrong_secret_is_signature_does_not_match(self):
        at = now_to_the_second()
        self.assertRefused(self.server.raw({"Action": "ListRoles"}, secret="not-the-secret", at=at),
                           "SignatureDoesNotMatch", full_mismatch(
                               self.server, b"Action=ListRoles&Version=2010-05-08", at))

    def test_altered_signature_is_signature_does_not_match(self):
        def flip_last_hex_digit(headers):
            auth = headers["Authorization"]
            headers["Authorization"] = auth[:-1] + ("0" if auth[-1] != "0" else "1")
        at = now_to_the_second()
        self.assertRefused(
            self.server.raw({"Action": "ListRoles"}, tamper=flip_last_hex_digit, at=at),
            "SignatureDoesNotMatch",
            full_mismatch(self.server, b"Action=ListRoles&Version=2010-05-08", at))

    def test_body_changed_after_signing_is_signature_does_not_match(self):
        self.iam.create_role(RoleName="signed-name",
                             AssumeRolePolicyDocument=fx.seed_file("ray_trust_policy.json").decode())
        changed = b"Action=DeleteRole&RoleName=signed-nama&Version=2010-05-08"
        at = now_to_the_second()
        response = self.server.raw({"Action": "DeleteRole", "RoleName": "signed-name"},
                                   tamper=lambda h: changed, at=at)
        self.assertRefused(response, "SignatureDoesNotMatch",
                           full_mismatch(self.server, changed, at))
        self.iam.get_role(RoleName="signed-name")  # nothing was deleted

    def test_unknown_access_key_is_invalid_client_token_id(self):
        self.assertRefused(self.server.raw({"Action": "ListRoles"}, key_id="AKIAIOSFODNN7EXAMPLE",
                                           secret="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
                           "InvalidClientTokenId", INVALID_TOKEN)

    def test_unknown_access_key_through_boto3(self):
        iam = self.server.client(key_id="AKIAIOSFODNN7EXAMPLE", secret="x" * 40)
        with self.assertRaises(botocore.exceptions.ClientError) as ctx:
            iam.list_roles()
        err = ctx.exception.response
        self.assertEqual((err["ResponseMetadata"]["HTTPStatusCode"], err["Error"]["Code"],
                          err["Error"]["Message"]), (403, "InvalidClientTokenId", INVALID_TOKEN))

    def test_request_signed_20_minutes_ago_has_expired(self):
        signed_at = fx.utcnow().replace(microsecond=0) - datetime.timedelta(minutes=20)
        status, _, body = self.server.raw({"Action": "ListRoles"}, at=signed_at)
        self.assertEqual(status, 403, body)
        _, code, message = fx.parse_error(body)
        self.assertEqual(code, "SignatureDoesNotMatch")
        m = re.fullmatch(r"Signature expired: (\d{8}T\d{6}Z) is now earlier than (\d{8}T\d{6}Z) "
                         r"\((\d{8}T\d{6}Z) - 15 min\.\)", message)
        self.assertIsNotNone(m, message)
        self.assertEqual(amz(m.group(1)), signed_at)
        self.assertEqual(amz(m.group(3)) - amz(m.group(2)), datetime.timedelta(minutes=15))
        self.assertLess(abs(amz(m.group(3)) - fx.utcnow()), datetime.timedelta(minutes=1))

    def test_request_signed_20_minutes_ahead_is_not_yet_current(self):
        signed_at = fx.utcnow().replace(microsecond=0) + datetime.timedelta(minutes=20)
        status, _, body = self.server.raw({"Action": "ListRoles"}, at=signed_at)
        self.assertEqual(status, 403, body)
        _, code, message = fx.parse_error(body)
        self.assertEqual(code, "SignatureDoesNotMatch")
        m = re.fullmatch(r"Signature not yet current: (\d{8}T\d{6}Z) is still later than "
                         r"(\d{8}T\d{6}Z) \((\d{8}T\d{6}Z) \+ 15 min\.\)", message)
        self.assertIsNotNone(m, message)
        self.assertEqual(amz(m.group(1)), signed_at)
        self.assertEqual(amz(m.group(2)) - amz(m.group(3)), datetime.timedelta(minutes=15))

    def test_expired_request_changes_nothing(self):
        signed_at = fx.utcnow() - datetime.timedelta(minutes=20)
        status, _, _ = self.server.raw(
            {"Action": "CreateRole", "RoleName": "too-late",
             "AssumeRolePolicyDocument": fx.seed_file("ray_trust_policy.json").decode()},
            at=signed_at)
        self.assertEqual(status, 403)
        names = [r["RoleName"] for r in self.iam.list_roles()["Roles"]]
        self.assertNotIn("too-late", names)

    def test_request_signed_14_minutes_ago_is_accepted(self):
        self.assertListRolesOk(self.server.raw(
            {"Action": "ListRoles"}, at=fx.utcnow() - datetime.timedelta(minutes=14)))

    def test_scope_for_another_service_is_refused(self):
        # See the module docstring for the text.
        status, _, body = self.server.raw({"Action": "ListRoles"}, service="s3")
        self.assertEqual(status, 403, body)
        _, code, message = fx.parse_error(body)
        self.assertEqual(code, "SignatureDoesNotMatch")
        self.assertEqual(message, "Credential should be scoped to correct service: 'iam'. ")

    def test_refusals_carry_a_request_id(self):
        status, headers, body = self.server.raw({"Action": "ListRoles"}, sign=False)
        root = ET.fromstring(body)
        self.assertEqual(root.tag, fx.IAM_NS + "ErrorResponse")
        request_id = root.findtext(fx.IAM_NS + "RequestId")
        self.assertRegex(request_id or "", r"^[0-9a-f-]{36}$")
        header = {k.lower(): v for k, v in headers.items()}.get("x-amzn-requestid")
        self.assertEqual(header, request_id)

    def test_cli_v2_with_a_wrong_secret(self):
        env = self.server.cli_env()
        env["AWS_SECRET_ACCESS_KEY"] = "not-the-secret"
        out = subprocess.run([fx.AWS_CLI_V2, "--endpoint-url", self.server.endpoint, "iam",
                              "list-roles"], env=env, capture_output=True, text=True, timeout=120)
        self.assertEqual(out.returncode, 254, out.stderr)
        self.assertTrue(out.stderr.strip().startswith(
            "An error occurred (SignatureDoesNotMatch) when calling the ListRoles operation: "
            + MISMATCH + "\n\nThe Canonical String for this request should have been\n'POST\n/\n"),
            out.stderr)
        self.assertIn("\n\nThe String-to-Sign should have been\n'AWS4-HMAC-SHA256\n", out.stderr)

    # ---- what is accepted -------------------------------------------------------------

    def test_healthz_needs_no_signature(self):
        self.assertEqual(self.server.healthz(), 200)

    def test_signed_post_works(self):
        self.assertListRolesOk(self.server.raw({"Action": "ListRoles"}))

    def test_signed_get_with_query_string_works(self):
        self.assertListRolesOk(self.server.raw({"Action": "ListRoles", "MaxItems": "5"},
                                               method="GET"))

    def test_presigned_get_url_works(self):
        query = urllib.parse.urlencode({"Action": "ListRoles", "Version": "2010-05-08"})
        req = botocore.awsrequest.AWSRequest(method="GET",
                                             url=self.server.endpoint + "/?" + query)
        creds = botocore.credentials.Credentials(fx.ROOT_KEY_ID, fx.ROOT_SECRET)
        botocore.auth.SigV4QueryAuth(creds, "iam", "us-east-1", expires=300).add_auth(req)
        url = urllib.parse.urlsplit(req.prepare().url)
        self.assertIn("X-Amz-Signature=", url.query)
        conn = http.client.HTTPConnection(self.server.host, self.server.port, timeout=30)
        try:
            conn.request("GET", url.path + "?" + url.query)
            resp = conn.getresponse()
            self.assertListRolesOk((resp.status, dict(resp.getheaders()), resp.read()))
        finally:
            conn.close()

    def test_any_region_in_the_scope_works(self):
        for region in ["eu-west-3", "ap-southeast-2", "us-gov-west-1", "cn-north-1"]:
            with self.subTest(region=region):
                self.assertListRolesOk(self.server.raw({"Action": "ListRoles"}, region=region))

    def test_boto3_client_in_another_region_works(self):
        iam = self.server.client(region="eu-west-3")
        self.assertEqual(iam.list_roles()["ResponseMetadata"]["HTTPStatusCode"], 200)

    def test_sts_scope_works_for_iam_actions(self):
        # The issue: "SigV4 verification on every request (any region; service iam or sts)",
        # since iamd serves IAM and STS on one endpoint (AWS-WIRE.md "Requests").
        for region in ["us-east-1", "eu-west-3"]:
            with self.subTest(region=region):
                self.assertListRolesOk(self.server.raw({"Action": "ListRoles", "Version": "2010-05-08"}, service="sts",
                                                       region=region))

    def test_sts_scope_works_for_sts_actions_in_any_region(self):
        # aws-errors.md §2.0 "GetCallerIdentity": root -> arn:aws:iam::<acct>:root, UserId =
        # account ID; elements in the model's order UserId, Account, Arn.
        status, _, body = self.server.raw({"Action": "GetCallerIdentity"}, service="sts",
                                          region="eu-west-3")
        self.assertEqual(status, 200, body)
        ns = "{https://sts.amazonaws.com/doc/2011-06-15/}"
        result = ET.fromstring(body).find(ns + "GetCallerIdentityResult")
        self.assertEqual([(c.tag[len(ns):], c.text) for c in result], [
            ("UserId", fx.ACCOUNT_ID), ("Account", fx.ACCOUNT_ID),
            ("Arn", "arn:aws:iam::%s:root" % fx.ACCOUNT_ID)])

    def test_keep_alive_serves_several_signed_requests_on_one_connection(self):
        conn = http.client.HTTPConnection(self.server.host, self.server.port, timeout=30)
        creds = botocore.credentials.Credentials(fx.ROOT_KEY_ID, fx.ROOT_SECRET)
        try:
            for _ in range(3):
                req = botocore.awsrequest.AWSRequest(
                    method="POST", url=self.server.endpoint + "/",
                    data=b"Action=ListRoles&Version=2010-05-08",
                    headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
                botocore.auth.SigV4Auth(creds, "iam", "us-east-1").add_auth(req)
                p = req.prepare()
                conn.request("POST", "/", body=p.body, headers=dict(p.headers))
                resp = conn.getresponse()
                self.assertListRolesOk((resp.status, {}, resp.read()))
        finally:
            conn.close()


if __name__ == "__main__":
    unittest.main()
