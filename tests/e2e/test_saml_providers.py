"""IAM SAML identity providers (Create/Get/List/Update/DeleteSAMLProvider, Tag/Untag/
ListSAMLProviderTags), driven with AWS CLI v2 and boto3.

What is pinned: the ARN (arn:aws:iam::ACCOUNT:saml-provider/NAME), the UUID (SAMLSP + 17 of
A-Z2-7), the metadata document given back exactly as uploaded, CreateDate to the second and
ValidUntil 100 years later, Tags/AssertionEncryptionMode/PrivateKeyList always in
GetSAMLProvider (Tags in CreateSAMLProvider's answer only when given), private key IDs (SAMLPK +
17 of A-Z2-7) and no private key anywhere on the wire; the refusals (EntityAlreadyExists in any
case of the name, InvalidInput for a document that is not SAML metadata, a private key that is
not one unencrypted PEM key and the encryption-mode and key rules of UpdateSAMLProvider,
ValidationError for a document under 1000 characters, LimitExceeded at 101 providers and at a
third private key, NoSuchEntity "Manifest not found for arn ..."), each checked whole (HTTP
status, Type, Code, Message) and each leaving every provider as it was; the account summary
(Providers counts OIDC and SAML providers); a restart; and enforcement.

AWS CLI v2 here is 2.9, older than AssertionEncryptionMode, AddPrivateKey, PrivateKeyList and
SAMLProviderUUID: those are driven with boto3 only.

Test data: src/auth/testdata/saml/idp-metadata.xml (an IdP's metadata, root
md:EntityDescriptor) and src/auth/testdata/certificates (server-rsa.key and server-ec.key,
unencrypted PEM keys; server-rsa-encrypted.key, encrypted; server-rsa.pem, a certificate).
"""

import datetime
import json
import os
import unittest

import iamd_fixture as fx

ACCT = fx.ACCOUNT_ID
UTC = datetime.timezone.utc
METADATA_PATH = os.path.join(fx.SOURCE_DIR, "src", "auth", "testdata", "saml",
                             "idp-metadata.xml")
CERT_DIR = os.path.join(fx.SOURCE_DIR, "src", "auth", "testdata", "certificates")
UUID_PATTERN = r"^SAMLSP[A-Z2-7]{17}$"
KEY_ID_PATTERN = r"^SAMLPK[A-Z2-7]{17}$"


def read(path):
    with open(path) as f:
        return f.read()


DOC = read(METADATA_PATH)
# Another valid document (for UpdateSAMLProvider): the same IdP under another entity ID.
DOC_2 = DOC.replace('entityID="https://idp.example.com/saml"',
                    'entityID="https://idp2.example.com/saml"')
RSA_KEY = read(os.path.join(CERT_DIR, "server-rsa.key"))
EC_KEY = read(os.path.join(CERT_DIR, "server-ec.key"))
RSA_ENCRYPTED_KEY = read(os.path.join(CERT_DIR, "server-rsa-encrypted.key"))
RSA_CERT = read(os.path.join(CERT_DIR, "server-rsa.pem"))

BAD_METADATA = (400, "Sender", "InvalidInput", "Could not parse metadata")
BAD_KEY = (400, "Sender", "InvalidInput",
           "Unable to parse the private key. It must be one unencrypted key in PEM format.")
REQUIRED_WITHOUT_KEY = (400, "Sender", "InvalidInput",
                        "Unable to set assertion encryption mode to Required because no private "
                        "key is provided.")
NO_UPDATES = (400, "Sender", "InvalidInput",
              "Unable to update identity provider. No updates are defined for metadata or "
              "encryption assertion.")
ADD_AND_REMOVE = (400, "Sender", "InvalidInput",
                  "Unable to add and remove private keys in the same request. Set a value for "
                  "only one of the two parameters.")
THIRD_KEY = (409, "Sender", "LimitExceeded", "Private key limit of 2 is reached.")
UNKNOWN_KEY_ID = (400, "Sender", "InvalidInput",
                  "Failed to remove private key because the Key ID does not match a private key.")
SHORT_DOCUMENT = (400, "Sender", "ValidationError",
                  "1 validation error detected: Value at 'sAMLMetadataDocument' failed to satisfy "
                  "constraint: Member must have length greater than or equal to 1000")
