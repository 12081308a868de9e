"""IAM server certificates (Upload/Get/List/Update/DeleteServerCertificate, Tag/Untag/
ListServerCertificateTags), driven with AWS CLI v2 and boto3.

What is pinned: the metadata (ASCA IDs, ARNs that carry the path, UploadDate to the second,
Expiration = the certificate's notAfter), the certificate body and chain given back with LF line
ends and no trailing white space, CertificateChain only when uploaded and Tags always in
GetServerCertificate, no private key anywhere on the wire; the refusals (EntityAlreadyExists,
MalformedCertificate for the body, the private key, the chain and an expired certificate,
KeyPairMismatch, LimitExceeded at 21 certificates and at 51 tags, NoSuchEntity) checked whole
(HTTP status, Type, Code, Message), each leaving every certificate as it was; renames that keep
the ID and upload date; the account summary; a restart; and enforcement (a rename needs
iam:UpdateServerCertificate on the new ARN as well). Tag limits are checked as the other suites
check them: 51 tags in one request is the model's ValidationError (test_errors.py, TagRole),
a 51st tag on a certificate that holds 50 is LimitExceeded.

The certificates and keys are test files (src/auth/testdata/certificates): server-rsa.pem with
its key in PKCS#8, PKCS#1 and encrypted form, server-ec.pem (P-256), server-expired.pem (2020
only), and self-signed-1/2/3.pem as chain material.
"""

import datetime
import json
import os
import unittest

import iamd_fixture as fx

ACCT = fx.ACCOUNT_ID
CERT_DIR = os.path.join(fx.SOURCE_DIR, "src", "auth", "testdata", "certificates")
UTC = datetime.timezone.utc
RSA_EXPIRATION = datetime.datetime(2036, 11, 29, 13, 52, 25, tzinfo=UTC)
EC_EXPIRATION = datetime.datetime(2036, 11, 29, 13, 54, 50, tzinfo=UTC)
ID_PATTERN = r"^ASCA[A-Z2-7]{17}$"

BAD_BODY = "Unable to parse certificate. Please ensure the certificate is in PEM format."
BAD_KEY = ("Unable to parse private key. Please ensure the private key is an unencrypted key in "
           "PEM format.")
BAD_CHAIN = ("Unable to validate certificate chain. The certificate chain must start with the "
             "immediate signing certificate, followed by any intermediaries in order. The index "
             "within the chain of the invalid certificate is: -1")
MISMATCH = "The public key of the certificate does not match the private key."
TOO_MANY_TAGS_IN_REQUEST = ("1 validation error detected: Value at 'tags' failed to satisfy "
                            "constraint: Member must have length less than or equal to 50")


def path_of(name):
    return os.path.join(CERT_DIR, name)


def read(name):
    with open(path_of(name)) as f:
        return f.read()


RSA = read("server-rsa.pem")
RSA_KEY = read("server-rsa.key")
RSA_PKCS1_KEY = read("server-rsa-pkcs1.key")
RSA_ENCRYPTED_KEY = read("server-rsa-encrypted.key")
EC = read("server-ec.pem")
EC_KEY = read("server-ec.key")
EXPIRED = read("server-expired.pem")
EXPIRED_KEY = read("server-expired.key")
CHAIN_1, CHAIN_2, CHAIN_3 = (read("self-signed-%d.pem" % n) for n in (1, 2, 3))


def cert_arn(name, path="/"):
    return "arn:aws:iam::%s:server-certificate%s%s" % (ACCT, path, name)


def not_found(name):
    return (404, "Sender", "NoSuchEntity",
            "The Server Certificate with name %s cannot be found." % name)


def already_exists(name):
    return (409, "Sender", "EntityAlreadyExists",
            "The Server Certificate with name %s already exists." % name)


def key_lines(*keys):
    """The base64 lines of private keys (to show that none of them is ever sent back)."""
    return [line for key in keys for line in key.splitlines()[1:-1] if len(line) >= 40]


