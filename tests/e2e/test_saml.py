"""STS AssumeRoleWithSAML end to end: SAML 2.0 responses of an identity provider, made here with
a key and certificate made for the test and signed by xmlsec1 (Debian package xmlsec1, the
command line of the XML security library), exchanged for role credentials through boto3
(unsigned, as the SDKs send it) and AWS CLI v2 and v1.

The provider is a SAML provider of the account (CreateSAMLProvider) whose metadata names the
test's certificate; iamd verifies the response's XML signature with it and nothing else. The
role's trust policy alone decides, with the saml: context keys (IAM User Guide, "Available keys
for SAML-based federation"). AWS's messages, as recorded: "Response signature invalid",
"RoleSessionName is required in AuthnResponse" (IAM User Guide, "Troubleshooting SAML 2.0
federation"), "Response has expired" (ExpiredTokenException, Versent/saml2aws#759), "Specified
provider doesn't exist (Service: AWSOpenIdDiscoveryService; ...)" (techservicesillinois/
awscli-login), "Not authorized to perform sts:AssumeRoleWithSAML" (403 AccessDenied,
aws/aws-sdk-net#744), "Principal exists outside the account of the Role being assumed."
(Versent/saml2aws#536).
"""

import atexit
import base64
import datetime
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import time
import unittest

import botocore

import iamd_fixture as fx

ACCOUNT = fx.ACCOUNT_ID
ISSUER = "https://idp.example.com/saml"
PROVIDER = "arn:aws:iam::%s:saml-provider/ExampleIdP" % ACCOUNT
OTHER_PROVIDER = "arn:aws:iam::%s:saml-provider/OtherIdP" % ACCOUNT
SIGN_IN = "https://signin.aws.amazon.com/saml"
READ_ONLY = "arn:aws:iam::aws:policy/IAMReadOnlyAccess"
SESSION_ARN = "arn:aws:sts::%s:assumed-role/%s/%s"
DENIED = (403, "Sender", "AccessDenied", "Not authorized to perform sts:AssumeRoleWithSAML")
XMLSEC1 = shutil.which("xmlsec1") or "/usr/bin/xmlsec1"

_DIR = tempfile.mkdtemp(prefix="iamd-saml-")
atexit.register(shutil.rmtree, _DIR, True)


def _key_and_cert(name):
    key, cert = os.path.join(_DIR, name + "-key.pem"), os.path.join(_DIR, name + "-cert.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key,
                    "-out", cert, "-days", "2", "-subj", "/CN=" + name],
                   check=True, capture_output=True)
    with open(cert) as f:
        body = "".join(line.strip() for line in f if not line.startswith("-----"))
    return key, body


IDP_KEY, IDP_CERT = _key_and_cert("idp")
OTHER_KEY, _ = _key_and_cert("other")
# The service provider's (AWS's) key pair for encrypted assertions: the private key is added
# to a SAML provider (AddPrivateKey), the IdP encrypts for the certificate.
SP_KEY, _ = _key_and_cert("sp")
SP_CERT_FILE = os.path.join(_DIR, "sp-cert.pem")
ENC_PROVIDER = "arn:aws:iam::%s:saml-provider/EncryptingIdP" % ACCOUNT
ENCRYPTED_DATA = """<EncryptedData xmlns="http://www.w3.org/2001/04/xmlenc#" \
Type="http://www.w3.org/2001/04/xmlenc#Element">\
<EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#aes256-cbc"/>\
<KeyInfo xmlns="http://www.w3.org/2000/09/xmldsig#"><EncryptedKey xmlns="http://www.w3.org/2001/04/xmlenc#">\
<EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p"/>\
<CipherData><CipherValue/></CipherData></EncryptedKey></KeyInfo>\
<CipherData><CipherValue/></CipherData></EncryptedData>"""


def metadata(entity_id=ISSUER, cert=IDP_CERT):
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="{entity_id}">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing">
      <ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#">
        <ds:X509Data><ds:X509Certificate>{cert}</ds:X509Certificate></ds:X509Data>
      </ds:KeyInfo>
    </md:KeyDescriptor>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
        Location="https://idp.example.com/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>"""


