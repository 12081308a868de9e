"""STS AssumeRoleWithWebIdentity end to end: OpenID Connect ID tokens, signed here with keys
made for the test, exchanged for role credentials through boto3 (unsigned, as the SDKs send
it), AWS CLI v2 and v1, and the SDKs' own web identity credential provider
(AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE).

iamd is given each issuer's key set with --oidc-jwks ISSUER=FILE (what the provider publishes
at its jwks_uri); it fetches nothing. The role's trust policy alone decides, with the token's
claims as context keys named after the provider URL (IAM User Guide, "Available keys for OIDC
federation"; the GitHub Actions trust policy of "Configuring OpenID Connect in Amazon Web
Services", GitHub docs).

AWS's messages, as recorded in public reports: "No OpenIDConnect provider found in your account
for https://token.actions.githubusercontent.com" (aws-actions/configure-aws-credentials#721),
"Incorrect token audience" (awslabs/amazon-eks-irsa-cfn#18), "Token expired: current date/time
1624482533 must be before the expiration date/time1624482335" (ExpiredTokenException,
awslabs/aws-orbit-workbench#707), "Couldn't retrieve verification key from your identity
provider,  please reference AssumeRoleWithWebIdentity documentation for requirements"
(aws/aws-sdk-js-v3#3052), "Not authorized to perform sts:AssumeRoleWithWebIdentity" (403
AccessDenied, aws/aws-sdk-js-v3#6225). The wording for a token that is not a JWT or whose
signature does not verify is iamd's.
"""

import atexit
import base64
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

import botocore
import botocore.config
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

import iamd_fixture as fx

ACCOUNT = fx.ACCOUNT_ID
GITHUB = "https://token.actions.githubusercontent.com"
GITHUB_ARN = "arn:aws:iam::%s:oidc-provider/token.actions.githubusercontent.com" % ACCOUNT
KEYCLOAK = "https://idp.example.com/realms/dev"  # an issuer with a path, signing with ES256
KEYCLOAK_ARN = "arn:aws:iam::%s:oidc-provider/idp.example.com/realms/dev" % ACCOUNT
NO_KEYS = "https://nokeys.example.com"  # a provider iamd has no key set for
READ_ONLY = "arn:aws:iam::aws:policy/IAMReadOnlyAccess"
SESSION_ARN = "arn:aws:sts::%s:assumed-role/%s/%s"
DENIED = (403, "Sender", "AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity")


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def int_bytes(n, size=None):
    return n.to_bytes(size or (n.bit_length() + 7) // 8, "big")


class Signer:
    """A provider's signing key: its JWK, and tokens signed with it."""

    def __init__(self, kind, kid):
        self.kind, self.kid = kind, kid
        if kind == "RS256":
            self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            pub = self.key.public_key().public_numbers()
            self.jwk = {"kty": "RSA", "use": "sig", "alg": "RS256", "kid": kid,
                        "n": b64url(int_bytes(pub.n)), "e": b64url(int_bytes(pub.e))}
        else:
            self.key = ec.generate_private_key(ec.SECP256R1())
            pub = self.key.public_key().public_numbers()
            self.jwk = {"kty": "EC", "crv": "P-256", "kid": kid,
                        "x": b64url(int_bytes(pub.x, 32)), "y": b64url(int_bytes(pub.y, 32))}

    def token(self, **claims):
        header = b64url(json.dumps({"alg": self.kind, "typ": "JWT", "kid": self.kid}).encode())
        payload = b64url(json.dumps(claims).encode())
        data = ("%s.%s" % (header, payload)).encode()
        if self.kind == "RS256":
            sig = self.key.sign(data, padding.PKCS1v15(), hashes.SHA256())
        else:
            r, s = decode_dss_signature(self.key.sign(data, ec.ECDSA(hashes.SHA256())))
            sig = int_bytes(r, 32) + int_bytes(s, 32)
        return "%s.%s" % (data.decode(), b64url(sig))


GITHUB_KEY = Signer("RS256", "gh-1")
KEYCLOAK_KEY = Signer("ES256", "kc-1")
# Another key under GitHub's kid: its tokens must not verify.
IMPOSTOR_KEY = Signer("RS256", "gh-1")
_KEYS_DIR = tempfile.mkdtemp(prefix="iamd-jwks-")
atexit.register(shutil.rmtree, _KEYS_DIR, True)


def _jwks_file(name, *signers):
    path = os.path.join(_KEYS_DIR, name)
    with open(path, "w") as f:
        json.dump({"keys": [s.jwk for s in signers]}, f)
    return path


def github_claims(sub="repo:octo-org/app:ref:refs/heads/main", aud="sts.amazonaws.com",
                  lifetime=300, **extra):
    now = int(time.time())
    claims = {"iss": GITHUB, "sub": sub, "aud": aud, "iat": now, "nbf": now - 5,
              "exp": now + lifetime, "repository": "octo-org/app"}
    claims.update(extra)
    return claims


def github_trust(sub="repo:octo-org/*", **more):
    statement = {
        "Effect": "Allow",
        "Principal": {"Federated": GITHUB_ARN},
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": {
            "StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"},
            "StringLike": {"token.actions.githubusercontent.com:sub": sub},
        },
    }
    statements = [statement] + list(more.get("extra", []))
    return json.dumps({"Version": "2012-10-17", "Statement": statements})


