"""Users' SSH public keys (Upload/Get/List/Update/DeleteSSHPublicKey), driven with AWS CLI v2 and
boto3.

AWS's behaviour comes from LocalStack's AWS-validated snapshot
(localstack/localstack tests/aws/services/iam/test_iam_ssh_public_keys.snapshot.json, recorded
against AWS in February 2026): the shapes of the key when uploaded, got and listed, Active after
upload, "The Public Key with id X cannot be found." for Get/Update/Delete; from the AWS CLI
reference (APKA IDs, MD5 fingerprints, SSH and PEM encodings) and the IAM API reference (RSA
keys of at least 2048 bits, in ssh-rsa or PEM format). The keys, their PEM forms and their
fingerprints were made with OpenSSH's ssh-keygen (src/auth/testdata/ssh). Every refusal must
change nothing.
"""

import os
import re
import unittest

import iamd_fixture as fx

KEY_DIR = os.path.join(fx.SOURCE_DIR, "src", "auth", "testdata", "ssh")


def key_file(name):
    return os.path.join(KEY_DIR, name)


def read(name):
    with open(key_file(name)) as f:
        return f.read()


FINGERPRINT = read("rsa-2048-1.md5").strip()
MISSING = "APKAXXXXXXXXXXXXXXXXX"


class SshKeyCase(fx.ServerTestCase):
    maxDiff = None

    def listed(self, user):
        return self.iam.list_ssh_public_keys(UserName=user)["SSHPublicKeys"]


class LifecycleTest(SshKeyCase):
    def test_upload_get_list_update_delete_with_the_cli(self):
        self.iam.create_user(UserName="ssh-user")
        self.assertEqual(self.iam_cli("list-ssh-public-keys", "--user-name", "ssh-user"),
                         {"SSHPublicKeys": []})
        uploaded = self.iam_cli("upload-ssh-public-key", "--user-name", "ssh-user",
                            "--ssh-public-key-body", "file://" + key_file("rsa-2048-1.pub"))
        key = uploaded["SSHPublicKey"]
        self.assertRegex(key["SSHPublicKeyId"], r"^APKA[A-Z2-7]{17}$")
        self.assertEqual({k: key[k] for k in ("UserName", "Fingerprint", "SSHPublicKeyBody",
                                              "Status")},
                         {"UserName": "ssh-user", "Fingerprint": FINGERPRINT,
                          "SSHPublicKeyBody": read("rsa-2048-1.pub"), "Status": "Active"})
        key_id = key["SSHPublicKeyId"]
        got = self.iam_cli("get-ssh-public-key", "--user-name", "ssh-user", "--ssh-public-key-id",
                       key_id, "--encoding", "SSH")
        self.assertEqual(got, uploaded)  # the body as uploaded
        pem = self.iam_cli("get-ssh-public-key", "--user-name", "ssh-user", "--ssh-public-key-id",
                       key_id, "--encoding", "PEM")["SSHPublicKey"]
        self.assertEqual(pem, dict(key, SSHPublicKeyBody=read("rsa-2048-1.spki.pem")))
        self.assertEqual(self.iam_cli("list-ssh-public-keys", "--user-name", "ssh-user"),
                         {"SSHPublicKeys": [{k: key[k] for k in (
                             "UserName", "SSHPublicKeyId", "Status", "UploadDate")}]})
        self.assertIsNone(self.iam_cli("update-ssh-public-key", "--user-name", "ssh-user",
                                   "--ssh-public-key-id", key_id, "--status", "Inactive"))
        self.assertEqual(self.iam.get_ssh_public_key(UserName="ssh-user", SSHPublicKeyId=key_id,
                                                     Encoding="SSH")["SSHPublicKey"]["Status"],
                         "Inactive")
        self.assertIsNone(self.iam_cli("delete-ssh-public-key", "--user-name", "ssh-user",
                                   "--ssh-public-key-id", key_id))
        self.assertEqual(self.listed("ssh-user"), [])
        self.iam.delete_user(UserName="ssh-user")

    def test_a_pem_key_comes_back_in_both_encodings(self):
        self.iam.create_user(UserName="ssh-pem")
        try:
            for name in ("rsa-2048-1.pkcs1.pem", "rsa-2048-1.spki.pem"):
                with self.subTest(name):
                    key = self.iam.upload_ssh_public_key(
                        UserName="ssh-pem", SSHPublicKeyBody=read(name))["SSHPublicKey"]
                    self.assertEqual(key["Fingerprint"], FINGERPRINT)
                    get = lambda encoding: self.iam.get_ssh_public_key(  # noqa: E731
                        UserName="ssh-pem", SSHPublicKeyId=key["SSHPublicKeyId"],
                        Encoding=encoding)["SSHPublicKey"]["SSHPublicKeyBody"]
                    # OpenSSH's line without its comment, and the SubjectPublicKeyInfo.
                    self.assertEqual(get("SSH"), " ".join(read("rsa-2048-1.pub").split()[:2]))
                    self.assertEqual(get("PEM"), read("rsa-2048-1.spki.pem"))
                    self.iam.delete_ssh_public_key(UserName="ssh-pem",
                                                   SSHPublicKeyId=key["SSHPublicKeyId"])
        finally:
            self.iam.delete_user(UserName="ssh-pem")


