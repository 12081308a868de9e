"""Outbound identity federation end to end: IAM EnableOutboundWebIdentityFederation,
DisableOutboundWebIdentityFederation, GetOutboundWebIdentityFederationInfo and STS
GetWebIdentityToken through boto3 and AWS CLI v1, with every token checked here as a service
outside AWS checks it: its signature against the key set iamd publishes at the issuer's
/.well-known/jwks.json (found through /.well-known/openid-configuration), then its claims.

AWS's behaviour, as recorded on AWS in September 2026 (radkawar/stackd,
testdata/aws/iam/outbound_issuance.json and outbound_identity.json) and documented (IAM User
Guide, "Understanding token claims"; STS API reference, GetWebIdentityToken; Service
Authorization Reference, AWS STS): the messages below; sub the user's ARN, or the role's for a
role session; aud a string for one audience, an array for more; the header's kid RSA_0 or
EC384_0; GetWebIdentityToken authorized on arn:aws:sts::ACCOUNT:self with the keys
sts:IdentityTokenAudience, sts:DurationSeconds and sts:SigningAlgorithm, and tags also needing
sts:TagGetWebIdentityToken; the issuer unchanged by Disable and Enable.
"""

import base64
import http.client
import json
import re
import subprocess
import time
import unittest
import urllib.parse
import urllib.request

import botocore.auth
import botocore.awsrequest
import botocore.credentials
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

import iamd_fixture as fx

ACCOUNT = fx.ACCOUNT_ID
SELF = "arn:aws:sts::%s:self" % ACCOUNT
STS_CLAIMS = "https://sts.amazonaws.com/"
AWS_ISSUER = re.compile(r"^https://[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-"
                        r"[0-9a-f]{12}\.tokens\.sts\.global\.api\.aws$")
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
DISABLED = (403, "Sender", "OutboundWebIdentityFederationDisabledException",
            "OutboundWebIdentityFederation is disabled.")
AUDIENCE = "https://api.example.com"
TRUST_ROOT = fx.document({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::%s:root" % ACCOUNT},
                          "Action": ["sts:AssumeRole", "sts:TagSession"]})
# What a workload may do: tokens for AUDIENCE only, of at most 300 seconds, signed with ES384
# (the policy of IAM User Guide, "IAM policies for outbound identity federation").
TOKEN_POLICY = fx.document(fx.allow(
    "sts:GetWebIdentityToken",
    Condition={"ForAllValues:StringEquals": {"sts:IdentityTokenAudience": AUDIENCE},
               "NumericLessThanEquals": {"sts:DurationSeconds": "300"},
               "StringEquals": {"sts:SigningAlgorithm": "ES384"}}))


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def number(text):
    return int.from_bytes(b64url_decode(text), "big")