SIGNATURE = """<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo>\
<ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>\
<ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>\
<ds:Reference URI="#{id}"><ds:Transforms>\
<ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>\
<ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms>\
<ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue/>\
</ds:Reference></ds:SignedInfo><ds:SignatureValue/></ds:Signature>"""


def iso(t):
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%SZ")


def saml_response(roles=(("Admin", PROVIDER),), session="jdoe", subject="jdoe@example.com",
                  fmt="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent", issuer=ISSUER,
                  audience=SIGN_IN, recipient=SIGN_IN, issued=None, lifetime=300,
                  session_not_on_or_after=None, extra_attributes=(), key=IDP_KEY, tamper=None,
                  encrypt_for=None, extra_audience_restriction=None):
    """A signed, base64-encoded SAML response as an IdP posts it to AWS's sign-in page; with
    encrypt_for (a certificate file), its assertion is encrypted for that certificate."""
    now = time.time() if issued is None else issued
    attrs = [("https://aws.amazon.com/SAML/Attributes/Role",
              ["arn:aws:iam::%s:role/%s,%s" % (ACCOUNT, r, p) for r, p in roles])] if roles else []
    if session is not None:
        attrs.append(("https://aws.amazon.com/SAML/Attributes/RoleSessionName", [session]))
    attrs += list(extra_attributes)
    attr_xml = "".join(
        '<saml:Attribute Name="%s">%s</saml:Attribute>' % (
            name, "".join("<saml:AttributeValue>%s</saml:AttributeValue>" % v for v in values))
        for name, values in attrs)
    more_restrictions = ("<saml:AudienceRestriction><saml:Audience>%s</saml:Audience>"
                         "</saml:AudienceRestriction>" % extra_audience_restriction
                         if extra_audience_restriction else "")
    session_attr = (' SessionNotOnOrAfter="%s"' % iso(session_not_on_or_after)
                    if session_not_on_or_after else "")
    xml = f"""<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" \
xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r{int(now * 1000)}" Version="2.0" \
IssueInstant="{iso(now)}" Destination="{recipient}"><saml:Issuer>{issuer}</saml:Issuer>\
<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>\
<saml:Assertion ID="_a1" Version="2.0" IssueInstant="{iso(now)}"><saml:Issuer>{issuer}</saml:Issuer>\
{SIGNATURE.format(id="_a1")}<saml:Subject><saml:NameID Format="{fmt}">{subject}</saml:NameID>\
<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">\
<saml:SubjectConfirmationData NotOnOrAfter="{iso(now + lifetime)}" Recipient="{recipient}"/>\
</saml:SubjectConfirmation></saml:Subject>\
<saml:Conditions NotBefore="{iso(now - 5)}" NotOnOrAfter="{iso(now + lifetime)}">\
<saml:AudienceRestriction><saml:Audience>{audience}</saml:Audience></saml:AudienceRestriction>\
{more_restrictions}</saml:Conditions><saml:AuthnStatement AuthnInstant="{iso(now)}"{session_attr}>\
<saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:\
PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>\
<saml:AttributeStatement>{attr_xml}</saml:AttributeStatement></saml:Assertion></samlp:Response>"""
    if encrypt_for:
        xml = xml.replace("<saml:Assertion ", "<saml:EncryptedAssertion><saml:Assertion ")
        xml = xml.replace("</saml:Assertion>", "</saml:Assertion></saml:EncryptedAssertion>")

    def xmlsec1(*args):
        done = subprocess.run([XMLSEC1] + list(args), capture_output=True)
        if done.returncode != 0:
            raise RuntimeError("xmlsec1 failed: " + done.stderr.decode())
        return done.stdout

    template = os.path.join(_DIR, "template.xml")
    with open(template, "w") as f:
        f.write(xml)
    signed = xmlsec1("--sign", "--privkey-pem", key,
                     "--id-attr:ID", "urn:oasis:names:tc:SAML:2.0:assertion:Assertion", template)
    if encrypt_for:
        data, encryption = os.path.join(_DIR, "signed.xml"), os.path.join(_DIR, "enc.xml")
        with open(data, "wb") as f:
            f.write(signed)
        with open(encryption, "w") as f:
            f.write(ENCRYPTED_DATA)
        signed = xmlsec1("--encrypt", "--pubkey-cert-pem", encrypt_for, "--session-key",
                         "aes-256", "--xml-data", data, "--node-name",
                         "urn:oasis:names:tc:SAML:2.0:assertion:Assertion", encryption)
    if tamper:
        signed = tamper(signed)
    return base64.b64encode(signed).decode()