TOO_MANY_PROVIDERS = (409, "Sender", "LimitExceeded",
                      "Cannot exceed quota for SAMLProvidersPerAccount: 100")


def saml_arn(name, account=ACCT):
    return "arn:aws:iam::%s:saml-provider/%s" % (account, name)


def not_found(arn_text):
    return (404, "Sender", "NoSuchEntity", "Manifest not found for arn " + arn_text)


def already_exists(name):
    return (409, "Sender", "EntityAlreadyExists", "SAML provider %s already exists." % name)


def key_lines(*keys):
    """The base64 lines of private keys (to show that none of them is ever sent back)."""
    return [line for key in keys for line in key.splitlines()[1:-1] if len(line) >= 40]


def now():
    return datetime.datetime.now(UTC)


def hundred_years_after(when):
    when = when.astimezone(UTC)
    return when.replace(year=when.year + 100)


class SamlCase(fx.ServerTestCase):
    maxDiff = None

    def tearDown(self):
        for p in self.listed():
            self.iam.delete_saml_provider(SAMLProviderArn=p["Arn"])

    def listed(self):
        return self.iam.list_saml_providers()["SAMLProviderList"]

    def got(self, arn):
        got = self.iam.get_saml_provider(SAMLProviderArn=arn)
        got.pop("ResponseMetadata")
        return got

    def everything(self):
        """The list, and for every provider all that Get and ListSAMLProviderTags show."""
        listed = self.iam.list_saml_providers()["SAMLProviderList"]
        out = {"list": json.dumps(listed, sort_keys=True, default=str)}
        for p in listed:
            tags = self.iam.list_saml_provider_tags(SAMLProviderArn=p["Arn"])["Tags"]
            out[p["Arn"]] = json.dumps({"got": self.got(p["Arn"]), "tags": tags},
                                       sort_keys=True, default=str)
        return out

    def assertRefused(self, call, expected, **kwargs):
        before = self.everything()
        self.assertEqual(fx.error_of(call, **kwargs), expected)
        self.assertEqual(self.everything(), before, "a refused request changed the providers")

    def create(self, name, document=DOC, **extra):
        return self.iam.create_saml_provider(Name=name, SAMLMetadataDocument=document, **extra)

    def assertCreatedNow(self, create_date, before, after):
        self.assertEqual(create_date.microsecond, 0, create_date)
        self.assertLessEqual(before.replace(microsecond=0), create_date)
        self.assertLessEqual(create_date, after)


