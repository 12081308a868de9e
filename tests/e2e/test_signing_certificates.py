"""Users' signing certificates (Upload/List/Update/DeleteSigningCertificate), driven with AWS CLI
v2 and boto3, and their columns in the credential report.

AWS's behaviour and messages come from LocalStack's AWS-validated snapshot
(localstack/localstack tests/aws/services/iam/test_iam_signing_certificates.snapshot.json,
recorded against AWS in February and March 2026): the lifecycle, NoSuchEntity for a missing user
on every operation, "Certificate <body> is malformed.", "The Certificate with id X cannot be
found.", "Cannot exceed quota for CertificatesPerUser: 2". The certificates are self-signed test
certificates (src/auth/testdata/certificates). Every refusal must change nothing.
"""

import csv
import io
import json
import os
import re
import unittest

import iamd_fixture as fx

CERT_DIR = os.path.join(fx.SOURCE_DIR, "src", "auth", "testdata", "certificates")
CERTS = [os.path.join(CERT_DIR, "self-signed-%d.pem" % n) for n in (1, 2, 3)]


def read(path):
    with open(path) as f:
        return f.read()


def nobody(message_user="nonexistent-user"):
    return (404, "Sender", "NoSuchEntity",
            "The user with name %s cannot be found." % message_user)


def no_certificate(cert_id):
    return (404, "Sender", "NoSuchEntity", "The Certificate with id %s cannot be found." % cert_id)


class CertificateCase(fx.ServerTestCase):
    maxDiff = None

    def listed(self, user):
        return self.iam.list_signing_certificates(UserName=user)["Certificates"]