def trust(*conditions_and_actions, provider=PROVIDER, actions=("sts:AssumeRoleWithSAML",),
          condition=None):
    statement = {"Effect": "Allow", "Principal": {"Federated": provider},
                 "Action": list(actions)}
    statement["Condition"] = condition if condition is not None else {
        "StringEquals": {"SAML:aud": SIGN_IN}}
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


class SamlTest(fx.ServerTestCase):

    maxDiff = None

    @classmethod
    def prepare_server(cls):
        iam = cls.iam
        iam.create_saml_provider(Name="ExampleIdP", SAMLMetadataDocument=metadata())
        iam.create_saml_provider(Name="OtherIdP",
                                 SAMLMetadataDocument=metadata("https://other.example.com"))
        cls.admin = iam.create_role(RoleName="Admin", AssumeRolePolicyDocument=trust(),
                                    MaxSessionDuration=7200)["Role"]
        iam.attach_role_policy(RoleName="Admin", PolicyArn=READ_ONLY)
        iam.create_role(RoleName="Engineers", AssumeRolePolicyDocument=trust(
            actions=("sts:AssumeRoleWithSAML", "sts:TagSession", "sts:SetSourceIdentity"),
            condition={"StringEquals": {"SAML:aud": SIGN_IN, "saml:sub_type": "persistent",
                                        "aws:RequestTag/team": "ray"},
                       "ForAnyValue:StringEquals": {"saml:edupersonaffiliation": "staff"}}))
        # Role names may hold commas, as the Role attribute's pairs do between their ARNs.
        iam.create_role(RoleName="ops,eu", AssumeRolePolicyDocument=trust())
        iam.create_role(RoleName="OnlyOther", AssumeRolePolicyDocument=trust(
            provider=OTHER_PROVIDER))
        with open(SP_KEY) as f:
            sp_key = f.read()
        iam.create_saml_provider(Name="EncryptingIdP", SAMLMetadataDocument=metadata(),
                                 AssertionEncryptionMode="Required", AddPrivateKey=sp_key)
        iam.create_role(RoleName="Encrypted", AssumeRolePolicyDocument=trust(
            provider=ENC_PROVIDER))

    def anonymous_sts(self):
        return self.server.client("sts", key_id=None, secret=None,
                                  signature_version=botocore.UNSIGNED)

    def exchange(self, assertion, role="Admin", provider=PROVIDER, **kwargs):
        return self.anonymous_sts().assume_role_with_saml(
            RoleArn=fx.arn("role", role), PrincipalArn=provider, SAMLAssertion=assertion,
            **kwargs)

    def refusal(self, assertion, role="Admin", provider=PROVIDER, **kwargs):
        return fx.error_of(self.exchange, assertion, role, provider, **kwargs)

    def test_saml_response_for_role_credentials(self):
        """A signed response naming the role and provider: the response's elements (STS API
        reference, AssumeRoleWithSAML; NameQualifier as the IAM User Guide computes it) and
        credentials that are the role's session, with the role's permissions."""
        before = time.time()
        out = self.exchange(saml_response())
        qualifier = base64.b64encode(hashlib.sha1(
            (ISSUER + ACCOUNT + "/ExampleIdP").encode()).digest()).decode()
        self.assertEqual(
            {k: out[k] for k in ("Subject", "SubjectType", "Issuer", "Audience",
                                 "NameQualifier", "AssumedRoleUser")},
            {"Subject": "jdoe@example.com", "SubjectType": "persistent", "Issuer": ISSUER,
             "Audience": SIGN_IN, "NameQualifier": qualifier,
             "AssumedRoleUser": {"Arn": SESSION_ARN % (ACCOUNT, "Admin", "jdoe"),
                                 "AssumedRoleId": self.admin["RoleId"] + ":jdoe"}})
        self.assertNotIn("PackedPolicySize", out)
        self.assertNotIn("SourceIdentity", out)
        creds = out["Credentials"]
        self.assertRegex(creds["AccessKeyId"], r"^ASIA[A-Z0-9]{16}$")
        lifetime = creds["Expiration"].timestamp() - before
        self.assertTrue(3598 <= lifetime <= 3602 + time.time() - before, lifetime)
        kw = dict(key_id=creds["AccessKeyId"], secret=creds["SecretAccessKey"],
                  token=creds["SessionToken"])
        who = self.server.client("sts", **kw).get_caller_identity()
        self.assertEqual(who["Arn"], SESSION_ARN % (ACCOUNT, "Admin", "jdoe"))
        iam = self.server.client(**kw)
        self.assertIn("Admin", [r["RoleName"] for r in iam.list_roles()["Roles"]])
        self.assertEqual(fx.error_of(iam.create_user, UserName="nope")[2], "AccessDenied")
        self.assertIn("LastUsedDate", self.iam.get_role(RoleName="Admin")["Role"]["RoleLastUsed"])

    def test_aws_cli_v2_and_v1(self):
        """`aws sts assume-role-with-saml`, as the seed's users would run it, with both CLIs."""
        for cli in (fx.AWS_CLI_V2, fx.find_aws_cli_v1()):
            with self.subTest(cli=cli):
                path = os.path.join(_DIR, "assertion.b64")
                with open(path, "w") as f:
                    f.write(saml_response(session="cli-user"))
                done = self.server.run_cli(
                    cli, "sts", "assume-role-with-saml", "--role-arn", fx.arn("role", "Admin"),
                    "--principal-arn", PROVIDER, "--saml-assertion", "file://" + path,
                    "--output", "json")
                self.assertEqual(done.returncode, 0, done.stderr)
                out = json.loads(done.stdout)
                self.assertEqual(out["AssumedRoleUser"]["Arn"],
                                 SESSION_ARN % (ACCOUNT, "Admin", "cli-user"))

    def test_role_pairs_in_either_order_and_duration(self):
        """The Role attribute may hold several pairs, provider first or role first; the
        session lasts DurationSeconds, cut short by the AuthnStatement's SessionNotOnOrAfter."""
        now = time.time()
        assertion = saml_response(roles=(("Nope", PROVIDER),), extra_attributes=())
        self.assertEqual(self.refusal(assertion), DENIED)
        swapped = saml_response(session="swapped", extra_attributes=(
            ("https://aws.amazon.com/SAML/Attributes/Role",
             ["%s,arn:aws:iam::%s:role/Admin" % (PROVIDER, ACCOUNT)]),), roles=())
        out = self.exchange(swapped, DurationSeconds=7200)
        lifetime = out["Credentials"]["Expiration"].timestamp() - now
        self.assertTrue(7190 <= lifetime <= 7210, lifetime)
        short = saml_response(session_not_on_or_after=now + 1800)
        lifetime = self.exchange(short)["Credentials"]["Expiration"].timestamp() - now
        self.assertTrue(1795 <= lifetime <= 1805, lifetime)
        commas = saml_response(roles=(("ops,eu", PROVIDER),))
        self.assertEqual(self.exchange(commas, role="ops,eu")["AssumedRoleUser"]["Arn"],
                         SESSION_ARN % (ACCOUNT, "ops,eu", "jdoe"))
        self.assertEqual(self.refusal(saml_response(), DurationSeconds=10800),
                         (400, "Sender", "ValidationError", "The requested DurationSeconds "
                          "exceeds the MaxSessionDuration set for this role."))

    def test_trust_policy_conditions_tags_and_source_identity(self):
        """saml:sub_type and an eduPerson attribute under its OID name decide with session tags
        from PrincipalTag attributes (which need sts:TagSession) and a source identity (which
        needs sts:SetSourceIdentity)."""
        affiliation = ("urn:oid:1.3.6.1.4.1.5923.1.1.1.1", ["member", "staff"])
        tag = ("https://aws.amazon.com/SAML/Attributes/PrincipalTag:team", ["ray"])
        source = ("https://aws.amazon.com/SAML/Attributes/SourceIdentity", ["jdoe"])
        out = self.exchange(saml_response(roles=(("Engineers", PROVIDER),),
                                          extra_attributes=(affiliation, tag, source)),
                            role="Engineers")
        self.assertEqual(out["SourceIdentity"], "jdoe")
        self.assertTrue(1 <= out["PackedPolicySize"] <= 100, out["PackedPolicySize"])
        for attributes in ((tag, source),  # not staff
                           (("urn:oid:1.3.6.1.4.1.5923.1.1.1.1", ["staff"]),
                            ("https://aws.amazon.com/SAML/Attributes/PrincipalTag:team",
                             ["other"])),):
            with self.subTest(attributes=attributes):
                self.assertEqual(self.refusal(saml_response(
                    roles=(("Engineers", PROVIDER),), extra_attributes=attributes),
                    role="Engineers"), DENIED)
        # A transient NameID does not satisfy saml:sub_type persistent.
        self.assertEqual(self.refusal(saml_response(
            roles=(("Engineers", PROVIDER),), extra_attributes=(affiliation, tag),
            fmt="urn:oasis:names:tc:SAML:2.0:nameid-format:transient"), role="Engineers"),
            DENIED)
        # Admin's trust policy allows neither sts:TagSession nor sts:SetSourceIdentity.
        self.assertEqual(self.refusal(saml_response(extra_attributes=(tag,))), DENIED)
        self.assertEqual(self.refusal(saml_response(extra_attributes=(source,))), DENIED)

    def test_signature_and_provider_refusals(self):
        """A changed assertion, another key's signature, an unknown provider, another
        provider's issuer: refused with AWS's codes and messages, no credentials."""
        invalid = (400, "Sender", "InvalidIdentityToken", "Response signature invalid")
        tampered = saml_response(tamper=lambda xml: xml.replace(b"jdoe@example.com",
                                                                b"root@example.com"))
        self.assertEqual(self.refusal(tampered), invalid)
        self.assertEqual(self.refusal(saml_response(key=OTHER_KEY)), invalid)
        status, _, code, message = self.refusal(
            saml_response(), provider="arn:aws:iam::%s:saml-provider/Missing" % ACCOUNT)
        self.assertEqual((status, code), (400, "InvalidIdentityToken"))
        self.assertTrue(message.startswith("Specified provider doesn't exist (Service: "
                                           "AWSOpenIdDiscoveryService; Status Code: 400; "
                                           "Error Code: AuthSamlManifestNotFoundException;"),
                        message)
        # OtherIdP's metadata names another entity ID than the response's issuer.
        status, _, code, message = self.refusal(
            saml_response(roles=(("OnlyOther", OTHER_PROVIDER),)), role="OnlyOther",
            provider=OTHER_PROVIDER)
        self.assertEqual((status, code), (400, "InvalidIdentityToken"))
        self.assertTrue(message.startswith("Issuer not present in specified provider"), message)
        status, _, code, message = self.refusal("bm90IHhtbA@@")
        self.assertEqual((status, code), (400, "InvalidIdentityToken"))
        self.assertTrue(message.startswith("Invalid base64 SAMLResponse"), message)
        self.assertEqual(self.refusal(saml_response(), provider="arn:aws:iam::111122223333:"
                                      "saml-provider/ExampleIdP"),
                         (400, "Sender", "ValidationError",
                          "Principal exists outside the account of the Role being assumed."))

    def test_encrypted_assertions(self):
        """An assertion encrypted for the certificate of the SAML provider's private key
        (AddPrivateKey; AES-256-CBC, the key wrapped with RSA-OAEP) is decrypted, then its
        signature verified; with AssertionEncryptionMode Required a plain assertion is refused,
        and a provider without a private key cannot read an encrypted one."""
        encrypted = saml_response(roles=(("Encrypted", ENC_PROVIDER),), encrypt_for=SP_CERT_FILE)
        self.assertNotIn(b"jdoe@example.com", base64.b64decode(encrypted))
        out = self.exchange(encrypted, role="Encrypted", provider=ENC_PROVIDER)
        self.assertEqual((out["Subject"], out["AssumedRoleUser"]["Arn"]),
                         ("jdoe@example.com", SESSION_ARN % (ACCOUNT, "Encrypted", "jdoe")))
        status, _, code, message = self.refusal(
            saml_response(roles=(("Encrypted", ENC_PROVIDER),)), role="Encrypted",
            provider=ENC_PROVIDER)
        self.assertEqual((status, code), (400, "InvalidIdentityToken"))
        self.assertIn("requires encrypted assertions", message)
        status, _, code, message = self.refusal(saml_response(encrypt_for=SP_CERT_FILE))
        self.assertEqual((status, code), (400, "InvalidIdentityToken"))
        self.assertIn("no private key", message)
        # Encrypted by anyone (the certificate is public) but signed by nobody trusted.
        forged = saml_response(roles=(("Encrypted", ENC_PROVIDER),), encrypt_for=SP_CERT_FILE,
                               key=OTHER_KEY)
        self.assertEqual(self.refusal(forged, role="Encrypted", provider=ENC_PROVIDER),
                         (400, "Sender", "InvalidIdentityToken", "Response signature invalid"))

    def test_time_audience_and_session_name_refusals(self):
        """Expired and stale responses, another audience or recipient, a missing or malformed
        RoleSessionName."""
        now = time.time()
        self.assertEqual(self.refusal(saml_response(issued=now - 400, lifetime=300)),
                         (400, "Sender", "ExpiredTokenException", "Response has expired"))
        self.assertEqual(self.refusal(saml_response(issued=now - 400, lifetime=3600)),
                         (400, "Sender", "ExpiredTokenException",
                          "Token must be redeemed within 5 minutes of issuance"))
        self.assertEqual(self.refusal(saml_response(session_not_on_or_after=now - 1)),
                         (400, "Sender", "ExpiredTokenException", "Response has expired"))
        # An IdP clock 30 seconds ahead is allowed for; five minutes ahead is not.
        self.assertIn("Credentials", self.exchange(saml_response(issued=now + 30)))
        self.assertEqual(self.refusal(saml_response(issued=now + 300))[2], "InvalidIdentityToken")
        # Every AudienceRestriction must be met (SAML core 2.5.1.4).
        self.assertEqual(self.refusal(saml_response(
            extra_audience_restriction="https://app.example.com")),
            (400, "Sender", "InvalidIdentityToken",
             "Response does not contain the required audience."))
        self.assertEqual(self.refusal(saml_response(audience="https://app.example.com")),
                         (400, "Sender", "InvalidIdentityToken",
                          "Response does not contain the required audience."))
        self.assertEqual(self.refusal(saml_response(recipient="https://app.example.com/acs"))[2],
                         "InvalidIdentityToken")
        self.assertEqual(self.refusal(saml_response(session=None)),
                         (400, "Sender", "InvalidIdentityToken",
                          "RoleSessionName is required in AuthnResponse"))
        self.assertEqual(self.refusal(saml_response(session="bad name!")),
                         (400, "Sender", "InvalidIdentityToken",
                          "RoleSessionName in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}"))
        # A regional sign-in endpoint is AWS's too, and passes every check of the response;
        # saml:aud is the Recipient (not the Audience), which Admin's trust policy does not
        # list, so the trust policy refuses.
        regional = "https://us-west-2.signin.aws.amazon.com/saml"
        self.assertEqual(self.refusal(saml_response(audience=regional, recipient=regional)),
                         DENIED)
        self.assertEqual(self.refusal(saml_response(recipient=regional)), DENIED)


if __name__ == "__main__":
    unittest.main(verbosity=2)