class ServerCertificateCase(fx.ServerTestCase):
    maxDiff = None

    def tearDown(self):
        for meta in self.listed():
            self.iam.delete_server_certificate(
                ServerCertificateName=meta["ServerCertificateName"])

    def listed(self, **kwargs):
        return self.iam.list_server_certificates(**kwargs)["ServerCertificateMetadataList"]

    def got(self, name):
        return self.iam.get_server_certificate(ServerCertificateName=name)["ServerCertificate"]

    def everything(self):
        """Every certificate with all that Get and ListServerCertificateTags show."""
        out = {}
        for meta in self.listed():
            name = meta["ServerCertificateName"]
            tags = self.iam.list_server_certificate_tags(ServerCertificateName=name)["Tags"]
            out[name] = json.dumps({"listed": meta, "got": self.got(name), "tags": tags},
                                   sort_keys=True, default=str)
        return out

    def assertRefused(self, call, expected, **kwargs):
        before = self.everything()
        self.assertEqual(fx.error_of(call, **kwargs), expected)
        self.assertEqual(self.everything(), before, "a refused request changed the certificates")

    def upload(self, name, body=RSA, key=RSA_KEY, **extra):
        return self.iam.upload_server_certificate(ServerCertificateName=name, CertificateBody=body,
                                                  PrivateKey=key, **extra)

    def assertUploadedNow(self, upload_date, before, after):
        self.assertEqual(upload_date.microsecond, 0, upload_date)
        self.assertLessEqual(before.replace(microsecond=0), upload_date)
        self.assertLessEqual(upload_date, after)


def now():
    return datetime.datetime.now(UTC)