class WebIdentityTest(fx.ServerTestCase):

    maxDiff = None
    server_args = ("--oidc-jwks", "%s=%s" % (GITHUB, _jwks_file("github.json", GITHUB_KEY)),
                   "--oidc-jwks", "%s=%s" % (KEYCLOAK, _jwks_file("keycloak.json", KEYCLOAK_KEY)))

    @classmethod
    def prepare_server(cls):
        iam = cls.iam
        iam.create_open_id_connect_provider(Url=GITHUB, ClientIDList=["sts.amazonaws.com"])
        iam.create_open_id_connect_provider(Url=KEYCLOAK, ClientIDList=["iamd-app", "other"])
        iam.create_open_id_connect_provider(Url=NO_KEYS, ClientIDList=["sts.amazonaws.com"])
        cls.deployer = iam.create_role(RoleName="gha-deployer",
                                       AssumeRolePolicyDocument=github_trust())["Role"]
        iam.attach_role_policy(RoleName="gha-deployer", PolicyArn=READ_ONLY)
        keycloak_trust = json.dumps({"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"Federated": KEYCLOAK_ARN},
            "Action": ["sts:AssumeRoleWithWebIdentity", "sts:TagSession"],
            "Condition": {"ForAnyValue:StringEquals": {"idp.example.com/realms/dev:amr": "mfa"},
                          "StringEquals": {"aws:RequestTag/team": "ray"}}}]})
        iam.create_role(RoleName="kc-user", AssumeRolePolicyDocument=keycloak_trust,
                        MaxSessionDuration=7200)
        iam.create_role(RoleName="no-keys", AssumeRolePolicyDocument=json.dumps({
            "Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Action": "sts:AssumeRoleWithWebIdentity",
                "Principal": {"Federated": provider_arn("nokeys.example.com")}}]}))

    def anonymous_sts(self):
        """An STS client that signs nothing and has no credentials at all."""
        return self.server.client("sts", key_id=None, secret=None,
                                  signature_version=botocore.UNSIGNED)

    def exchange(self, token, role="gha-deployer", session="run-1", **kwargs):
        return self.anonymous_sts().assume_role_with_web_identity(
            RoleArn=fx.arn("role", role), RoleSessionName=session, WebIdentityToken=token,
            **kwargs)

    def refusal(self, token, role="gha-deployer", **kwargs):
        return fx.error_of(self.exchange, token, role, **kwargs)

    def session_clients(self, creds):
        kw = dict(key_id=creds["AccessKeyId"], secret=creds["SecretAccessKey"],
                  token=creds["SessionToken"])
        return self.server.client(**kw), self.server.client("sts", **kw)

    # ---- the exchange ----------------------------------------------------------------------

    def test_github_actions_token_for_role_credentials(self):
        """A GitHub Actions ID token (RS256) for the role its trust policy names: the response's
        elements (STS API reference, AssumeRoleWithWebIdentity) and credentials that are the
        role's session."""
        before = time.time()
        out = self.exchange(GITHUB_KEY.token(**github_claims()))
        self.assertEqual(out["SubjectFromWebIdentityToken"],
                         "repo:octo-org/app:ref:refs/heads/main")
        self.assertEqual(out["Audience"], "sts.amazonaws.com")
        self.assertEqual(out["Provider"], GITHUB_ARN)
        self.assertEqual(out["AssumedRoleUser"], {
            "Arn": SESSION_ARN % (ACCOUNT, "gha-deployer", "run-1"),
            "AssumedRoleId": self.deployer["RoleId"] + ":run-1"})
        self.assertNotIn("PackedPolicySize", out)
        creds = out["Credentials"]
        self.assertRegex(creds["AccessKeyId"], r"^ASIA[A-Z0-9]{16}$")
        lifetime = creds["Expiration"].timestamp() - before
        self.assertTrue(3598 <= lifetime <= 3602 + time.time() - before, lifetime)  # an hour
        iam, sts = self.session_clients(creds)
        who = sts.get_caller_identity()
        self.assertEqual((who["Arn"], who["UserId"]),
                         (SESSION_ARN % (ACCOUNT, "gha-deployer", "run-1"),
                          self.deployer["RoleId"] + ":run-1"))
        # The role's permissions: IAMReadOnlyAccess reads, and nothing writes.
        self.assertIn("gha-deployer", [r["RoleName"] for r in iam.list_roles()["Roles"]])
        status, _, code, _ = fx.error_of(iam.create_user, UserName="nope")
        self.assertEqual((status, code), (403, "AccessDenied"))
        # The role's last use is recorded as for AssumeRole.
        role = self.iam.get_role(RoleName="gha-deployer")["Role"]
        self.assertIn("LastUsedDate", role.get("RoleLastUsed", {}))

    def test_es256_issuer_with_a_path_amr_and_session_tags(self):
        """An issuer URL with a path, an ES256 key, the multi-valued amr claim under
        ForAnyValue, and session tags from the https://aws.amazon.com/tags claim, which need
        sts:TagSession too (IAM User Guide, "Passing session tags using
        AssumeRoleWithWebIdentity")."""
        now = int(time.time())
        claims = {"iss": KEYCLOAK, "sub": "user-42", "aud": ["iamd-app"], "exp": now + 600,
                  "amr": ["pwd", "mfa"],
                  "https://aws.amazon.com/tags": {"principal_tags": {"team": ["ray"]},
                                                  "transitive_tag_keys": ["team"]}}
        out = self.exchange(KEYCLOAK_KEY.token(**claims), role="kc-user", DurationSeconds=7200)
        self.assertEqual((out["Audience"], out["Provider"], out["SubjectFromWebIdentityToken"]),
                         ("iamd-app", KEYCLOAK_ARN, "user-42"))
        self.assertTrue(1 <= out["PackedPolicySize"] <= 100, out["PackedPolicySize"])
        # Without mfa among the methods, or with another team tag, the trust policy refuses.
        self.assertEqual(self.refusal(KEYCLOAK_KEY.token(**dict(claims, amr=["pwd"])),
                                      role="kc-user"), DENIED)
        other_team = dict(claims)
        other_team["https://aws.amazon.com/tags"] = {"principal_tags": {"team": ["web"]}}
        self.assertEqual(self.refusal(KEYCLOAK_KEY.token(**other_team), role="kc-user"), DENIED)

    def test_audience_among_several(self):
        """aud may be an array: the value that is one of the provider's client IDs is the
        Audience, wherever it stands."""
        out = self.exchange(GITHUB_KEY.token(**github_claims(aud=["other", "sts.amazonaws.com"])))
        self.assertEqual(out["Audience"], "sts.amazonaws.com")

    def test_source_identity_and_the_provider_in_the_session(self):
        """The https://aws.amazon.com/source_identity claim becomes the session's source
        identity (sts:SetSourceIdentity in the trust policy, SourceIdentity in the response,
        aws:SourceIdentity afterwards); the session's requests carry aws:FederatedProvider, the
        provider's ARN (IAM User Guide, "AWS global condition context keys")."""
        trust = json.loads(github_trust())
        trust["Statement"][0]["Action"] = ["sts:AssumeRoleWithWebIdentity",
                                           "sts:SetSourceIdentity"]
        self.iam.create_role(RoleName="gha-audited", AssumeRolePolicyDocument=json.dumps(trust))
        when = lambda key, value: {"StringEquals": {key: value}}
        self.iam.put_role_policy(RoleName="gha-audited", PolicyName="by-provider",
                                 PolicyDocument=fx.document(
            fx.allow("iam:ListRoles", Condition=when("aws:FederatedProvider", GITHUB_ARN)),
            fx.allow("iam:ListUsers", Condition=when("aws:FederatedProvider", KEYCLOAK_ARN)),
            fx.allow("iam:ListGroups", Condition=when("aws:SourceIdentity", "octocat"))))
        claims = github_claims(**{"https://aws.amazon.com/source_identity": "octocat"})
        out = self.exchange(GITHUB_KEY.token(**claims), role="gha-audited")
        self.assertEqual(out["SourceIdentity"], "octocat")
        iam, _ = self.session_clients(out["Credentials"])
        iam.list_roles()
        iam.list_groups()
        self.assertEqual(fx.error_of(iam.list_users)[2], "AccessDenied")
        # Without sts:SetSourceIdentity in its trust policy, a role refuses such a token.
        self.assertEqual(fx.error_of(self.exchange, GITHUB_KEY.token(**claims)),
                         (403, "Sender", "AccessDenied",
                          "Not authorized to perform sts:SetSourceIdentity"))
        bad = github_claims(**{"https://aws.amazon.com/source_identity": "not ok!"})
        self.assertEqual(self.refusal(GITHUB_KEY.token(**bad), role="gha-audited")[2],
                         "InvalidIdentityToken")

    def test_trust_conditions_on_the_subject_decide(self):
        """The trust policy's StringLike on token.actions.githubusercontent.com:sub: another
        organisation's workflow is refused, the same way as a role that does not exist or whose
        trust policy names another provider (AWS does not tell them apart)."""
        self.assertEqual(self.refusal(GITHUB_KEY.token(**github_claims(
            sub="repo:evil-org/app:ref:refs/heads/main"))), DENIED)
        self.assertEqual(self.refusal(GITHUB_KEY.token(**github_claims()), role="missing"), DENIED)
        self.assertEqual(self.refusal(GITHUB_KEY.token(**github_claims()), role="kc-user"), DENIED)

    def test_session_policy_narrows_the_role(self):
        policy = fx.document(fx.allow("iam:GetRole"))
        out = self.exchange(GITHUB_KEY.token(**github_claims()), Policy=policy)
        self.assertTrue(1 <= out["PackedPolicySize"] <= 100)
        iam, _ = self.session_clients(out["Credentials"])
        self.assertEqual(iam.get_role(RoleName="gha-deployer")["Role"]["RoleName"], "gha-deployer")
        status, _, code, message = fx.error_of(iam.list_roles)
        self.assertEqual((status, code), (403, "AccessDenied"))
        self.assertIn("because no session policy allows the iam:ListRoles action", message)

    # ---- tokens refused ----------------------------------------------------------------------

    def test_tokens_that_do_not_check_out(self):
        """Each refused with AWS's code and, where recorded, its message; nothing is issued."""
        invalid = lambda message: (400, "Sender", "InvalidIdentityToken", message)
        self.assertEqual(self.refusal(GITHUB_KEY.token(**github_claims(aud="sigstore"))),
                         invalid("Incorrect token audience"))
        # The client ID must be in aud (OpenID Connect Core 3.1.3.7); azp does not stand in for
        # it (only for Google's tokens), and a token without aud has no audience.
        azp_only = github_claims(aud="sigstore", azp="sts.amazonaws.com")
        self.assertEqual(self.refusal(GITHUB_KEY.token(**azp_only)),
                         invalid("Incorrect token audience"))
        no_aud = github_claims()
        del no_aud["aud"]
        self.assertEqual(self.refusal(GITHUB_KEY.token(**no_aud)),
                         invalid("Incorrect token audience"))
        no_exp = github_claims()
        del no_exp["exp"]
        self.assertEqual(self.refusal(GITHUB_KEY.token(**no_exp)),
                         invalid("The web identity token has no exp claim."))
        early = github_claims(nbf=int(time.time()) + 600)
        self.assertEqual(self.refusal(GITHUB_KEY.token(**early)),
                         invalid("The web identity token is not valid yet (nbf is in the future)."))
        aws_tag = github_claims(**{"https://aws.amazon.com/tags": {
            "principal_tags": {"aws:team": ["ray"]}}})
        self.assertEqual(self.refusal(GITHUB_KEY.token(**aws_tag))[:3],
                         (400, "Sender", "InvalidIdentityToken"))
        self.assertEqual(
            self.refusal(GITHUB_KEY.token(**github_claims(iss="https://elsewhere.example.com"))),
            invalid("No OpenIDConnect provider found in your account for "
                    "https://elsewhere.example.com"))
        self.assertEqual(
            self.refusal(GITHUB_KEY.token(**github_claims(iss=NO_KEYS)), role="no-keys"),
            invalid("Couldn't retrieve verification key from your identity provider,  please "
                    "reference AssumeRoleWithWebIdentity documentation for requirements"))
        self.assertEqual(self.refusal(IMPOSTOR_KEY.token(**github_claims())),
                         invalid("The web identity token's signature does not verify with the "
                                 "keys of %s." % GITHUB))
        self.assertEqual(self.refusal("not.a-jwt"),
                         invalid("The web identity token is not a valid JWT."))
        # A token whose signature was valid for other claims.
        good = GITHUB_KEY.token(**github_claims())
        header, _, sig = good.split(".")
        forged = "%s.%s.%s" % (header, b64url(json.dumps(github_claims(
            sub="repo:octo-org/app:ref:refs/heads/evil")).encode()), sig)
        self.assertEqual(self.refusal(forged)[2], "InvalidIdentityToken")

    def test_expired_token(self):
        now = int(time.time())
        status, kind, code, message = self.refusal(GITHUB_KEY.token(**github_claims(
            exp=now - 60, iat=now - 400, nbf=now - 400)))
        self.assertEqual((status, kind, code), (400, "Sender", "ExpiredTokenException"))
        m = re.fullmatch(r"Token expired: current date/time (\d+) must be before the expiration "
                         r"date/time(\d+)", message)
        self.assertIsNotNone(m, message)
        self.assertEqual(int(m.group(2)), now - 60)
        self.assertGreaterEqual(int(m.group(1)), now)

    def test_duration_and_provider_id(self):
        token = GITHUB_KEY.token(**github_claims())
        self.assertEqual(self.refusal(token, DurationSeconds=7200),
                         (400, "Sender", "ValidationError", "The requested DurationSeconds exceeds "
                          "the MaxSessionDuration set for this role."))
        status, _, code, _ = self.refusal(token, ProviderId="graph.facebook.com")
        self.assertEqual((status, code), (400, "IDPCommunicationError"))

    def test_signed_request_is_not_read_as_a_caller(self):
        """Credentials on the request do not matter: a bogus key signs it and it still works.
        (iamd's choice: the API reference says the call needs no credentials; what AWS does
        with a signature that does not check is not recorded.)"""
        sts = self.server.client("sts", key_id="AKIANOTAKEY000000000", secret="x" * 40)
        out = sts.assume_role_with_web_identity(
            RoleArn=fx.arn("role", "gha-deployer"), RoleSessionName="signed",
            WebIdentityToken=GITHUB_KEY.token(**github_claims()))
        self.assertEqual(out["AssumedRoleUser"]["Arn"],
                         SESSION_ARN % (ACCOUNT, "gha-deployer", "signed"))

    # ---- the AWS CLIs and the SDKs' own credential provider -----------------------------------

    def cli_env_without_keys(self):
        env = self.server.cli_env()
        for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
            env.pop(k, None)
        return env

    def test_aws_cli_v2_and_v1_without_credentials(self):
        for cli in (fx.AWS_CLI_V2, fx.find_aws_cli_v1()):
            with self.subTest(cli=cli):
                done = self.server.run_cli(
                    cli, "sts", "assume-role-with-web-identity",
                    "--role-arn", fx.arn("role", "gha-deployer"), "--role-session-name", "cli",
                    "--web-identity-token", GITHUB_KEY.token(**github_claims()),
                    "--output", "json", env=self.cli_env_without_keys())
                self.assertEqual(done.returncode, 0, done.stderr)
                out = json.loads(done.stdout)
                self.assertEqual(out["AssumedRoleUser"]["Arn"],
                                 SESSION_ARN % (ACCOUNT, "gha-deployer", "cli"))

    def test_sdk_web_identity_credential_provider(self):
        """AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE, as GitHub's configure-aws-credentials
        and EKS's pod identity webhook set them: the SDK's credential chain calls
        AssumeRoleWithWebIdentity itself, against AWS_ENDPOINT_URL, and signs with the result.
        Through boto3 and AWS CLI v1 (on the image's botocore; Debian's AWS CLI v2, 2.9, is older
        than AWS_ENDPOINT_URL)."""
        token_file = os.path.join(_KEYS_DIR, "token")
        with open(token_file, "w") as f:
            f.write(GITHUB_KEY.token(**github_claims()))
        env = self.cli_env_without_keys()
        # AWS CLI v1 caches what it assumed in ~/.aws/cli/cache, keyed without the token: a
        # home of its own keeps it from reusing credentials of an earlier server.
        env["PYENV_ROOT"] = os.environ.get("PYENV_ROOT") or os.path.expanduser("~/.pyenv")
        env["HOME"] = tempfile.mkdtemp(prefix="home-", dir=_KEYS_DIR)
        env.update({"AWS_ROLE_ARN": fx.arn("role", "gha-deployer"),
                    "AWS_ROLE_SESSION_NAME": "from-file",
                    "AWS_WEB_IDENTITY_TOKEN_FILE": token_file,
                    "AWS_ENDPOINT_URL": self.server.endpoint})
        boto3_script = ("import boto3, json; "
                        "print(json.dumps(boto3.client('sts').get_caller_identity()))")
        for argv in ([sys.executable, "-c", boto3_script],
                     [fx.find_aws_cli_v1(), "sts", "get-caller-identity", "--output", "json"]):
            with self.subTest(client=argv[0]):
                done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=120)
                self.assertEqual(done.returncode, 0, done.stderr)
                self.assertEqual(json.loads(done.stdout)["Arn"],
                                 SESSION_ARN % (ACCOUNT, "gha-deployer", "from-file"))