class CreateTest(SamlCase):
    def test_create_get_list_update_delete_with_the_cli(self):
        before = now()
        created = self.iam_cli("create-saml-provider", "--name", "okta",
                               "--saml-metadata-document", "file://" + METADATA_PATH)
        after = now()
        self.assertEqual(created, {"SAMLProviderArn": saml_arn("okta")})  # no Tags: none given

        got = self.iam_cli("get-saml-provider", "--saml-provider-arn", saml_arn("okta"))
        self.assertEqual(sorted(got), ["CreateDate", "SAMLMetadataDocument", "Tags",
                                       "ValidUntil"])  # what CLI 2.9 knows of the answer
        self.assertEqual(got["SAMLMetadataDocument"], DOC)
        self.assertEqual(got["Tags"], [])
        create_date = datetime.datetime.fromisoformat(got["CreateDate"])
        self.assertCreatedNow(create_date, before, after)
        self.assertEqual(datetime.datetime.fromisoformat(got["ValidUntil"]),
                         hundred_years_after(create_date))
        self.assertEqual(self.iam_cli("list-saml-providers"), {"SAMLProviderList": [
            {"Arn": saml_arn("okta"), "ValidUntil": got["ValidUntil"],
             "CreateDate": got["CreateDate"]}]})

        self.assertEqual(self.iam_cli("update-saml-provider", "--saml-provider-arn",
                                      saml_arn("okta"), "--saml-metadata-document", DOC_2),
                         {"SAMLProviderArn": saml_arn("okta")})
        self.assertEqual(self.got(saml_arn("okta"))["SAMLMetadataDocument"], DOC_2)

        self.assertIsNone(self.iam_cli("delete-saml-provider", "--saml-provider-arn",
                                       saml_arn("okta")))
        self.assertEqual(self.iam_cli("list-saml-providers"), {"SAMLProviderList": []})

    def test_create_with_boto3_and_the_defaults(self):
        before = now()
        created = self.create("okta")
        after = now()
        self.assertEqual(sorted(created), ["ResponseMetadata", "SAMLProviderArn"])
        self.assertEqual(created["SAMLProviderArn"],
                         "arn:aws:iam::123456789012:saml-provider/okta")
        got = self.got(saml_arn("okta"))
        self.assertEqual(sorted(got), ["AssertionEncryptionMode", "CreateDate", "PrivateKeyList",
                                       "SAMLMetadataDocument", "SAMLProviderUUID", "Tags",
                                       "ValidUntil"])
        self.assertRegex(got["SAMLProviderUUID"], UUID_PATTERN)
        self.assertCreatedNow(got["CreateDate"], before, after)
        self.assertEqual(got, {"SAMLProviderUUID": got["SAMLProviderUUID"],
                               "SAMLMetadataDocument": DOC,
                               "CreateDate": got["CreateDate"],
                               "ValidUntil": hundred_years_after(got["CreateDate"]),
                               "Tags": [],
                               "AssertionEncryptionMode": "Allowed",
                               "PrivateKeyList": []})
        self.assertEqual(self.listed(), [{"Arn": saml_arn("okta"),
                                          "ValidUntil": got["ValidUntil"],
                                          "CreateDate": got["CreateDate"]}])
        # A second provider with the same document: a provider of its own.
        self.create("okta-2")
        self.assertNotEqual(self.got(saml_arn("okta-2"))["SAMLProviderUUID"],
                            got["SAMLProviderUUID"])

    def test_tags_key_and_required_mode_at_creation(self):
        tags = [{"Key": "team", "Value": "sso"}, {"Key": "empty", "Value": ""}]
        before = now()
        created = self.create("azure", Tags=tags, AssertionEncryptionMode="Required",
                              AddPrivateKey=RSA_KEY)
        after = now()
        self.assertEqual(created["SAMLProviderArn"], saml_arn("azure"))
        self.assertEqual(created["Tags"], tags)
        got = self.got(saml_arn("azure"))
        self.assertEqual(got["Tags"], tags)
        self.assertEqual(got["AssertionEncryptionMode"], "Required")
        self.assertEqual(len(got["PrivateKeyList"]), 1, got)
        key = got["PrivateKeyList"][0]
        self.assertEqual(sorted(key), ["KeyId", "Timestamp"])
        self.assertRegex(key["KeyId"], KEY_ID_PATTERN)
        self.assertCreatedNow(key["Timestamp"], before, after)
        self.assertEqual(self.iam.list_saml_provider_tags(SAMLProviderArn=saml_arn("azure"))
                         ["Tags"], tags)

        # Allowed, explicitly, with a key (EC this time).
        self.create("google", AssertionEncryptionMode="Allowed", AddPrivateKey=EC_KEY)
        got = self.got(saml_arn("google"))
        self.assertEqual(got["AssertionEncryptionMode"], "Allowed")
        self.assertEqual(len(got["PrivateKeyList"]), 1, got)
        self.assertRegex(got["PrivateKeyList"][0]["KeyId"], KEY_ID_PATTERN)
        self.assertNotIn("Tags", self.create("plain"))

    def test_list_is_sorted_by_name_and_shows_no_tags(self):
        self.assertEqual(self.iam.list_saml_providers()["SAMLProviderList"], [])
        for name in ("c-okta", "a-azure", "b-google"):
            self.create(name, Tags=[{"Key": "k", "Value": name}])
        listed = self.listed()
        self.assertEqual([p["Arn"] for p in listed],
                         [saml_arn("a-azure"), saml_arn("b-google"), saml_arn("c-okta")])
        for p in listed:
            self.assertEqual(sorted(p), ["Arn", "CreateDate", "ValidUntil"])
            got = self.got(p["Arn"])
            self.assertEqual((p["CreateDate"], p["ValidUntil"]),
                             (got["CreateDate"], got["ValidUntil"]))

    def test_the_private_key_is_never_sent_back(self):
        secrets = key_lines(RSA_KEY, EC_KEY)
        self.assertTrue(secrets)
        bodies = []
        for action, params in (
                ("CreateSAMLProvider", {"Name": "secret", "SAMLMetadataDocument": DOC,
                                        "AddPrivateKey": RSA_KEY,
                                        "AssertionEncryptionMode": "Required",
                                        "Tags.member.1.Key": "k", "Tags.member.1.Value": "v"}),
                ("UpdateSAMLProvider", {"SAMLProviderArn": saml_arn("secret"),
                                        "AddPrivateKey": EC_KEY}),
                ("GetSAMLProvider", {"SAMLProviderArn": saml_arn("secret")}),
                ("ListSAMLProviders", {}),
                ("ListSAMLProviderTags", {"SAMLProviderArn": saml_arn("secret")})):
            status, _, body = self.server.raw(dict(params, Action=action))
            self.assertEqual(status, 200, body)
            bodies.append(body.decode())
        for body in bodies:
            self.assertNotIn("PRIVATE KEY", body)
            for line in secrets:
                self.assertNotIn(line, body)
        self.assertEqual(len(self.got(saml_arn("secret"))["PrivateKeyList"]), 2)
        self.assertIn("<KeyId>SAMLPK", bodies[2])  # the key IDs are there, though