def fetch_json(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.status == 200, response.status
        assert response.headers["Content-Type"] == "application/json"
        return json.loads(response.read())


def verify(token, jwks):
    """(header, claims) of `token` once its signature checks with the key of `jwks` its header
    names; raises InvalidSignature (or KeyError for an unknown kid) otherwise."""
    head, body, signature = token.split(".")
    header = json.loads(b64url_decode(head))
    key = {k["kid"]: k for k in jwks["keys"]}[header["kid"]]
    signed = (head + "." + body).encode()
    raw = b64url_decode(signature)
    if header["alg"] == "RS256":
        assert key["kty"] == "RSA" and key["alg"] == "RS256"
        public = rsa.RSAPublicNumbers(number(key["e"]), number(key["n"])).public_key()
        public.verify(raw, signed, padding.PKCS1v15(), hashes.SHA256())
    elif header["alg"] == "ES384":
        assert key["kty"] == "EC" and key["crv"] == "P-384" and key["alg"] == "ES384"
        assert len(raw) == 96
        public = ec.EllipticCurvePublicNumbers(number(key["x"]), number(key["y"]),
                                               ec.SECP384R1()).public_key()
        der = encode_dss_signature(int.from_bytes(raw[:48], "big"),
                                   int.from_bytes(raw[48:], "big"))
        public.verify(der, signed, ec.ECDSA(hashes.SHA384()))
    else:
        raise AssertionError("unexpected alg %r" % header["alg"])
    return header, json.loads(b64url_decode(body))


class OutboundFederationTest(fx.ServerTestCase):
    """One server for the class; the tests run in name order (unittest), from disabled to
    enabled and back."""

    @classmethod
    def prepare_server(cls):
        cls.sts = cls.server.client("sts")
        cls.user = fx.create_user_with_key(cls.iam, "workload", inline=TOKEN_POLICY)
        cls.iam.tag_user(UserName="workload", Tags=[{"Key": "team", "Value": "data"}])
        cls.user_sts = cls.server.client("sts", key_id=cls.user["key_id"],
                                         secret=cls.user["secret"])
        # A user allowed everything of STS, for requests the policy above would refuse.
        cls.admin = fx.create_user_with_key(
            cls.iam, "sts-admin", inline=fx.document(fx.allow("sts:*")))
        cls.admin_sts = cls.server.client("sts", key_id=cls.admin["key_id"],
                                          secret=cls.admin["secret"])
        cls.role = cls.iam.create_role(
            RoleName="exporter", Path="/outbound/", AssumeRolePolicyDocument=TRUST_ROOT,
            Tags=[{"Key": "team", "Value": "role"}, {"Key": "tier", "Value": "gold"}])["Role"]
        cls.iam.put_role_policy(RoleName="exporter", PolicyName="tokens",
                                PolicyDocument=fx.document(fx.allow(
                                    ["sts:GetWebIdentityToken", "sts:TagGetWebIdentityToken"])))

    def session_sts(self, seconds, tags=()):
        """An STS client with credentials of a session of the role `exporter` (the credentials
        are kept as self.session_creds)."""
        self.session_creds = self.admin_sts.assume_role(
            RoleArn=self.role["Arn"], RoleSessionName="job-7", DurationSeconds=seconds,
            Tags=list(tags))["Credentials"]
        creds = self.session_creds
        return self.server.client("sts", key_id=creds["AccessKeyId"],
                                  secret=creds["SecretAccessKey"], token=creds["SessionToken"])

    def discovery(self):
        config = fetch_json(self.server.endpoint + "/.well-known/openid-configuration")
        return config, fetch_json(self.server.endpoint + "/.well-known/jwks.json")

    def test_1_disabled_until_enabled(self):
        self.assertEqual(fx.error_of(self.iam.get_outbound_web_identity_federation_info),
                         (404, "Sender", "FeatureDisabled",
                          "Outbound identity federation is disabled for account " + ACCOUNT))
        self.assertEqual(fx.error_of(self.iam.disable_outbound_web_identity_federation),
                         (404, "Sender", "FeatureDisabled",
                          "Outbound identity federation is already disabled for account " +
                          ACCOUNT))
        self.assertEqual(fx.error_of(self.user_sts.get_web_identity_token, Audience=[AUDIENCE],
                                     SigningAlgorithm="ES384"), DISABLED)
        # A token past the caller's session is refused as such even while disabled (recorded).
        self.assertEqual(
            fx.error_of(self.session_sts(900).get_web_identity_token, Audience=[AUDIENCE],
                        SigningAlgorithm="RS256", DurationSeconds=3600),
            (403, "Sender", "SessionDurationEscalationException",
             "Requested token expiry time must be before the original session's expiry time."))
        # No issuer yet: nothing is published.
        for path in ("/.well-known/openid-configuration", "/.well-known/jwks.json"):
            with self.assertRaises(urllib.error.HTTPError) as caught:
                urllib.request.urlopen(self.server.endpoint + path, timeout=10)
            self.assertEqual(caught.exception.code, 404)

    def test_2_enable(self):
        issuer = self.iam.enable_outbound_web_identity_federation()["IssuerIdentifier"]
        self.assertRegex(issuer, AWS_ISSUER)
        self.assertEqual(fx.error_of(self.iam.enable_outbound_web_identity_federation),
                         (409, "Sender", "FeatureEnabled",
                          "Outbound identity federation is already enabled for account " +
                          ACCOUNT))
        info = self.iam.get_outbound_web_identity_federation_info()
        self.assertEqual((info["IssuerIdentifier"], info["JwtVendingEnabled"]), (issuer, True))
        config, jwks = self.discovery()
        self.assertEqual(config["issuer"], issuer)
        self.assertEqual(config["jwks_uri"], issuer + "/.well-known/jwks.json")
        self.assertEqual(config["id_token_signing_alg_values_supported"], ["RS256", "ES384"])
        self.assertEqual(sorted(k["kid"] for k in jwks["keys"]), ["EC384_0", "RSA_0"])
        for key in jwks["keys"]:
            self.assertEqual(key["use"], "sig")
            self.assertNotIn("d", key)  # never the private part
        type(self).issuer = issuer

    def test_3_user_token(self):
        before = int(time.time())
        out = self.user_sts.get_web_identity_token(Audience=[AUDIENCE], SigningAlgorithm="ES384")
        header, claims = verify(out["WebIdentityToken"], self.discovery()[1])
        self.assertEqual(header, {"kid": "EC384_0", "typ": "JWT", "alg": "ES384"})
        self.assertEqual(claims["iss"], self.issuer)
        self.assertEqual(claims["aud"], AUDIENCE)
        self.assertEqual(claims["sub"], self.user["arn"])
        self.assertRegex(claims["jti"], UUID)
        self.assertLessEqual(before, claims["iat"])
        self.assertEqual(claims["exp"] - claims["iat"], 300)  # the default duration
        self.assertNotIn("nbf", claims)
        self.assertEqual(int(out["Expiration"].timestamp()), claims["exp"])
        self.assertEqual(claims[STS_CLAIMS], {
            "aws_account": ACCOUNT, "source_region": fx.REGION,
            "principal_id": self.user["arn"], "principal_tags": {"team": "data"}})

    def test_4_conditions_decide(self):
        message = fx.denied(self.user["arn"], "sts:GetWebIdentityToken", SELF)
        refused = (403, "Sender", "AccessDenied", message)
        for kwargs in ({"Audience": ["https://elsewhere.example.com"], "SigningAlgorithm": "ES384"},
                       {"Audience": [AUDIENCE, "other"], "SigningAlgorithm": "ES384"},
                       {"Audience": [AUDIENCE], "SigningAlgorithm": "RS256"},
                       {"Audience": [AUDIENCE], "SigningAlgorithm": "ES384",
                        "DurationSeconds": 301}):
            self.assertEqual(fx.error_of(self.user_sts.get_web_identity_token, **kwargs), refused,
                             kwargs)
        out = self.user_sts.get_web_identity_token(Audience=[AUDIENCE], SigningAlgorithm="ES384",
                                                   DurationSeconds=60)
        claims = verify(out["WebIdentityToken"], self.discovery()[1])[1]
        self.assertEqual(claims["exp"] - claims["iat"], 60)
        # Tags need sts:TagGetWebIdentityToken as well.
        self.assertEqual(
            fx.error_of(self.user_sts.get_web_identity_token, Audience=[AUDIENCE],
                        SigningAlgorithm="ES384", Tags=[{"Key": "job", "Value": "1"}]),
            (403, "Sender", "AccessDenied",
             fx.denied(self.user["arn"], "sts:TagGetWebIdentityToken", SELF)))

    def test_5_audiences_tags_and_rs256(self):
        out = self.admin_sts.get_web_identity_token(
            Audience=["one", "one", "two"], SigningAlgorithm="RS256", DurationSeconds=3600,
            Tags=[{"Key": "job", "Value": "nightly"}, {"Key": "aws:test", "Value": "kept"}])
        header, claims = verify(out["WebIdentityToken"], self.discovery()[1])
        self.assertEqual(header, {"kid": "RSA_0", "typ": "JWT", "alg": "RS256"})
        self.assertEqual(claims["aud"], ["one", "one", "two"])  # duplicates kept, as AWS does
        self.assertEqual(claims["exp"] - claims["iat"], 3600)
        self.assertEqual(claims[STS_CLAIMS]["request_tags"], {"job": "nightly", "aws:test": "kept"})
        self.assertNotIn("principal_tags", claims[STS_CLAIMS])  # sts-admin has no tags
        # Refused before anything is signed.
        raw = self.server.client("sts", validate=False, key_id=self.admin["key_id"],
                                 secret=self.admin["secret"])
        self.assertEqual(
            fx.error_of(raw.get_web_identity_token, Audience=["a"], SigningAlgorithm="RS384"),
            (400, "Sender", "ValidationError",
             "Requested SigningAlgorithm is not supported. See the GetWebIdentityToken "
             "documentation for supported algorithms"))
        self.assertEqual(
            fx.error_of(raw.get_web_identity_token, Audience=["a"], SigningAlgorithm="RS256",
                        Tags=[{"Key": "Job", "Value": "1"}, {"Key": "job", "Value": "2"}]),
            (400, "Sender", "InvalidParameterValue",
             "Duplicate tag keys found. Please note that Tag keys are case insensitive."))
        status, _, code, _ = fx.error_of(raw.get_web_identity_token, Audience=["a"],
                                         SigningAlgorithm="RS256", DurationSeconds=3601)
        self.assertEqual((status, code), (400, "ValidationError"))
        # The payload is limited (recorded: 14,984 bytes); ten 1,000-character audiences and
        # fifty long tags are more.
        status, _, code, message = fx.error_of(
            raw.get_web_identity_token, Audience=["a" * 1000] * 10, SigningAlgorithm="RS256",
            Tags=[{"Key": "k%03d" % i + "x" * 100, "Value": "v" * 200} for i in range(50)])
        self.assertEqual((status, code, message), (400, "JWTPayloadSizeExceededException",
                                                   "JWT payload exceeds maximum allowed size"))

    def test_6_role_session(self):
        session_sts = self.session_sts(900, tags=[{"Key": "team", "Value": "session"}])
        creds = self.session_creds
        # A token may not outlive the session it comes from.
        self.assertEqual(
            fx.error_of(session_sts.get_web_identity_token, Audience=[AUDIENCE],
                        SigningAlgorithm="RS256", DurationSeconds=3600),
            (403, "Sender", "SessionDurationEscalationException",
             "Requested token expiry time must be before the original session's expiry time."))
        out = session_sts.get_web_identity_token(Audience=[AUDIENCE], SigningAlgorithm="RS256")
        claims = verify(out["WebIdentityToken"], self.discovery()[1])[1]
        # The role, not the session, is the subject; session tags replace the role's.
        self.assertEqual(claims["sub"], self.role["Arn"])
        own = claims[STS_CLAIMS]
        self.assertEqual(own["principal_id"], self.role["Arn"])
        self.assertEqual(own["principal_tags"], {"team": "session", "tier": "gold"})
        self.assertEqual(own["original_session_exp"],
                         creds["Expiration"].strftime("%Y-%m-%dT%H:%M:%SZ"))

    def test_6b_get_session_token_credentials(self):
        creds = self.admin_sts.get_session_token(DurationSeconds=900)["Credentials"]
        sts = self.server.client("sts", key_id=creds["AccessKeyId"],
                                 secret=creds["SecretAccessKey"], token=creds["SessionToken"])
        claims = verify(sts.get_web_identity_token(Audience=["a"], SigningAlgorithm="RS256")
                        ["WebIdentityToken"], self.discovery()[1])[1]
        self.assertEqual(claims["sub"], self.admin["arn"])
        self.assertEqual(claims[STS_CLAIMS]["original_session_exp"],
                         creds["Expiration"].strftime("%Y-%m-%dT%H:%M:%SZ"))

    def test_6c_payload_limit_is_exact(self):
        # The payload's length follows from the request (jti, iat and exp have fixed lengths):
        # measure it with a short audience, then ask for exactly 14,984 bytes and one more.
        def payload_bytes(audience):
            token = self.admin_sts.get_web_identity_token(
                Audience=[audience], SigningAlgorithm="RS256")["WebIdentityToken"]
            return len(b64url_decode(token.split(".")[1]))
        base = payload_bytes("a")
        extra = 14984 - base
        # Tags of 309 bytes each in the payload ("KEY":"VALUE", and a comma), at most 50.
        fill = [{"Key": "k%02d" % i + "x" * 44, "Value": "v" * 256} for i in range(extra // 309)]
        out = self.admin_sts.get_web_identity_token(Audience=["a"], SigningAlgorithm="RS256",
                                                    Tags=fill)
        size = len(b64url_decode(out["WebIdentityToken"].split(".")[1]))
        audience = "a" * (1 + 14984 - size)
        self.assertLessEqual(len(audience), 1000)
        ok = self.admin_sts.get_web_identity_token(Audience=[audience], SigningAlgorithm="RS256",
                                                   Tags=fill)["WebIdentityToken"]
        self.assertEqual(len(b64url_decode(ok.split(".")[1])), 14984)
        self.assertEqual(
            fx.error_of(self.admin_sts.get_web_identity_token, Audience=[audience + "a"],
                        SigningAlgorithm="RS256", Tags=fill),
            (400, "Sender", "JWTPayloadSizeExceededException",
             "JWT payload exceeds maximum allowed size"))

    def test_6d_payload_is_json_whatever_the_audience(self):
        # Quotes, control characters and bytes that are not UTF-8: the payload stays JSON.
        status, _, body = self.server.raw(
            {"Action": "GetWebIdentityToken", "Audience.member.1": b"\xff\xfeab",
             "Audience.member.2": 'q"\\\n\t\x01', "SigningAlgorithm": "RS256"},
            service="sts", key_id=self.admin["key_id"], secret=self.admin["secret"])
        self.assertEqual(status, 200, body)
        token = re.search(rb"<WebIdentityToken>([^<]+)<", body).group(1).decode()
        claims = verify(token, self.discovery()[1])[1]
        self.assertEqual(claims["aud"], ["\ufffd\ufffdab", 'q"\\\n\t\x01'])

    def test_6e_api_requests_on_well_known_paths_reach_the_api(self):
        # A signed Query API GET is answered by its Action, whatever its path.
        url = (self.server.endpoint + "/x/.well-known/jwks.json?" +
               urllib.parse.urlencode({"Action": "GetCallerIdentity", "Version": "2011-06-15"}))
        request = botocore.awsrequest.AWSRequest(method="GET", url=url)
        botocore.auth.SigV4Auth(botocore.credentials.Credentials(
            self.admin["key_id"], self.admin["secret"]), "sts", fx.REGION).add_auth(request)
        prepared = request.prepare()
        conn = http.client.HTTPConnection(self.server.host, self.server.port, timeout=30)
        try:
            parsed = urllib.parse.urlsplit(prepared.url)
            conn.request("GET", parsed.path + "?" + parsed.query, headers=dict(prepared.headers))
            response = conn.getresponse()
            body = response.read()
        finally:
            conn.close()
        self.assertEqual(response.status, 200, body)
        self.assertIn(self.admin["arn"].encode(), body)

    def test_7_federated_users_may_not(self):
        creds = self.admin_sts.get_federation_token(
            Name="partner", Policy=fx.document(fx.allow("sts:*")))["Credentials"]
        federated = self.server.client("sts", key_id=creds["AccessKeyId"],
                                       secret=creds["SecretAccessKey"],
                                       token=creds["SessionToken"])
        self.assertEqual(
            fx.error_of(federated.get_web_identity_token, Audience=[AUDIENCE],
                        SigningAlgorithm="RS256"),
            (403, "Sender", "AccessDenied",
             "GetWebIdentityToken does not support federated user sessions"))

    def test_8_cli_v1(self):
        env = self.server.cli_env(self.admin["key_id"], self.admin["secret"])
        done = subprocess.run(
            [fx.find_aws_cli_v1(), "--endpoint-url", self.server.endpoint, "sts",
             # (not a URL: CLI v1 would fetch it as the parameter's value)
             "get-web-identity-token", "--audience", "ci", "--signing-algorithm", "ES384",
             "--output", "json"], capture_output=True, text=True, env=env, timeout=120)
        self.assertEqual(done.returncode, 0, done.stderr)
        claims = verify(json.loads(done.stdout)["WebIdentityToken"], self.discovery()[1])[1]
        self.assertEqual((claims["sub"], claims["aud"]), (self.admin["arn"], "ci"))

    def test_9_disable_keeps_issuer_and_keys(self):
        token = self.admin_sts.get_web_identity_token(Audience=["x"],
                                                      SigningAlgorithm="RS256")["WebIdentityToken"]
        self.assertEqual(self.iam.disable_outbound_web_identity_federation()
                         ["ResponseMetadata"]["HTTPStatusCode"], 200)
        self.assertEqual(fx.error_of(self.admin_sts.get_web_identity_token, Audience=["x"],
                                     SigningAlgorithm="RS256"), DISABLED)
        self.assertEqual(fx.error_of(self.iam.get_outbound_web_identity_federation_info)[2],
                         "FeatureDisabled")
        # Tokens issued before stay verifiable: the keys stay published.
        verify(token, self.discovery()[1])
        self.server.restart()
        verify(token, self.discovery()[1])
        iam = self.server.client()
        self.assertEqual(iam.enable_outbound_web_identity_federation()["IssuerIdentifier"],
                         self.issuer)
        sts = self.server.client("sts", key_id=self.admin["key_id"], secret=self.admin["secret"])
        claims = verify(sts.get_web_identity_token(Audience=["x"], SigningAlgorithm="ES384")
                        ["WebIdentityToken"], self.discovery()[1])[1]
        self.assertEqual(claims["iss"], self.issuer)

    def test_a_enforced_on_iam_actions(self):
        iam = self.server.client(key_id=self.user["key_id"], secret=self.user["secret"])
        for call, action in ((iam.get_outbound_web_identity_federation_info,
                              "GetOutboundWebIdentityFederationInfo"),
                             (iam.disable_outbound_web_identity_federation,
                              "DisableOutboundWebIdentityFederation")):
            self.assertEqual(fx.error_of(call),
                             (403, "Sender", "AccessDenied",
                              fx.denied(self.user["arn"], "iam:" + action, "*")))


class OwnIssuerTest(fx.ServerTestCase):
    """--outbound-issuer: the tokens name an issuer whose documents iamd serves itself."""

    ISSUER = "https://tokens.example.com/account-a"
    server_args = ("--outbound-issuer", ISSUER)

    def test_issuer_and_documents(self):
        self.assertEqual(self.iam.enable_outbound_web_identity_federation()["IssuerIdentifier"],
                         self.ISSUER)
        base = self.server.endpoint + "/account-a"
        config = fetch_json(base + "/.well-known/openid-configuration")
        self.assertEqual(config["issuer"], self.ISSUER)
        self.assertEqual(config["jwks_uri"], self.ISSUER + "/.well-known/jwks.json")
        sts = self.server.client("sts")
        token = sts.get_web_identity_token(Audience=["a"], SigningAlgorithm="RS256")
        header, claims = verify(token["WebIdentityToken"],
                                fetch_json(base + "/.well-known/jwks.json"))
        self.assertEqual(claims["iss"], self.ISSUER)
        self.assertEqual(claims["sub"], "arn:aws:iam::%s:root" % ACCOUNT)

    def test_bad_issuer_is_refused_at_start(self):
        done = subprocess.run([fx.IAMD_BIN, "serve", "--outbound-issuer", "tokens.example.com"],
                              capture_output=True, text=True, timeout=30)
        self.assertEqual(done.returncode, 2)
        self.assertIn("--outbound-issuer wants an http:// or https:// URL", done.stderr)


if __name__ == "__main__":
    unittest.main()