class OwnProviderTest(fx.ServerTestCase):
    """`iamd oidc keygen` and `iamd oidc token`: a provider of one's own, offline. The key set
    keygen writes is what the server is started with; tokens minted with its key are exchanged
    through AWS CLI v2 with no credentials at all."""

    ISSUER = "https://ci.example.com/oidc"

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="own-", dir=_KEYS_DIR)
        cls.key, jwks = fx.oidc_keygen(cls.dir, "ES256", "ci-1")
        cls.server_args = ("--oidc-jwks", "%s=%s" % (cls.ISSUER, jwks))
        super().setUpClass()

    @classmethod
    def prepare_server(cls):
        cls.iam.create_open_id_connect_provider(Url=cls.ISSUER, ClientIDList=["deploy"])
        cls.iam.create_role(RoleName="ci-deploy", AssumeRolePolicyDocument=json.dumps({
            "Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Action": "sts:AssumeRoleWithWebIdentity",
                "Principal": {"Federated": provider_arn("ci.example.com/oidc")},
                "Condition": {"StringLike": {"ci.example.com/oidc:sub": "pipeline:main:*"}}}]}))

    def mint(self, sub, *extra):
        return fx.oidc_token(self.key, "ci-1", self.ISSUER, sub, "deploy", *extra)

    def exchange_with_cli(self, token):
        env = self.server.cli_env()
        for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
            env.pop(k, None)
        return self.server.run_cli(
            fx.AWS_CLI_V2, "sts", "assume-role-with-web-identity", "--role-arn",
            fx.arn("role", "ci-deploy"), "--role-session-name", "job-7",
            "--web-identity-token", token, "--output", "json", env=env)

    def test_keygen_writes_a_private_key_only_its_owner_reads(self):
        self.assertEqual(os.stat(self.key).st_mode & 0o777, 0o600)
        again = subprocess.run([fx.IAMD_BIN, "oidc", "keygen", "--key", self.key, "--jwks",
                                os.path.join(self.dir, "other.json")],
                               capture_output=True, text=True, timeout=60)
        self.assertEqual(again.returncode, 1)
        self.assertIn("File exists", again.stderr)

    def test_minted_tokens_against_the_trust_policy(self):
        done = self.exchange_with_cli(self.mint("pipeline:main:42", "--claims",
                                                '{"amr":["ci"]}'))
        self.assertEqual(done.returncode, 0, done.stderr)
        out = json.loads(done.stdout)
        self.assertEqual((out["SubjectFromWebIdentityToken"], out["Audience"], out["Provider"]),
                         ("pipeline:main:42", "deploy", provider_arn("ci.example.com/oidc")))
        self.assertEqual(out["AssumedRoleUser"]["Arn"],
                         SESSION_ARN % (ACCOUNT, "ci-deploy", "job-7"))
        refused = self.exchange_with_cli(self.mint("pipeline:feature:1"))
        self.assertNotEqual(refused.returncode, 0)
        self.assertIn("AccessDenied", refused.stderr)
        self.assertIn("Not authorized to perform sts:AssumeRoleWithWebIdentity", refused.stderr)


def provider_arn(host_and_path):
    return "arn:aws:iam::%s:oidc-provider/%s" % (ACCOUNT, host_and_path)


if __name__ == "__main__":
    unittest.main()