class CreateErrorTest(SamlCase):
    def setUp(self):
        # Must stay as it is through every refusal.
        self.create("okta", Tags=[{"Key": "keep", "Value": "me"}], AddPrivateKey=RSA_KEY,
                    AssertionEncryptionMode="Required")

    def test_the_same_name_again_in_any_case(self):
        for name in ("okta", "OKTA", "Okta"):
            with self.subTest(name):
                self.assertRefused(self.iam.create_saml_provider, already_exists(name),
                                   Name=name, SAMLMetadataDocument=DOC_2)
        self.assertEqual([p["Arn"] for p in self.listed()], [saml_arn("okta")])

    def test_a_document_that_is_not_saml_metadata(self):
        body = DOC.split("?>", 1)[1]  # without the XML declaration
        for what, document in (
                ("not XML", "x" * 1000),
                ("JSON", json.dumps({"EntityDescriptor": "x" * 1000})),
                ("EntitiesDescriptor", DOC.replace("md:EntityDescriptor", "md:EntitiesDescriptor")),
                ("EntityDescriptor inside another root",
                 "<root><EntityDescriptor/>" + " " * 1000 + "</root>"),
                ("the document inside another root", "<root>" + body + "</root>"),
                ("cut in half", DOC[:len(DOC) // 2]),
                ("two root elements", DOC + "<md:EntityDescriptor xmlns:md=\"x\"/>")):
            with self.subTest(what):
                self.assertGreaterEqual(len(document), 1000)
                self.assertRefused(self.iam.create_saml_provider, BAD_METADATA,
                                   Name="bad-doc", SAMLMetadataDocument=document)

    def test_a_document_under_1000_characters(self):
        for document in ("<md:EntityDescriptor/>", "x", DOC[:999]):
            with self.subTest(len(document)):
                self.assertRefused(self.raw_iam.create_saml_provider, SHORT_DOCUMENT,
                                   Name="short", SAMLMetadataDocument=document)

    def test_a_private_key_that_is_not_one_unencrypted_pem_key(self):
        for what, key in (("text", "not a key"),
                          ("a certificate", RSA_CERT),
                          ("encrypted", RSA_ENCRYPTED_KEY),
                          ("two keys", RSA_KEY + EC_KEY)):
            with self.subTest(what):
                self.assertRefused(self.iam.create_saml_provider, BAD_KEY,
                                   Name="bad-key", SAMLMetadataDocument=DOC, AddPrivateKey=key)

    def test_required_without_a_private_key(self):
        self.assertRefused(self.iam.create_saml_provider, REQUIRED_WITHOUT_KEY,
                           Name="no-key", SAMLMetadataDocument=DOC,
                           AssertionEncryptionMode="Required")


class LimitTest(SamlCase):
    def test_a_hundred_providers_at_most(self):
        for n in range(100):
            self.create("idp-%03d" % n)
        self.assertEqual(len(self.listed()), 100)
        self.assertEqual(self.iam.get_account_summary()["SummaryMap"]["Providers"], 100)
        self.assertRefused(self.iam.create_saml_provider, TOO_MANY_PROVIDERS,
                           Name="idp-100", SAMLMetadataDocument=DOC)
        # One deleted: room for one again.
        self.iam.delete_saml_provider(SAMLProviderArn=saml_arn("idp-000"))
        self.create("idp-100")
        self.assertEqual(len(self.listed()), 100)


class NotFoundTest(SamlCase):
    """Every call on an ARN that names no provider of this account: NoSuchEntity, with the ARN
    as given (LocalStack's AWS-validated snapshot of GetSAMLProvider/DeleteSAMLProvider)."""

    UNKNOWN = (saml_arn("missing"),
               "not-an-arn-but-long-enough",  # malformed, over the model's 20 characters
               saml_arn("okta", account="210987654321"),  # another account's
               "arn:aws:iam::123456789012:role/okta")  # a role's

    def setUp(self):
        self.create("okta", Tags=[{"Key": "keep", "Value": "me"}])

    def calls(self):
        return ((self.raw_iam.get_saml_provider, {}),
                (self.raw_iam.update_saml_provider, {"SAMLMetadataDocument": DOC_2}),
                (self.raw_iam.delete_saml_provider, {}),
                (self.raw_iam.tag_saml_provider, {"Tags": [{"Key": "x", "Value": "y"}]}),
                (self.raw_iam.untag_saml_provider, {"TagKeys": ["keep"]}),
                (self.raw_iam.list_saml_provider_tags, {}))

    def check_not_found(self, arn_text):
        for call, kwargs in self.calls():
            with self.subTest(call.__name__, arn=arn_text):
                self.assertRefused(call, not_found(arn_text), SAMLProviderArn=arn_text, **kwargs)

    def test_unknown_other_account_role_and_malformed_arns(self):
        for arn_text in self.UNKNOWN:
            self.check_not_found(arn_text)

    def test_text_shorter_than_an_arn_is_a_validation_error(self):
        """The service model's minimum length of SAMLProviderArn (20) is checked first, as for
        every parameter: "not-an-arn" never reaches the lookup."""
        expected = (400, "Sender", "ValidationError",
                    "1 validation error detected: Value at 'sAMLProviderArn' failed to satisfy "
                    "constraint: Member must have length greater than or equal to 20")
        for call, kwargs in self.calls():
            with self.subTest(call.__name__):
                self.assertRefused(call, expected, SAMLProviderArn="not-an-arn", **kwargs)


class UpdateTest(SamlCase):
    def setUp(self):
        self.create("okta", Tags=[{"Key": "team", "Value": "sso"}])
        self.arn = saml_arn("okta")
        self.original = self.got(self.arn)

    def assertKeptIdentity(self, got):
        for field in ("SAMLProviderUUID", "CreateDate", "ValidUntil", "Tags"):
            self.assertEqual(got[field], self.original[field], field)

    def update(self, **kwargs):
        out = self.iam.update_saml_provider(SAMLProviderArn=self.arn, **kwargs)
        self.assertEqual(sorted(out), ["ResponseMetadata", "SAMLProviderArn"])
        self.assertEqual(out["SAMLProviderArn"], self.arn)
        return self.got(self.arn)

    def test_a_new_document(self):
        got = self.update(SAMLMetadataDocument=DOC_2)
        self.assertEqual(got["SAMLMetadataDocument"], DOC_2)
        self.assertEqual(got["AssertionEncryptionMode"], "Allowed")
        self.assertEqual(got["PrivateKeyList"], [])
        self.assertKeptIdentity(got)
        self.assertEqual(self.listed(), [{"Arn": self.arn, "CreateDate": got["CreateDate"],
                                          "ValidUntil": got["ValidUntil"]}])

    def test_refused_documents(self):
        self.assertRefused(self.raw_iam.update_saml_provider, SHORT_DOCUMENT,
                           SAMLProviderArn=self.arn, SAMLMetadataDocument=DOC[:999])
        for document in ("x" * 1000, DOC[:len(DOC) // 2],
                         DOC.replace("md:EntityDescriptor", "md:EntitiesDescriptor")):
            self.assertRefused(self.iam.update_saml_provider, BAD_METADATA,
                               SAMLProviderArn=self.arn, SAMLMetadataDocument=document)

    def test_nothing_to_update(self):
        self.assertRefused(self.iam.update_saml_provider, NO_UPDATES, SAMLProviderArn=self.arn)

    def test_keys_and_the_encryption_mode(self):
        before = now()
        got = self.update(AddPrivateKey=RSA_KEY)
        after = now()
        self.assertEqual(len(got["PrivateKeyList"]), 1, got)
        first = got["PrivateKeyList"][0]
        self.assertRegex(first["KeyId"], KEY_ID_PATTERN)
        self.assertCreatedNow(first["Timestamp"], before, after)
        self.assertEqual(got["AssertionEncryptionMode"], "Allowed")

        got = self.update(AssertionEncryptionMode="Required")
        self.assertEqual(got["AssertionEncryptionMode"], "Required")
        self.assertEqual(got["PrivateKeyList"], [first])

        got = self.update(AddPrivateKey=EC_KEY, SAMLMetadataDocument=DOC_2)
        self.assertEqual(got["SAMLMetadataDocument"], DOC_2)
        self.assertEqual(len(got["PrivateKeyList"]), 2, got)
        self.assertEqual(got["PrivateKeyList"][0], first)
        second = got["PrivateKeyList"][1]
        self.assertRegex(second["KeyId"], KEY_ID_PATTERN)
        self.assertNotEqual(second["KeyId"], first["KeyId"])
        self.assertKeptIdentity(got)

        # The refusals, with two keys and Required.
        self.assertRefused(self.iam.update_saml_provider, THIRD_KEY,
                           SAMLProviderArn=self.arn, AddPrivateKey=RSA_KEY)
        self.assertRefused(self.iam.update_saml_provider, ADD_AND_REMOVE,
                           SAMLProviderArn=self.arn, AddPrivateKey=RSA_KEY,
                           RemovePrivateKey=first["KeyId"])
        near_miss = first["KeyId"][:-1] + ("A" if first["KeyId"][-1] != "A" else "B")
        for key_id in ("ABCDEFGHIJKLMNOPQRSTUV", "SAMLPKAAAAAAAAAAAAAAAAA0123", near_miss):
            with self.subTest(key_id):
                self.assertRefused(self.iam.update_saml_provider, UNKNOWN_KEY_ID,
                                   SAMLProviderArn=self.arn, RemovePrivateKey=key_id)
        self.assertRefused(self.iam.update_saml_provider, BAD_KEY,
                           SAMLProviderArn=self.arn, AddPrivateKey=RSA_ENCRYPTED_KEY)

        # One removed: the other stays; the last one cannot go while Required.
        got = self.update(RemovePrivateKey=first["KeyId"])
        self.assertEqual(got["PrivateKeyList"], [second])
        self.assertEqual(got["AssertionEncryptionMode"], "Required")
        self.assertRefused(self.iam.update_saml_provider, REQUIRED_WITHOUT_KEY,
                           SAMLProviderArn=self.arn, RemovePrivateKey=second["KeyId"])
        self.assertRefused(self.iam.update_saml_provider, REQUIRED_WITHOUT_KEY,
                           SAMLProviderArn=self.arn, RemovePrivateKey=second["KeyId"],
                           AssertionEncryptionMode="Required")
        # A removed key is unknown.
        self.assertRefused(self.iam.update_saml_provider, UNKNOWN_KEY_ID,
                           SAMLProviderArn=self.arn, RemovePrivateKey=first["KeyId"])

        # Allowed and the last key removed in one request.
        got = self.update(AssertionEncryptionMode="Allowed", RemovePrivateKey=second["KeyId"])
        self.assertEqual(got["AssertionEncryptionMode"], "Allowed")
        self.assertEqual(got["PrivateKeyList"], [])
        self.assertKeptIdentity(got)

    def test_required_without_a_key(self):
        self.assertRefused(self.iam.update_saml_provider, REQUIRED_WITHOUT_KEY,
                           SAMLProviderArn=self.arn, AssertionEncryptionMode="Required")
        self.assertRefused(self.iam.update_saml_provider, REQUIRED_WITHOUT_KEY,
                           SAMLProviderArn=self.arn, AssertionEncryptionMode="Required",
                           SAMLMetadataDocument=DOC_2)
        # With a key in the same request: fine.
        got = self.update(AssertionEncryptionMode="Required", AddPrivateKey=EC_KEY)
        self.assertEqual(got["AssertionEncryptionMode"], "Required")
        self.assertEqual(len(got["PrivateKeyList"]), 1)


class DeleteTest(SamlCase):
    def test_delete_and_delete_again_then_reuse_the_name(self):
        self.create("okta")
        self.create("stays")
        old_uuid = self.got(saml_arn("okta"))["SAMLProviderUUID"]
        out = self.iam.delete_saml_provider(SAMLProviderArn=saml_arn("okta"))
        self.assertEqual(sorted(out), ["ResponseMetadata"])
        self.assertEqual([p["Arn"] for p in self.listed()], [saml_arn("stays")])
        self.assertRefused(self.iam.delete_saml_provider, not_found(saml_arn("okta")),
                           SAMLProviderArn=saml_arn("okta"))
        self.assertEqual(fx.error_of(self.iam.get_saml_provider,
                                     SAMLProviderArn=saml_arn("okta")),
                         not_found(saml_arn("okta")))
        # The name is free again: a new provider.
        self.create("okta", DOC_2)
        got = self.got(saml_arn("okta"))
        self.assertEqual(got["SAMLMetadataDocument"], DOC_2)
        self.assertNotEqual(got["SAMLProviderUUID"], old_uuid)


class TagTest(SamlCase):
    def tags(self, arn, **kwargs):
        return self.iam.list_saml_provider_tags(SAMLProviderArn=arn, **kwargs)

    def test_tag_untag_list(self):
        arn = saml_arn("tagged")
        self.create("tagged", Tags=[{"Key": "team", "Value": "sso"}])
        self.assertIsNone(self.iam_cli("tag-saml-provider", "--saml-provider-arn", arn,
                                       "--tags", "Key=b,Value=2", "Key=c,Value=3"))
        out = self.iam.tag_saml_provider(SAMLProviderArn=arn,
                                         Tags=[{"Key": "TEAM", "Value": "platform"}])
        self.assertEqual(sorted(out), ["ResponseMetadata"])
        listed = self.tags(arn)
        self.assertEqual(listed["Tags"], [{"Key": "team", "Value": "platform"},
                                          {"Key": "b", "Value": "2"}, {"Key": "c", "Value": "3"}])
        self.assertFalse(listed["IsTruncated"])
        page = self.tags(arn, MaxItems=2)
        self.assertTrue(page["IsTruncated"])
        rest = self.tags(arn, Marker=page["Marker"])
        self.assertEqual(page["Tags"] + rest["Tags"], listed["Tags"])

        self.assertIsNone(self.iam_cli("untag-saml-provider", "--saml-provider-arn", arn,
                                       "--tag-keys", "B", "absent"))
        expected = [{"Key": "team", "Value": "platform"}, {"Key": "c", "Value": "3"}]
        self.assertEqual(self.iam_cli("list-saml-provider-tags", "--saml-provider-arn",
                                      arn)["Tags"], expected)
        self.assertEqual(self.got(arn)["Tags"], expected)
        self.iam.untag_saml_provider(SAMLProviderArn=arn, TagKeys=["team", "c"])
        self.assertEqual(self.tags(arn)["Tags"], [])
        self.assertEqual(self.got(arn)["Tags"], [])
        self.assertEqual(sorted(self.listed()[0]), ["Arn", "CreateDate", "ValidUntil"])


class AccountSummaryTest(SamlCase):
    def test_providers_counts_oidc_and_saml_providers(self):
        summary = lambda: self.iam.get_account_summary()["SummaryMap"]["Providers"]
        self.assertEqual(summary(), 0)
        self.create("okta")
        self.assertEqual(summary(), 1)
        oidc = self.iam.create_open_id_connect_provider(
            Url="https://example.com", ThumbprintList=["a" * 40])["OpenIDConnectProviderArn"]
        try:
            self.assertEqual(summary(), 2)
            self.create("azure")
            self.assertEqual(summary(), 3)
            self.iam.delete_saml_provider(SAMLProviderArn=saml_arn("okta"))
            self.assertEqual(summary(), 2)
        finally:
            self.iam.delete_open_id_connect_provider(OpenIDConnectProviderArn=oidc)
        self.assertEqual(summary(), 1)


class RestartTest(SamlCase):
    def test_providers_survive_a_restart(self):
        self.create("okta", Tags=[{"Key": "team", "Value": "sso"}], AddPrivateKey=RSA_KEY,
                    AssertionEncryptionMode="Required")
        self.iam.update_saml_provider(SAMLProviderArn=saml_arn("okta"), AddPrivateKey=EC_KEY,
                                      SAMLMetadataDocument=DOC_2)
        self.create("azure")
        self.create("gone")
        self.iam.tag_saml_provider(SAMLProviderArn=saml_arn("azure"),
                                   Tags=[{"Key": "env", "Value": "prod"}])
        self.iam.untag_saml_provider(SAMLProviderArn=saml_arn("okta"), TagKeys=["team"])
        self.iam.tag_saml_provider(SAMLProviderArn=saml_arn("okta"),
                                   Tags=[{"Key": "owner", "Value": "ops"}])
        self.iam.delete_saml_provider(SAMLProviderArn=saml_arn("gone"))
        before = self.everything()
        self.assertEqual(sorted(before), [saml_arn("azure"), saml_arn("okta"), "list"])
        okta = self.got(saml_arn("okta"))
        self.assertEqual(len(okta["PrivateKeyList"]), 2)

        self.server.restart()
        type(self).iam = self.server.client()
        type(self).raw_iam = self.server.client(validate=False)

        self.assertEqual(self.everything(), before)
        after = self.got(saml_arn("okta"))
        self.assertEqual(after, okta)
        self.assertEqual(after["SAMLMetadataDocument"], DOC_2)
        self.assertEqual(after["AssertionEncryptionMode"], "Required")
        self.assertEqual(after["Tags"], [{"Key": "owner", "Value": "ops"}])
        self.assertEqual(fx.error_of(self.iam.get_saml_provider,
                                     SAMLProviderArn=saml_arn("gone")),
                         not_found(saml_arn("gone")))
        self.assertEqual(self.iam.get_account_summary()["SummaryMap"]["Providers"], 2)
        # The keys still work as keys: one removed by its ID after the restart.
        first, second = okta["PrivateKeyList"]
        self.iam.update_saml_provider(SAMLProviderArn=saml_arn("okta"),
                                      RemovePrivateKey=first["KeyId"])
        self.assertEqual(self.got(saml_arn("okta"))["PrivateKeyList"], [second])


class EnforcementTest(SamlCase):
    def test_a_user_without_policies_cannot_create(self):
        plain = fx.create_user_with_key(self.iam, "saml-plain")
        try:
            client = self.server.client(key_id=plain["key_id"], secret=plain["secret"])
            self.assertRefused(client.create_saml_provider,
                               (403, "Sender", "AccessDenied",
                                fx.denied(plain["arn"], "iam:CreateSAMLProvider",
                                          "arn:aws:iam::123456789012:saml-provider/denied")),
                               Name="denied", SAMLMetadataDocument=DOC)
            # Refused before its input is read: a document that is no metadata, or a bad key,
            # gets the same AccessDenied (not InvalidInput).
            for bad in ({"SAMLMetadataDocument": "x" * 1000},
                        {"SAMLMetadataDocument": DOC, "AddPrivateKey": "not a key"}):
                with self.subTest(sorted(bad)):
                    self.assertRefused(client.create_saml_provider,
                                       (403, "Sender", "AccessDenied",
                                        fx.denied(plain["arn"], "iam:CreateSAMLProvider",
                                                  "arn:aws:iam::123456789012:saml-provider/denied")),
                                       Name="denied", **bad)
            self.assertEqual(self.listed(), [])
        finally:
            fx.delete_user_with_key(self.iam, plain)

    def test_get_allowed_on_one_provider_only(self):
        self.create("okta")
        self.create("azure")
        user = fx.create_user_with_key(
            self.iam, "saml-reader",
            inline=fx.document(fx.allow("iam:GetSAMLProvider",
                                        "arn:aws:iam::123456789012:saml-provider/okta")))
        try:
            client = self.server.client(key_id=user["key_id"], secret=user["secret"])
            got = client.get_saml_provider(SAMLProviderArn=saml_arn("okta"))
            got.pop("ResponseMetadata")
            self.assertEqual(got, self.got(saml_arn("okta")))
            self.assertRefused(client.get_saml_provider,
                               (403, "Sender", "AccessDenied",
                                fx.denied(user["arn"], "iam:GetSAMLProvider",
                                          saml_arn("azure"))),
                               SAMLProviderArn=saml_arn("azure"))
            self.assertRefused(client.delete_saml_provider,
                               (403, "Sender", "AccessDenied",
                                fx.denied(user["arn"], "iam:DeleteSAMLProvider",
                                          saml_arn("okta"))),
                               SAMLProviderArn=saml_arn("okta"))
        finally:
            fx.delete_user_with_key(self.iam, user)


if __name__ == "__main__":
    unittest.main()