class UploadTest(ServerCertificateCase):
    def test_upload_get_list_with_the_cli(self):
        before = now()
        uploaded = self.iam_cli("upload-server-certificate", "--server-certificate-name", "web",
                                "--path", "/cloudfront/",
                                "--certificate-body", "file://" + path_of("server-rsa.pem"),
                                "--private-key", "file://" + path_of("server-rsa.key"))
        after = now()
        self.assertEqual(sorted(uploaded), ["ServerCertificateMetadata"])  # no Tags: none given
        meta = uploaded["ServerCertificateMetadata"]
        self.assertRegex(meta["ServerCertificateId"], ID_PATTERN)
        self.assertEqual(sorted(meta), ["Arn", "Expiration", "Path", "ServerCertificateId",
                                        "ServerCertificateName", "UploadDate"])
        self.assertEqual({k: meta[k] for k in ("Path", "ServerCertificateName", "Arn")},
                         {"Path": "/cloudfront/", "ServerCertificateName": "web",
                          "Arn": "arn:aws:iam::123456789012:server-certificate/cloudfront/web"})
        self.assertEqual(datetime.datetime.fromisoformat(meta["Expiration"]), RSA_EXPIRATION)
        self.assertUploadedNow(datetime.datetime.fromisoformat(meta["UploadDate"]), before, after)

        got = self.iam_cli("get-server-certificate", "--server-certificate-name", "web")
        self.assertEqual(got, {"ServerCertificate": {
            "ServerCertificateMetadata": meta,
            "CertificateBody": RSA.rstrip("\n"),
            "Tags": []}})
        self.assertEqual(self.iam_cli("list-server-certificates"),
                         {"ServerCertificateMetadataList": [meta]})
        self.assertEqual(self.iam_cli("list-server-certificates", "--path-prefix", "/cloudfront/"),
                         {"ServerCertificateMetadataList": [meta]})
        self.assertEqual(self.iam_cli("list-server-certificates", "--path-prefix", "/elb/"),
                         {"ServerCertificateMetadataList": []})
        self.assertIsNone(self.iam_cli("delete-server-certificate", "--server-certificate-name",
                                       "web"))
        self.assertEqual(self.iam_cli("list-server-certificates"),
                         {"ServerCertificateMetadataList": []})

    def test_wire_dates(self):
        """Dates on the wire are ISO 8601 UTC to the second; Expiration is notAfter."""
        status, _, body = self.server.raw({
            "Action": "UploadServerCertificate", "ServerCertificateName": "wire",
            "CertificateBody": RSA, "PrivateKey": RSA_KEY})
        self.assertEqual(status, 200, body)
        prefix = "UploadServerCertificateResult/ServerCertificateMetadata/"
        self.assertEqual(fx.xml_text(body, prefix + "Expiration"), "2036-11-29T13:52:25Z")
        self.assertRegex(fx.xml_text(body, prefix + "UploadDate"),
                         r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        self.assertEqual(fx.xml_text(body, prefix + "Arn"), cert_arn("wire"))
        self.assertEqual(fx.xml_text(body, prefix + "Path"), "/")

    def test_upload_with_boto3_pkcs1_ec_chain_and_tags(self):
        before = now()
        plain = self.upload("pkcs1", key=RSA_PKCS1_KEY)
        after = now()
        self.assertEqual(sorted(plain), ["ResponseMetadata", "ServerCertificateMetadata"])
        meta = plain["ServerCertificateMetadata"]
        self.assertRegex(meta["ServerCertificateId"], ID_PATTERN)
        self.assertUploadedNow(meta["UploadDate"], before, after)
        self.assertEqual(meta, {"Path": "/", "ServerCertificateName": "pkcs1",
                                "ServerCertificateId": meta["ServerCertificateId"],
                                "Arn": cert_arn("pkcs1"), "UploadDate": meta["UploadDate"],
                                "Expiration": RSA_EXPIRATION})

        ec = self.upload("ec", body=EC, key=EC_KEY, Path="/elb/")["ServerCertificateMetadata"]
        self.assertEqual(ec["Expiration"], EC_EXPIRATION)
        self.assertEqual(ec["Arn"], cert_arn("ec", "/elb/"))
        self.assertEqual(self.got("ec")["CertificateBody"], EC.rstrip("\n"))

        tags = [{"Key": "team", "Value": "web"}, {"Key": "empty", "Value": ""}]
        chained = self.upload("chained", CertificateChain=CHAIN_1 + CHAIN_2, Tags=tags)
        self.assertEqual(chained["Tags"], tags)
        got = self.got("chained")
        self.assertEqual(got, {"ServerCertificateMetadata": chained["ServerCertificateMetadata"],
                               "CertificateBody": RSA.rstrip("\n"),
                               "CertificateChain": (CHAIN_1 + CHAIN_2).rstrip("\n"),
                               "Tags": tags})
        self.assertNotIn("CertificateChain", self.got("pkcs1"))
        self.assertEqual(self.got("pkcs1")["Tags"], [])

        # The same certificate under another name: allowed, a certificate of its own.
        ids = {m["ServerCertificateName"]: m["ServerCertificateId"] for m in self.listed()}
        self.assertEqual(sorted(ids), ["chained", "ec", "pkcs1"])
        self.assertEqual(len(set(ids.values())), 3)
        # The list shows metadata only: no body, no chain, no tags.
        for listed in self.listed():
            self.assertEqual(sorted(listed), ["Arn", "Expiration", "Path", "ServerCertificateId",
                                              "ServerCertificateName", "UploadDate"])

    def test_the_private_key_is_never_sent_back(self):
        secrets = key_lines(RSA_KEY, RSA_PKCS1_KEY, EC_KEY)
        self.assertTrue(secrets)
        bodies = []
        for action, params in (
                ("UploadServerCertificate", {"ServerCertificateName": "secret",
                                             "CertificateBody": RSA, "PrivateKey": RSA_KEY,
                                             "CertificateChain": CHAIN_3,
                                             "Tags.member.1.Key": "k",
                                             "Tags.member.1.Value": "v"}),
                ("UploadServerCertificate", {"ServerCertificateName": "secret-ec",
                                             "CertificateBody": EC, "PrivateKey": EC_KEY}),
                ("GetServerCertificate", {"ServerCertificateName": "secret"}),
                ("GetServerCertificate", {"ServerCertificateName": "secret-ec"}),
                ("ListServerCertificates", {}),
                ("ListServerCertificateTags", {"ServerCertificateName": "secret"})):
            status, _, body = self.server.raw(dict(params, Action=action))
            self.assertEqual(status, 200, body)
            bodies.append(body.decode())
        for body in bodies:
            self.assertNotIn("PRIVATE KEY", body)
            self.assertNotIn("PrivateKey", body)
            for line in secrets:
                self.assertNotIn(line, body)
        self.assertIn(RSA.splitlines()[1], bodies[2])  # the body is there, though


class UploadErrorTest(ServerCertificateCase):
    def setUp(self):
        self.upload("web", Tags=[{"Key": "keep", "Value": "me"}])  # must stay as it is

    def test_the_same_name_again_in_any_case(self):
        for name in ("web", "WEB", "Web"):
            with self.subTest(name):
                self.assertRefused(self.iam.upload_server_certificate, already_exists(name),
                                   ServerCertificateName=name, CertificateBody=EC,
                                   PrivateKey=EC_KEY, Path="/other/")
        self.assertEqual([m["ServerCertificateName"] for m in self.listed()], ["web"])

    def test_a_body_that_is_not_one_pem_certificate(self):
        malformed = (400, "Sender", "MalformedCertificate", BAD_BODY)
        for what, body in (("text", "not a certificate"),
                           ("a key", RSA_KEY),
                           ("bad base64", "-----BEGIN CERTIFICATE-----\nnot base64!\n"
                                          "-----END CERTIFICATE-----\n"),
                           ("two certificates", RSA + CHAIN_1),
                           ("the same twice", RSA + RSA)):
            with self.subTest(what):
                self.assertRefused(self.iam.upload_server_certificate, malformed,
                                   ServerCertificateName="bad-body", CertificateBody=body,
                                   PrivateKey=RSA_KEY)

    def test_a_key_that_is_not_an_unencrypted_pem_private_key(self):
        malformed = (400, "Sender", "MalformedCertificate", BAD_KEY)
        for what, key in (("text", "not a key"),
                          ("a certificate", RSA),
                          ("encrypted", RSA_ENCRYPTED_KEY)):
            with self.subTest(what):
                self.assertRefused(self.iam.upload_server_certificate, malformed,
                                   ServerCertificateName="bad-key", CertificateBody=RSA,
                                   PrivateKey=key)

    def test_a_chain_that_is_not_pem_certificates(self):
        malformed = (400, "Sender", "MalformedCertificate", BAD_CHAIN)
        for what, chain in (("text", "not a chain"),
                            ("a key", RSA_KEY),
                            ("bad base64", "-----BEGIN CERTIFICATE-----\nnot base64!\n"
                                           "-----END CERTIFICATE-----\n")):
            with self.subTest(what):
                self.assertRefused(self.iam.upload_server_certificate, malformed,
                                   ServerCertificateName="bad-chain", CertificateBody=RSA,
                                   PrivateKey=RSA_KEY, CertificateChain=chain)

    def test_a_key_of_another_certificate(self):
        mismatch = (400, "Sender", "KeyPairMismatch", MISMATCH)
        for what, body, key in (("EC key, RSA certificate", RSA, EC_KEY),
                                ("RSA key, EC certificate", EC, RSA_KEY),
                                ("another RSA key", RSA, EXPIRED_KEY)):
            with self.subTest(what):
                self.assertRefused(self.iam.upload_server_certificate, mismatch,
                                   ServerCertificateName="mismatch", CertificateBody=body,
                                   PrivateKey=key)

    def test_an_expired_certificate(self):
        self.assertRefused(self.iam.upload_server_certificate,
                           (400, "Sender", "MalformedCertificate", "The certificate has expired."),
                           ServerCertificateName="expired", CertificateBody=EXPIRED,
                           PrivateKey=EXPIRED_KEY)


class QuotaTest(ServerCertificateCase):
    def summary(self):
        m = self.iam.get_account_summary()["SummaryMap"]
        return m["ServerCertificates"], m["ServerCertificatesQuota"]

    def test_twenty_certificates_per_account(self):
        self.assertEqual(self.summary(), (0, 20))
        for i in range(20):
            self.upload("cert-%02d" % i)  # the same certificate under twenty names
        self.assertEqual(self.summary(), (20, 20))
        self.assertRefused(self.iam.upload_server_certificate,
                           (409, "Sender", "LimitExceeded",
                            "Cannot exceed quota for ServerCertificatesPerAccount: 20"),
                           ServerCertificateName="one-too-many", CertificateBody=EC,
                           PrivateKey=EC_KEY)
        self.assertEqual(self.summary(), (20, 20))
        self.iam.delete_server_certificate(ServerCertificateName="cert-07")
        self.assertEqual(self.summary(), (19, 20))
        self.upload("one-more")
        self.assertEqual(self.summary(), (20, 20))


class NormalisationAndListTest(ServerCertificateCase):
    def test_crlf_and_trailing_white_space(self):
        crlf = lambda text: text.replace("\n", "\r\n") + "\n\n  "
        self.upload("crlf", body=crlf(RSA), key=crlf(RSA_KEY),
                    CertificateChain=crlf(CHAIN_1 + CHAIN_2))
        got = self.got("crlf")
        self.assertEqual(got["CertificateBody"], RSA.rstrip("\n"))
        self.assertEqual(got["CertificateChain"], (CHAIN_1 + CHAIN_2).rstrip("\n"))
        self.assertNotIn("\r", got["CertificateBody"] + got["CertificateChain"])

    def test_list_sorted_by_name_with_path_prefix_and_pages(self):
        uploads = {}
        for name, path in (("delta", "/a/"), ("alpha", "/"), ("echo", "/a/b/"),
                           ("charlie", "/b/"), ("bravo", "/a/")):
            uploads[name] = self.upload(name, Path=path)["ServerCertificateMetadata"]
        names = lambda metas: [m["ServerCertificateName"] for m in metas]
        everything = self.iam.list_server_certificates()
        self.assertFalse(everything["IsTruncated"])
        self.assertNotIn("Marker", everything)
        self.assertEqual(everything["ServerCertificateMetadataList"],
                         [uploads[n] for n in ("alpha", "bravo", "charlie", "delta", "echo")])
        self.assertEqual(names(self.listed(PathPrefix="/a/")), ["bravo", "delta", "echo"])
        self.assertEqual(names(self.listed(PathPrefix="/a/b/")), ["echo"])
        self.assertEqual(names(self.listed(PathPrefix="/")), sorted(uploads))
        self.assertEqual(self.listed(PathPrefix="/c/"), [])

        seen, marker, pages = [], None, 0
        while True:
            kwargs = {"MaxItems": 2}
            if marker:
                kwargs["Marker"] = marker
            page = self.iam.list_server_certificates(**kwargs)
            pages += 1
            self.assertLessEqual(len(page["ServerCertificateMetadataList"]), 2)
            seen += page["ServerCertificateMetadataList"]
            if not page["IsTruncated"]:
                self.assertNotIn("Marker", page)
                break
            marker = page["Marker"]
        self.assertEqual(pages, 3)
        self.assertEqual(seen, everything["ServerCertificateMetadataList"])
        first = self.iam.list_server_certificates(PathPrefix="/a/", MaxItems=1)
        self.assertEqual(names(first["ServerCertificateMetadataList"]), ["bravo"])
        self.assertTrue(first["IsTruncated"])
        rest = self.iam.list_server_certificates(PathPrefix="/a/", Marker=first["Marker"])
        self.assertEqual(names(rest["ServerCertificateMetadataList"]), ["delta", "echo"])

    def test_unknown_name(self):
        self.upload("present", Tags=[{"Key": "k", "Value": "v"}])  # must stay as it is
        for call, kwargs in ((self.iam.get_server_certificate, {}),
                             (self.iam.update_server_certificate,
                              {"NewServerCertificateName": "renamed"}),
                             (self.iam.update_server_certificate, {"NewPath": "/moved/"}),
                             (self.iam.delete_server_certificate, {}),
                             (self.iam.tag_server_certificate,
                              {"Tags": [{"Key": "x", "Value": "y"}]}),
                             (self.iam.untag_server_certificate, {"TagKeys": ["k"]}),
                             (self.iam.list_server_certificate_tags, {})):
            with self.subTest(call.__name__, **kwargs):
                self.assertRefused(call, not_found("missing"), ServerCertificateName="missing",
                                   **kwargs)


class UpdateDeleteTest(ServerCertificateCase):
    def test_rename_and_move_keep_the_id_and_the_upload_date(self):
        tags = [{"Key": "team", "Value": "web"}]
        first = self.upload("web", CertificateChain=CHAIN_1, Tags=tags)
        meta = first["ServerCertificateMetadata"]
        self.assertIsNone(self.iam_cli("update-server-certificate", "--server-certificate-name",
                                       "web", "--new-server-certificate-name", "site",
                                       "--new-path", "/cloudfront/"))
        moved = dict(meta, ServerCertificateName="site", Path="/cloudfront/",
                     Arn=cert_arn("site", "/cloudfront/"))
        self.assertEqual(self.got("site"), {"ServerCertificateMetadata": moved,
                                            "CertificateBody": RSA.rstrip("\n"),
                                            "CertificateChain": CHAIN_1.rstrip("\n"),
                                            "Tags": tags})
        self.assertEqual(self.listed(), [moved])
        self.assertEqual(fx.error_of(self.iam.get_server_certificate,
                                     ServerCertificateName="web"), not_found("web"))

        # The path alone, then the name alone.
        self.iam.update_server_certificate(ServerCertificateName="site", NewPath="/elb/")
        moved = dict(moved, Path="/elb/", Arn=cert_arn("site", "/elb/"))
        self.assertEqual(self.listed(), [moved])
        self.iam.update_server_certificate(ServerCertificateName="site",
                                           NewServerCertificateName="www")
        moved = dict(moved, ServerCertificateName="www", Arn=cert_arn("www", "/elb/"))
        self.assertEqual(self.listed(), [moved])
        self.assertEqual(self.iam.list_server_certificate_tags(ServerCertificateName="www")["Tags"],
                         tags)

        # Another case of its own name is not a clash.
        self.iam.update_server_certificate(ServerCertificateName="www",
                                           NewServerCertificateName="WWW")
        moved = dict(moved, ServerCertificateName="WWW", Arn=cert_arn("WWW", "/elb/"))
        self.assertEqual(self.listed(), [moved])
        self.assertEqual(self.got("WWW")["ServerCertificateMetadata"], moved)

    def test_renaming_onto_another_certificate_is_refused(self):
        self.upload("web")
        self.upload("other", body=EC, key=EC_KEY)
        for new_name in ("other", "OTHER"):
            with self.subTest(new_name):
                self.assertRefused(self.iam.update_server_certificate, already_exists(new_name),
                                   ServerCertificateName="web", NewServerCertificateName=new_name)
                self.assertRefused(self.iam.update_server_certificate, already_exists(new_name),
                                   ServerCertificateName="web", NewServerCertificateName=new_name,
                                   NewPath="/moved/")

    def test_delete_and_delete_again(self):
        self.upload("web")
        self.upload("stays")
        self.assertIsNone(self.iam_cli("delete-server-certificate", "--server-certificate-name",
                                       "web"))
        self.assertEqual([m["ServerCertificateName"] for m in self.listed()], ["stays"])
        self.assertRefused(self.iam.delete_server_certificate, not_found("web"),
                           ServerCertificateName="web")
        self.assertEqual(fx.error_of(self.iam.get_server_certificate,
                                     ServerCertificateName="web"), not_found("web"))
        # The name is free again.
        self.upload("web", body=EC, key=EC_KEY)
        self.assertEqual(self.got("web")["ServerCertificateMetadata"]["Expiration"],
                         EC_EXPIRATION)


class TagTest(ServerCertificateCase):
    def tags(self, name, **kwargs):
        return self.iam.list_server_certificate_tags(ServerCertificateName=name, **kwargs)

    def test_tag_untag_list(self):
        self.upload("tagged", Tags=[{"Key": "team", "Value": "ci"}])
        self.assertIsNone(self.iam_cli("tag-server-certificate", "--server-certificate-name",
                                       "tagged", "--tags", "Key=b,Value=2", "Key=c,Value=3"))
        # Keys merge regardless of case; a re-tagged key keeps its place and spelling.
        self.iam.tag_server_certificate(ServerCertificateName="tagged",
                                        Tags=[{"Key": "TEAM", "Value": "platform"}])
        listed = self.tags("tagged")
        self.assertEqual(listed["Tags"], [{"Key": "team", "Value": "platform"},
                                          {"Key": "b", "Value": "2"}, {"Key": "c", "Value": "3"}])
        self.assertFalse(listed["IsTruncated"])
        page = self.tags("tagged", MaxItems=2)
        self.assertTrue(page["IsTruncated"])
        rest = self.tags("tagged", Marker=page["Marker"])
        self.assertEqual(page["Tags"] + rest["Tags"], listed["Tags"])

        self.assertIsNone(self.iam_cli("untag-server-certificate", "--server-certificate-name",
                                       "tagged", "--tag-keys", "B", "absent"))
        expected = [{"Key": "team", "Value": "platform"}, {"Key": "c", "Value": "3"}]
        self.assertEqual(self.iam_cli("list-server-certificate-tags",
                                      "--server-certificate-name", "tagged")["Tags"], expected)
        self.assertEqual(self.got("tagged")["Tags"], expected)
        self.assertNotIn("Tags", self.listed()[0])

    def test_fifty_tags_at_most(self):
        many = [{"Key": "k%02d" % i, "Value": "v"} for i in range(51)]
        # 51 in one request: the model's limit on the list (as for TagRole in test_errors.py).
        self.assertRefused(self.raw_iam.upload_server_certificate,
                           (400, "Sender", "ValidationError", TOO_MANY_TAGS_IN_REQUEST),
                           ServerCertificateName="too-many", CertificateBody=RSA,
                           PrivateKey=RSA_KEY, Tags=many)
        self.upload("full", Tags=many[:50])
        self.assertRefused(self.raw_iam.tag_server_certificate,
                           (400, "Sender", "ValidationError", TOO_MANY_TAGS_IN_REQUEST),
                           ServerCertificateName="full", Tags=many)
        # A 51st tag on a certificate that holds 50.
        self.assertRefused(self.iam.tag_server_certificate,
                           (409, "Sender", "LimitExceeded",
                            "Cannot exceed quota for TagsPerServerCertificate: 50"),
                           ServerCertificateName="full", Tags=[many[50]])
        # Re-tagging a key it has (in another case) is not a new tag.
        self.iam.tag_server_certificate(ServerCertificateName="full",
                                        Tags=[{"Key": "K00", "Value": "w"}])
        self.assertEqual(self.tags("full")["Tags"][0], {"Key": "k00", "Value": "w"})
        self.assertEqual(len(self.got("full")["Tags"]), 50)

    def test_duplicate_tag_keys(self):
        self.upload("dup")
        duplicate = (400, "Sender", "InvalidInput",
                     "Duplicate tag keys found. Please note that Tag keys are case insensitive.")
        tags = [{"Key": "env", "Value": "a"}, {"Key": "ENV", "Value": "b"}]
        self.assertRefused(self.iam.upload_server_certificate, duplicate,
                           ServerCertificateName="dup2", CertificateBody=RSA, PrivateKey=RSA_KEY,
                           Tags=tags)
        self.assertRefused(self.iam.tag_server_certificate, duplicate,
                           ServerCertificateName="dup", Tags=tags)


class RestartTest(ServerCertificateCase):
    def test_certificates_renames_and_tags_survive_a_restart(self):
        self.upload("web", CertificateChain=CHAIN_1 + CHAIN_2,
                    Tags=[{"Key": "team", "Value": "web"}])
        self.upload("ec", body=EC, key=EC_KEY, Path="/elb/")
        self.upload("gone")
        self.iam.update_server_certificate(ServerCertificateName="web",
                                           NewServerCertificateName="site",
                                           NewPath="/cloudfront/")
        self.iam.tag_server_certificate(ServerCertificateName="ec",
                                        Tags=[{"Key": "env", "Value": "prod"}])
        self.iam.untag_server_certificate(ServerCertificateName="site", TagKeys=["team"])
        self.iam.tag_server_certificate(ServerCertificateName="site",
                                        Tags=[{"Key": "owner", "Value": "ops"}])
        self.iam.delete_server_certificate(ServerCertificateName="gone")
        before = self.everything()
        self.assertEqual(sorted(before), ["ec", "site"])

        self.server.restart()
        type(self).iam = self.server.client()
        type(self).raw_iam = self.server.client(validate=False)

        self.assertEqual(self.everything(), before)
        self.assertEqual(self.got("site")["Tags"], [{"Key": "owner", "Value": "ops"}])
        self.assertEqual(self.got("site")["ServerCertificateMetadata"]["Arn"],
                         cert_arn("site", "/cloudfront/"))
        for name in ("web", "gone"):
            self.assertEqual(fx.error_of(self.iam.get_server_certificate,
                                         ServerCertificateName=name), not_found(name))
        self.assertEqual(self.iam.get_account_summary()["SummaryMap"]["ServerCertificates"], 2)
        # Still a working certificate: renamed again after the restart.
        self.iam.update_server_certificate(ServerCertificateName="site",
                                           NewServerCertificateName="web")
        self.assertEqual(self.got("web")["CertificateChain"], (CHAIN_1 + CHAIN_2).rstrip("\n"))


class EnforcementTest(ServerCertificateCase):
    def test_a_user_without_policies_cannot_upload(self):
        plain = fx.create_user_with_key(self.iam, "cert-plain")
        try:
            client = self.server.client(key_id=plain["key_id"], secret=plain["secret"])
            for name, path in (("denied-cert", None), ("denied-elb", "/elb/")):
                kwargs = {"Path": path} if path else {}
                with self.subTest(name):
                    self.assertRefused(
                        client.upload_server_certificate,
                        (403, "Sender", "AccessDenied",
                         fx.denied(plain["arn"], "iam:UploadServerCertificate",
                                   cert_arn(name, path or "/"))),
                        ServerCertificateName=name, CertificateBody=RSA, PrivateKey=RSA_KEY,
                        **kwargs)
            self.assertEqual(
                fx.denied(plain["arn"], "iam:UploadServerCertificate",
                          cert_arn("denied-cert")),
                "User: arn:aws:iam::123456789012:user/cert-plain is not authorized to perform: "
                "iam:UploadServerCertificate on resource: "
                "arn:aws:iam::123456789012:server-certificate/denied-cert because no "
                "identity-based policy allows the iam:UploadServerCertificate action")
            self.assertEqual(self.listed(), [])
        finally:
            fx.delete_user_with_key(self.iam, plain)

    def test_a_rename_needs_permission_on_the_new_name_too(self):
        def allow_on(*names):
            return fx.document(fx.allow("iam:UpdateServerCertificate",
                                        [cert_arn(n) for n in names]))

        user = fx.create_user_with_key(self.iam, "cert-renamer",
                                       inline=allow_on("web", "web3"))
        try:
            client = self.server.client(key_id=user["key_id"], secret=user["secret"])
            self.upload("web")
            self.upload("other")
            self.assertRefused(client.update_server_certificate,
                               (403, "Sender", "AccessDenied",
                                fx.denied(user["arn"], "iam:UpdateServerCertificate",
                                          cert_arn("web2"))),
                               ServerCertificateName="web", NewServerCertificateName="web2")
            # Moving it to another path is another ARN as well.
            self.assertRefused(client.update_server_certificate,
                               (403, "Sender", "AccessDenied",
                                fx.denied(user["arn"], "iam:UpdateServerCertificate",
                                          cert_arn("web", "/elb/"))),
                               ServerCertificateName="web", NewPath="/elb/")
            # Permission on the new name (web3) only is not enough either. The certificate
            # named in the request is shown as "server-certificate NAME", the form iamd uses
            # for every named entity ("role NAME", "user NAME"; authz.cc DisplayName).
            self.assertRefused(client.update_server_certificate,
                               (403, "Sender", "AccessDenied",
                                fx.denied(user["arn"], "iam:UpdateServerCertificate",
                                          "server-certificate other")),
                               ServerCertificateName="other", NewServerCertificateName="web3")

            self.iam.put_user_policy(UserName="cert-renamer", PolicyName="inline",
                                     PolicyDocument=allow_on("web", "web2"))
            client.update_server_certificate(ServerCertificateName="web",
                                             NewServerCertificateName="web2")
            self.assertEqual(sorted(m["ServerCertificateName"] for m in self.listed()),
                             ["other", "web2"])
            self.assertEqual(self.got("web2")["ServerCertificateMetadata"]["Arn"],
                             cert_arn("web2"))
        finally:
            fx.delete_user_with_key(self.iam, user)


if __name__ == "__main__":
    unittest.main()