class LifecycleTest(CertificateCase):
    def test_the_recorded_lifecycle_with_the_cli(self):
        self.iam.create_user(UserName="cert-user")
        uploaded = self.iam_cli("upload-signing-certificate", "--user-name", "cert-user",
                            "--certificate-body", "file://" + CERTS[0])["Certificate"]
        cert_id = uploaded["CertificateId"]
        self.assertRegex(cert_id, r"^[A-Z2-7]{28}$")
        self.assertEqual({k: uploaded[k] for k in ("UserName", "CertificateBody", "Status")},
                         {"UserName": "cert-user", "CertificateBody": read(CERTS[0]),
                          "Status": "Active"})
        self.assertTrue(re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", uploaded["UploadDate"]))
        self.assertEqual(self.iam_cli("list-signing-certificates", "--user-name", "cert-user"),
                         {"Certificates": [uploaded]})  # the CLI drops IsTruncated
        for status in ("Inactive", "Active"):
            self.assertIsNone(self.iam_cli("update-signing-certificate", "--user-name", "cert-user",
                                       "--certificate-id", cert_id, "--status", status))
            self.assertEqual(self.iam_cli("list-signing-certificates", "--user-name",
                                      "cert-user")["Certificates"],
                             [dict(uploaded, Status=status)])
        self.assertIsNone(self.iam_cli("delete-signing-certificate", "--user-name", "cert-user",
                                   "--certificate-id", cert_id))
        self.assertEqual(self.iam_cli("list-signing-certificates", "--user-name", "cert-user"),
                         {"Certificates": []})
        self.iam.delete_user(UserName="cert-user")


class ErrorTest(CertificateCase):
    def test_the_recorded_errors_change_nothing(self):
        self.iam.create_user(UserName="cert-errors")
        body = read(CERTS[0])
        self.assertEqual(fx.error_of(self.iam.upload_signing_certificate,
                                     UserName="nonexistent-user", CertificateBody=body),
                         nobody())
        self.assertEqual(fx.error_of(self.iam.list_signing_certificates,
                                     UserName="nonexistent-user"), nobody())
        for call, kwargs in ((self.iam.delete_signing_certificate, {}),
                             (self.iam.update_signing_certificate, {"Status": "Inactive"})):
            self.assertEqual(fx.error_of(call, UserName="nonexistent-user",
                                         CertificateId="NONEXISTENTCERTID12345678901", **kwargs),
                             nobody())
            self.assertEqual(fx.error_of(call, UserName="cert-errors",
                                         CertificateId="NONEXISTENTCERTID12345678901", **kwargs),
                             no_certificate("NONEXISTENTCERTID12345678901"))
        self.assertEqual(fx.error_of(self.iam.upload_signing_certificate, UserName="cert-errors",
                                     CertificateBody="invalid-certificate-body"),
                         (400, "Sender", "MalformedCertificate",
                          "Certificate invalid-certificate-body is malformed."))
        self.assertEqual(self.listed("cert-errors"), [])

        first = self.iam.upload_signing_certificate(UserName="cert-errors",
                                                    CertificateBody=body)["Certificate"]
        second = self.iam.upload_signing_certificate(UserName="cert-errors",
                                                     CertificateBody=read(CERTS[1]))["Certificate"]
        self.assertEqual(fx.error_of(self.iam.upload_signing_certificate, UserName="cert-errors",
                                     CertificateBody=read(CERTS[2])),
                         (409, "Sender", "LimitExceeded",
                          "Cannot exceed quota for CertificatesPerUser: 2"))
        self.assertEqual(sorted(c["CertificateId"] for c in self.listed("cert-errors")),
                         sorted([first["CertificateId"], second["CertificateId"]]))

        # The same certificate for another user of the account, and a user who still has some.
        self.iam.create_user(UserName="cert-other")
        status, kind, code, _ = fx.error_of(self.iam.upload_signing_certificate,
                                            UserName="cert-other", CertificateBody=body)
        self.assertEqual((status, kind, code), (409, "Sender", "DuplicateCertificate"))
        self.assertEqual(self.listed("cert-other"), [])
        self.assertEqual(fx.error_of(self.iam.delete_user, UserName="cert-errors"),
                         (409, "Sender", "DeleteConflict",
                          "Cannot delete entity, must delete signing certificates first."))
        # Another user's certificate is not found under this user.
        self.assertEqual(fx.error_of(self.iam.delete_signing_certificate, UserName="cert-other",
                                     CertificateId=first["CertificateId"]),
                         no_certificate(first["CertificateId"]))
        self.assertEqual(len(self.listed("cert-errors")), 2)


class DurabilityAndReportTest(CertificateCase):
    def test_certificates_survive_a_restart_and_show_in_the_credential_report(self):
        self.iam.create_user(UserName="cert-durable")
        first = self.iam.upload_signing_certificate(UserName="cert-durable",
                                                    CertificateBody=read(CERTS[0]))["Certificate"]
        self.iam.update_signing_certificate(UserName="cert-durable",
                                            CertificateId=first["CertificateId"],
                                            Status="Inactive")
        second = self.iam.upload_signing_certificate(UserName="cert-durable",
                                                     CertificateBody=read(CERTS[1]))["Certificate"]
        self.server.restart()
        type(self).iam = self.server.client()
        listed = self.listed("cert-durable")
        self.assertEqual([(c["CertificateId"], c["Status"], c["CertificateBody"]) for c in listed],
                         [(first["CertificateId"], "Inactive", read(CERTS[0])),
                          (second["CertificateId"], "Active", read(CERTS[1]))])
        self.iam.generate_credential_report()
        content = self.iam.get_credential_report()["Content"].decode("utf-8")
        row = next(r for r in csv.DictReader(io.StringIO(content)) if r["user"] == "cert-durable")
        self.assertEqual((row["cert_1_active"], row["cert_2_active"]), ("false", "true"))
        for column, cert in (("cert_1_last_rotated", first), ("cert_2_last_rotated", second)):
            self.assertEqual(row[column], cert["UploadDate"].isoformat())  # ...T..+00:00


class EnforcementTest(CertificateCase):
    def test_a_user_manages_their_own_certificates_only_when_allowed(self):
        own = {"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow",
            "Action": ["iam:UploadSigningCertificate", "iam:ListSigningCertificates"],
            "Resource": "arn:aws:iam::%s:user/${aws:username}" % fx.ACCOUNT_ID}]}
        user = fx.create_user_with_key(self.iam, "cert-self", inline=json.dumps(own))
        plain = fx.create_user_with_key(self.iam, "cert-plain")
        try:
            me = self.server.client(key_id=user["key_id"], secret=user["secret"])
            # Without UserName: the calling user.
            cert = me.upload_signing_certificate(CertificateBody=read(CERTS[0]))["Certificate"]
            self.assertEqual(cert["UserName"], "cert-self")
            self.assertEqual([c["CertificateId"] for c in me.list_signing_certificates()[
                "Certificates"]], [cert["CertificateId"]])
            # Another user's: refused, and nothing changes.
            self.assertEqual(
                fx.error_of(me.upload_signing_certificate, UserName="cert-plain",
                            CertificateBody=read(CERTS[1]))[:3],
                (403, "Sender", "AccessDenied"))
            self.assertEqual(self.listed("cert-plain"), [])
            other = self.server.client(key_id=plain["key_id"], secret=plain["secret"])
            self.assertEqual(
                fx.error_of(other.list_signing_certificates),
                (403, "Sender", "AccessDenied",
                 fx.denied(plain["arn"], "iam:ListSigningCertificates", "user cert-plain")))
            self.iam.delete_signing_certificate(UserName="cert-self",
                                                CertificateId=cert["CertificateId"])
        finally:
            for u in (user, plain):
                self.iam.delete_access_key(UserName=u["name"], AccessKeyId=u["key_id"])
            self.iam.delete_user_policy(UserName="cert-self", PolicyName="inline")
            self.iam.delete_user(UserName="cert-self")
            self.iam.delete_user(UserName="cert-plain")


if __name__ == "__main__":
    unittest.main()