class ErrorTest(SshKeyCase):
    def test_refusals_change_nothing(self):
        self.iam.create_user(UserName="ssh-errors")
        for call, kwargs in ((self.iam.get_ssh_public_key, {"Encoding": "SSH"}),
                             (self.iam.update_ssh_public_key, {"Status": "Inactive"}),
                             (self.iam.delete_ssh_public_key, {})):
            with self.subTest(call.__name__):
                self.assertEqual(fx.error_of(call, UserName="ssh-errors", SSHPublicKeyId=MISSING,
                                             **kwargs),
                                 (404, "Sender", "NoSuchEntity",
                                  "The Public Key with id %s cannot be found." % MISSING))
        self.assertEqual(
            fx.error_of(self.iam.upload_ssh_public_key, UserName="no-such-user",
                        SSHPublicKeyBody=read("rsa-2048-1.pub")),
            (404, "Sender", "NoSuchEntity", "The user with name no-such-user cannot be found."))
        for body, code in ((read("rsa-1024.pub"), "InvalidPublicKey"),
                           (read("ed25519.pub"), "InvalidPublicKey"),
                           ("ssh-rsa AAAAnotakey", "InvalidPublicKey"),
                           ("just some text", "UnrecognizedPublicKeyEncoding")):
            with self.subTest(code=code, body=body[:20]):
                self.assertEqual(fx.error_of(self.iam.upload_ssh_public_key,
                                             UserName="ssh-errors", SSHPublicKeyBody=body)[:3],
                                 (400, "Sender", code))
        self.assertEqual(self.listed("ssh-errors"), [])

        ids = [self.iam.upload_ssh_public_key(
            UserName="ssh-errors", SSHPublicKeyBody=read("rsa-2048-%d.pub" % i))[
                "SSHPublicKey"]["SSHPublicKeyId"] for i in range(1, 6)]
        self.assertEqual(fx.error_of(self.iam.upload_ssh_public_key, UserName="ssh-errors",
                                     SSHPublicKeyBody=read("rsa-2048-6.pub"))[:3],
                         (409, "Sender", "LimitExceeded"))
        # The same key again (in another encoding too) is a duplicate.
        self.iam.delete_ssh_public_key(UserName="ssh-errors", SSHPublicKeyId=ids.pop())
        self.assertEqual(fx.error_of(self.iam.upload_ssh_public_key, UserName="ssh-errors",
                                     SSHPublicKeyBody=read("rsa-2048-1.spki.pem"))[:3],
                         (400, "Sender", "DuplicateSSHPublicKey"))
        self.assertEqual(sorted(k["SSHPublicKeyId"] for k in self.listed("ssh-errors")),
                         sorted(ids))
        self.assertEqual(fx.error_of(self.iam.delete_user, UserName="ssh-errors"),
                         (409, "Sender", "DeleteConflict",
                          "Cannot delete entity, must delete SSH public keys first."))


class DurabilityTest(SshKeyCase):
    def test_keys_survive_a_restart(self):
        self.iam.create_user(UserName="ssh-durable")
        first = self.iam.upload_ssh_public_key(UserName="ssh-durable",
                                               SSHPublicKeyBody=read("rsa-2048-1.pub"))
        self.iam.update_ssh_public_key(UserName="ssh-durable",
                                       SSHPublicKeyId=first["SSHPublicKey"]["SSHPublicKeyId"],
                                       Status="Inactive")
        second = self.iam.upload_ssh_public_key(UserName="ssh-durable",
                                                SSHPublicKeyBody=read("rsa-2048-2.pub"))
        self.server.restart()
        type(self).iam = self.server.client()
        self.assertEqual([(k["SSHPublicKeyId"], k["Status"]) for k in self.listed("ssh-durable")],
                         [(first["SSHPublicKey"]["SSHPublicKeyId"], "Inactive"),
                          (second["SSHPublicKey"]["SSHPublicKeyId"], "Active")])
        got = self.iam.get_ssh_public_key(UserName="ssh-durable",
                                          SSHPublicKeyId=second["SSHPublicKey"]["SSHPublicKeyId"],
                                          Encoding="SSH")["SSHPublicKey"]
        self.assertEqual(got["SSHPublicKeyBody"], read("rsa-2048-2.pub"))
        self.assertTrue(re.fullmatch(r"([0-9a-f]{2}:){15}[0-9a-f]{2}", got["Fingerprint"]))


class EnforcementTest(SshKeyCase):
    def test_a_user_without_permission_is_refused_and_nothing_changes(self):
        plain = fx.create_user_with_key(self.iam, "ssh-plain")
        try:
            client = self.server.client(key_id=plain["key_id"], secret=plain["secret"])
            self.assertEqual(
                fx.error_of(client.upload_ssh_public_key, UserName="ssh-plain",
                            SSHPublicKeyBody=read("rsa-2048-1.pub")),
                (403, "Sender", "AccessDenied",
                 fx.denied(plain["arn"], "iam:UploadSSHPublicKey", "user ssh-plain")))
            self.assertEqual(self.listed("ssh-plain"), [])
        finally:
            self.iam.delete_access_key(UserName="ssh-plain", AccessKeyId=plain["key_id"])
            self.iam.delete_user(UserName="ssh-plain")


if __name__ == "__main__":
    unittest.main()
