"""Virtual MFA devices (Create/List/Delete VirtualMFADevice, Enable/Deactivate/Resync MFADevice,
ListMFADevices, their tags) and MFA in STS (GetSessionToken and AssumeRole with SerialNumber and
TokenCode, aws:MultiFactorAuthPresent and aws:MultiFactorAuthAge), driven with AWS CLI v2 and
boto3.

The one-time codes are computed here with the standard library only (RFC 6238: HMAC-SHA1 over
the 30-second step, dynamic truncation, six digits) from the Base32StringSeed the server hands out
at creation. EnableMFADevice takes the codes of the previous and the current step, both computed
from one reading of the clock; a code is good once (also in STS), so the same pair cannot enable a
device again and STS tests use devices enabled with the codes of the two steps before theirs.
Messages: AWS's, as LocalStack's AWS-validated snapshot test_iam_mfa recorded them (NoSuchEntity,
EntityAlreadyExists), the console's InvalidAuthenticationCode, STS's two MultiFactorAuthentication
refusals (the two spaces included), and iamd's own where AWS's is not known (DeleteConflict for an
enabled device, ValidationError for a TokenCode without a SerialNumber). Every refusal must change
nothing. No test waits for the clock: iamd accepts codes up to two steps either side of its own.
"""

import base64
import csv
import datetime
import hashlib
import hmac
import io
import json
import os
import struct
import time
import unittest

import iamd_fixture as fx

ACCT = fx.ACCOUNT_ID
STEP_SECONDS = 30
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
CODES_REJECTED = (403, "Sender", "InvalidAuthenticationCode",
                  "Authentication code for device is not valid.")
BAD_PASS_CODE = (403, "Sender", "AccessDenied",
                 "MultiFactorAuthentication failed with invalid MFA one time pass code.")
BAD_SERIAL = (403, "Sender", "AccessDenied",
              "MultiFactorAuthentication failed, unable to validate MFA code.  Please verify "
              "your MFA serial number is valid and associated with this user.")
# IAM's answer to GetSessionToken credentials obtained without MFA (recorded in
# aws/aws-cli#8918: no final period, unlike the unknown-key message).
SESSION_TOKEN_REFUSED = (403, "Sender", "InvalidClientTokenId",
                         "The security token included in the request is invalid")
MFA_PRESENT = {"Bool": {"aws:MultiFactorAuthPresent": "true"}}
ROOT_PRINCIPAL = {"AWS": "arn:aws:iam::%s:root" % ACCT}


# ---- RFC 6238 ------------------------------------------------------------------------------

def totp(seed_text, step):
    """The six-digit code of the base32 seed at a 30-second step."""
    mac = hmac.new(base64.b32decode(seed_text), struct.pack(">Q", step), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    number = (struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF) % 1000000
    return "%06d" % number


def current_step():
    return int(time.time()) // STEP_SECONDS


def code_pair(seed_text):
    """(step, code of step-1, code of step) from one reading of the clock."""
    step = current_step()
    return step, totp(seed_text, step - 1), totp(seed_text, step)


def current_code(seed_text):
    return totp(seed_text, current_step())


def wrong_code(seed_text):
    """Six digits that are the seed's code at no step within an hour of now."""
    step = current_step()
    good = {totp(seed_text, s) for s in range(step - 120, step + 121)}
    candidate = 0
    while "%06d" % candidate in good:
        candidate += 1
    return "%06d" % candidate


def new_device(iam, name):
    """CreateVirtualMFADevice: (serial number, base32 seed text)."""
    device = iam.create_virtual_mfa_device(VirtualMFADeviceName=name)["VirtualMFADevice"]
    return device["SerialNumber"], device["Base32StringSeed"].decode("ascii")


def enable_now(iam, user, serial_number, seed_text):
    """EnableMFADevice with the codes of the previous and current steps: (step, code1, code2)."""
    step, code1, code2 = code_pair(seed_text)
    iam.enable_mfa_device(UserName=user, SerialNumber=serial_number,
                          AuthenticationCode1=code1, AuthenticationCode2=code2)
    return step, code1, code2


def ready_device(iam, user, name):
    """A new device enabled for `user` with the codes of the two steps before this one, so that
    the codes of this step and the next stay unused for STS (a code is good once): returns
    (serial number, seed text, [code of this step, code of the next])."""
    if STEP_SECONDS - time.time() % STEP_SECONDS < 2:  # not across a step's end
        time.sleep(STEP_SECONDS - time.time() % STEP_SECONDS + 0.1)
    serial_number, seed_text = new_device(iam, name)
    step = current_step()
    iam.enable_mfa_device(UserName=user, SerialNumber=serial_number,
                          AuthenticationCode1=totp(seed_text, step - 2),
                          AuthenticationCode2=totp(seed_text, step - 1))
    return serial_number, seed_text, [totp(seed_text, step), totp(seed_text, step + 1)]


def serial(name, path="/"):
    return "arn:aws:iam::%s:mfa%s%s" % (ACCT, path, name)


def no_device(serial_number):
    return (404, "Sender", "NoSuchEntity",
            "MFA Device with serial number %s does not exist." % serial_number)


def no_user(name):
    return (404, "Sender", "NoSuchEntity", "The user with name %s cannot be found." % name)


def near_now(test, when, before, after):
    """`when` (an aware datetime from boto3) lies in [before, after], to the second."""
    when = when.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    test.assertGreaterEqual(when, before.replace(microsecond=0))
    test.assertLessEqual(when, after + datetime.timedelta(seconds=1))


class MfaCase(fx.ServerTestCase):
    maxDiff = None

    def create_device(self, name, **kwargs):
        """CreateVirtualMFADevice with boto3: (serial number, base32 seed text, response)."""
        device = self.iam.create_virtual_mfa_device(VirtualMFADeviceName=name, **kwargs)[
            "VirtualMFADevice"]
        return device["SerialNumber"], device["Base32StringSeed"].decode("ascii"), device

    def enable(self, user, serial_number, seed_text):
        """Enables with the previous and current codes; returns (step, code1, code2)."""
        return enable_now(self.iam, user, serial_number, seed_text)

    def virtual(self, status=None):
        kwargs = {} if status is None else {"AssignmentStatus": status}
        out = self.iam.list_virtual_mfa_devices(**kwargs)
        self.assertFalse(out["IsTruncated"])
        return out["VirtualMFADevices"]

    def serials(self, status=None):
        return [d["SerialNumber"] for d in self.virtual(status)]

    def user_devices(self, user):
        return self.iam.list_mfa_devices(UserName=user)["MFADevices"]

    def tags(self, serial_number):
        return self.iam.list_mfa_device_tags(SerialNumber=serial_number)["Tags"]

    def restart(self):
        """SIGTERM and start again on the same data (a new port: new clients)."""
        self.server.restart()
        type(self).iam = self.server.client()
        type(self).raw_iam = self.server.client(validate=False)

    def sts(self, who=None, token=None, key_id=None, secret=None):
        if who is not None:
            key_id, secret = who["key_id"], who["secret"]
        return self.server.client("sts", key_id=key_id or fx.ROOT_KEY_ID,
                                  secret=secret or fx.ROOT_SECRET, token=token)

    def session_iam(self, creds):
        return self.server.client(key_id=creds["AccessKeyId"], secret=creds["SecretAccessKey"],
                                  token=creds["SessionToken"])


class CreateTest(MfaCase):
    def test_the_cli_writes_the_seed_or_the_qr_code_to_the_outfile(self):
        seed_file = os.path.join(self.server.tmp, "seed.txt")
        out = self.server.run_cli(fx.AWS_CLI_V2, "iam", "create-virtual-mfa-device",
                                  "--virtual-mfa-device-name", "cli-seed", "--outfile", seed_file,
                                  "--bootstrap-method", "Base32StringSeed", "--output", "json")
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(json.loads(out.stdout),
                         {"VirtualMFADevice": {"SerialNumber": serial("cli-seed")}})
        with open(seed_file, "rb") as f:
            seed_text = f.read().decode("ascii")
        self.assertRegex(seed_text, r"^[A-Z2-7]{64}$")
        self.assertEqual(len(base64.b32decode(seed_text)), 40)

        png_file = os.path.join(self.server.tmp, "qr.png")
        out = self.server.run_cli(fx.AWS_CLI_V2, "iam", "create-virtual-mfa-device",
                                  "--virtual-mfa-device-name", "cli-qr", "--path", "/p/",
                                  "--outfile", png_file, "--bootstrap-method", "QRCodePNG",
                                  "--output", "json")
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(json.loads(out.stdout),
                         {"VirtualMFADevice": {"SerialNumber": serial("cli-qr", "/p/")}})
        with open(png_file, "rb") as f:
            self.assertTrue(f.read().startswith(PNG_SIGNATURE))

        listed = self.iam_cli("list-virtual-mfa-devices")["VirtualMFADevices"]
        self.assertEqual(sorted(listed, key=lambda d: d["SerialNumber"]),
                         [{"SerialNumber": serial("cli-seed")},
                          {"SerialNumber": serial("cli-qr", "/p/")}])
        for s in (serial("cli-seed"), serial("cli-qr", "/p/")):
            self.assertIsNone(self.iam_cli("delete-virtual-mfa-device", "--serial-number", s))
        self.assertEqual(self.iam_cli("list-virtual-mfa-devices"), {"VirtualMFADevices": []})

    def test_the_response_with_boto3(self):
        plain_serial, seed_text, device = self.create_device("boto-plain")
        self.assertEqual(sorted(device), ["Base32StringSeed", "QRCodePNG", "SerialNumber"])
        self.assertEqual(plain_serial, "arn:aws:iam::123456789012:mfa/boto-plain")
        self.assertRegex(seed_text, r"^[A-Z2-7]{64}$")
        self.assertEqual(len(base64.b32decode(seed_text)), 40)
        self.assertTrue(device["QRCodePNG"].startswith(PNG_SIGNATURE))

        tags = [{"Key": "team", "Value": "ops"}, {"Key": "empty", "Value": ""}]
        path_serial, path_seed, tagged = self.create_device("boto-tagged", Path="/p/", Tags=tags)
        self.assertEqual(sorted(tagged), ["Base32StringSeed", "QRCodePNG", "SerialNumber", "Tags"])
        self.assertEqual(path_serial, "arn:aws:iam::123456789012:mfa/p/boto-tagged")
        self.assertEqual(tagged["Tags"], tags)
        self.assertRegex(path_seed, r"^[A-Z2-7]{64}$")
        self.assertNotEqual(path_seed, seed_text)
        self.assertTrue(tagged["QRCodePNG"].startswith(PNG_SIGNATURE))
        self.assertEqual(self.tags(path_serial), tags)
        self.assertEqual(self.tags(plain_serial), [])
        for s in (plain_serial, path_serial):
            self.iam.delete_virtual_mfa_device(SerialNumber=s)
        self.assertEqual(self.virtual(), [])

    def test_a_second_device_of_the_same_name_is_refused(self):
        first, _, _ = self.create_device("twin")
        for name in ("twin", "TWIN", "Twin"):
            with self.subTest(name):
                self.assertEqual(fx.error_of(self.iam.create_virtual_mfa_device,
                                             VirtualMFADeviceName=name),
                                 (409, "Sender", "EntityAlreadyExists",
                                  "MFA device already exists."))
                self.assertEqual(self.virtual(), [{"SerialNumber": first}])
        self.iam.delete_virtual_mfa_device(SerialNumber=first)


class ListTest(MfaCase):
    def test_shapes_filters_and_pages(self):
        user = self.iam.create_user(UserName="lister")["User"]
        names = ["list-a", "list-b", "list-c", "list-d", "list-e"]
        created = {name: self.create_device(name, Tags=[{"Key": "k", "Value": "v"}])
                   for name in names}
        enabled_serial, enabled_seed, _ = created["list-c"]
        before = fx.utcnow()
        self.enable("lister", enabled_serial, enabled_seed)
        after = fx.utcnow()

        listed = self.virtual()  # AssignmentStatus Any by default
        self.assertEqual(listed, self.virtual("Any"))
        self.assertEqual(sorted(d["SerialNumber"] for d in listed),
                         sorted(serial(n) for n in names))
        for device in listed:
            with self.subTest(device["SerialNumber"]):
                if device["SerialNumber"] != enabled_serial:
                    self.assertEqual(device, {"SerialNumber": device["SerialNumber"]})
                    continue
                self.assertEqual(sorted(device), ["EnableDate", "SerialNumber", "User"])
                self.assertEqual(device["User"], {k: user[k] for k in (
                    "Path", "UserName", "UserId", "Arn", "CreateDate")})
                near_now(self, device["EnableDate"], before, after)
        assigned = self.virtual("Assigned")
        self.assertEqual(assigned, [d for d in listed if d["SerialNumber"] == enabled_serial])
        self.assertEqual(self.virtual("Unassigned"),
                         [d for d in listed if d["SerialNumber"] != enabled_serial])
        self.assertEqual(self.iam_cli("list-virtual-mfa-devices", "--assignment-status",
                                      "Unassigned"),
                         {"VirtualMFADevices": [{"SerialNumber": d["SerialNumber"]}
                                                for d in listed
                                                if d["SerialNumber"] != enabled_serial]})

        pages, marker = [], None
        while True:
            kwargs = {"MaxItems": 2}
            if marker is not None:
                kwargs["Marker"] = marker
            page = self.iam.list_virtual_mfa_devices(**kwargs)
            pages.append(page["VirtualMFADevices"])
            if not page["IsTruncated"]:
                self.assertNotIn("Marker", page)
                break
            marker = page["Marker"]
        self.assertEqual([len(p) for p in pages], [2, 2, 1])
        self.assertEqual([d for p in pages for d in p], listed)

        # ListMFADevices: the user's enabled device only.
        listed_for_user = self.user_devices("lister")
        self.assertEqual(listed_for_user, [{"UserName": "lister", "SerialNumber": enabled_serial,
                                            "EnableDate": assigned[0]["EnableDate"]}])
        self.assertEqual(self.iam_cli("list-mfa-devices", "--user-name", "lister")["MFADevices"],
                         [{"UserName": "lister", "SerialNumber": enabled_serial,
                           "EnableDate": assigned[0]["EnableDate"].strftime(
                               "%Y-%m-%dT%H:%M:%S+00:00")}])


class EnableTest(MfaCase):
    def test_enable_deactivate_delete_with_the_cli(self):
        self.iam.create_user(UserName="cli-owner")
        serial_number, seed_text, _ = self.create_device("cli-owned")
        step, code1, code2 = code_pair(seed_text)
        before = fx.utcnow()
        self.assertIsNone(self.iam_cli("enable-mfa-device", "--user-name", "cli-owner",
                                       "--serial-number", serial_number,
                                       "--authentication-code1", code1,
                                       "--authentication-code2", code2))
        after = fx.utcnow()
        listed = self.iam_cli("list-mfa-devices", "--user-name", "cli-owner")["MFADevices"]
        self.assertEqual([sorted(d) for d in listed], [["EnableDate", "SerialNumber", "UserName"]])
        self.assertEqual((listed[0]["UserName"], listed[0]["SerialNumber"]),
                         ("cli-owner", serial_number))
        near_now(self, datetime.datetime.fromisoformat(listed[0]["EnableDate"]), before, after)
        self.assertEqual(self.serials("Assigned"), [serial_number])
        self.assertIsNone(self.iam_cli("deactivate-mfa-device", "--user-name", "cli-owner",
                                       "--serial-number", serial_number))
        self.assertEqual(self.iam_cli("list-mfa-devices", "--user-name", "cli-owner"),
                         {"MFADevices": []})
        self.assertEqual(self.virtual("Unassigned"), [{"SerialNumber": serial_number}])
        self.assertIsNone(self.iam_cli("delete-virtual-mfa-device", "--serial-number",
                                       serial_number))
        self.assertEqual(self.virtual(), [])
        self.iam.delete_user(UserName="cli-owner")

    def test_refusals_change_nothing(self):
        self.iam.create_user(UserName="owner")
        self.iam.create_user(UserName="bystander")
        serial_number, seed_text, _ = self.create_device("guarded")
        missing = serial("no-such-device")

        def unchanged():
            self.assertEqual(self.virtual(), [{"SerialNumber": serial_number}])
            self.assertEqual(self.user_devices("owner"), [])
            self.assertEqual(self.user_devices("bystander"), [])

        step, code1, code2 = code_pair(seed_text)
        bad = wrong_code(seed_text)
        for label, pair in (("wrong codes", (bad, bad)),
                            ("wrong first code", (bad, code2)),
                            ("wrong second code", (code1, bad)),
                            ("current then previous", (code2, code1)),
                            ("the same code twice", (code2, code2))):
            with self.subTest(label):
                self.assertEqual(fx.error_of(self.iam.enable_mfa_device, UserName="owner",
                                             SerialNumber=serial_number,
                                             AuthenticationCode1=pair[0],
                                             AuthenticationCode2=pair[1]),
                                 CODES_REJECTED)
                unchanged()
        self.assertEqual(fx.error_of(self.iam.enable_mfa_device, UserName="nobody",
                                     SerialNumber=serial_number, AuthenticationCode1=code1,
                                     AuthenticationCode2=code2),
                         no_user("nobody"))
        unchanged()
        self.assertEqual(fx.error_of(self.iam.enable_mfa_device, UserName="owner",
                                     SerialNumber=missing, AuthenticationCode1=code1,
                                     AuthenticationCode2=code2),
                         no_device(missing))
        unchanged()
        # Not enabled yet: nothing to deactivate, resynchronize or refuse to delete.
        for call, kwargs in ((self.iam.deactivate_mfa_device, {}),
                             (self.iam.resync_mfa_device,
                              {"AuthenticationCode1": code1, "AuthenticationCode2": code2})):
            with self.subTest(call.__name__):
                self.assertEqual(fx.error_of(call, UserName="owner", SerialNumber=serial_number,
                                             **kwargs),
                                 no_device(serial_number))
                unchanged()

        # The refused calls used nothing up: the same codes enable the device now.
        before = fx.utcnow()
        self.iam.enable_mfa_device(UserName="owner", SerialNumber=serial_number,
                                   AuthenticationCode1=code1, AuthenticationCode2=code2)
        after = fx.utcnow()
        enabled = self.user_devices("owner")
        self.assertEqual([sorted(d) for d in enabled], [["EnableDate", "SerialNumber", "UserName"]])
        self.assertEqual((enabled[0]["UserName"], enabled[0]["SerialNumber"]),
                         ("owner", serial_number))
        near_now(self, enabled[0]["EnableDate"], before, after)
        assigned = self.virtual()

        def still_enabled():
            self.assertEqual(self.user_devices("owner"), enabled)
            self.assertEqual(self.user_devices("bystander"), [])
            self.assertEqual(self.virtual(), assigned)

        step, code1, code2 = code_pair(seed_text)
        for user in ("owner", "bystander"):
            with self.subTest("enable again", user=user):
                self.assertEqual(fx.error_of(self.iam.enable_mfa_device, UserName=user,
                                             SerialNumber=serial_number,
                                             AuthenticationCode1=code1,
                                             AuthenticationCode2=code2),
                                 (409, "Sender", "EntityAlreadyExists",
                                  "MFA Device is already in use."))
                still_enabled()
        for call, kwargs in ((self.iam.deactivate_mfa_device, {}),
                             (self.iam.resync_mfa_device,
                              {"AuthenticationCode1": code1, "AuthenticationCode2": code2})):
            with self.subTest("another user's device", call=call.__name__):
                self.assertEqual(fx.error_of(call, UserName="bystander",
                                             SerialNumber=serial_number, **kwargs),
                                 no_device(serial_number))
                still_enabled()
        with self.subTest("deactivate an unknown serial number"):
            self.assertEqual(fx.error_of(self.iam.deactivate_mfa_device, UserName="owner",
                                         SerialNumber=missing), no_device(missing))
            still_enabled()
        bad = wrong_code(seed_text)
        for label, pair in (("wrong codes", (bad, bad)), ("current then previous", (code2, code1))):
            with self.subTest("resync", label=label):
                self.assertEqual(fx.error_of(self.iam.resync_mfa_device, UserName="owner",
                                             SerialNumber=serial_number,
                                             AuthenticationCode1=pair[0],
                                             AuthenticationCode2=pair[1]),
                                 CODES_REJECTED)
                still_enabled()
        with self.subTest("delete the enabled device"):
            self.assertEqual(fx.error_of(self.iam.delete_virtual_mfa_device,
                                         SerialNumber=serial_number),
                             (409, "Sender", "DeleteConflict",
                              "Cannot delete entity, the MFA device is enabled for user owner: "
                              "deactivate it first."))
            still_enabled()
        with self.subTest("delete the user"):
            self.assertEqual(fx.error_of(self.iam.delete_user, UserName="owner"),
                             (409, "Sender", "DeleteConflict",
                              "Cannot delete entity, must delete MFA device first."))
            self.assertEqual(self.iam.get_user(UserName="owner")["User"]["UserName"], "owner")
            still_enabled()

        self.iam.deactivate_mfa_device(UserName="owner", SerialNumber=serial_number)
        self.assertEqual(self.user_devices("owner"), [])
        self.assertEqual(self.virtual("Unassigned"), [{"SerialNumber": serial_number}])
        self.assertEqual(self.virtual("Assigned"), [])
        # A code is good once: the pair that enabled the device cannot enable it again.
        self.assertEqual(fx.error_of(self.iam.enable_mfa_device, UserName="owner",
                                     SerialNumber=serial_number, AuthenticationCode1=code1,
                                     AuthenticationCode2=code2),
                         CODES_REJECTED)
        self.assertEqual(self.user_devices("owner"), [])
        self.assertEqual(self.virtual(), [{"SerialNumber": serial_number}])

        self.iam.delete_virtual_mfa_device(SerialNumber=serial_number)
        self.assertEqual(self.virtual(), [])
        self.assertEqual(fx.error_of(self.iam.delete_virtual_mfa_device,
                                     SerialNumber=serial_number), no_device(serial_number))
        self.assertEqual(fx.error_of(self.iam.delete_virtual_mfa_device, SerialNumber=missing),
                         no_device(missing))
        self.iam.delete_user(UserName="owner")  # no device any more


class GetMfaDeviceTest(MfaCase):
    """GetMFADevice describes FIDO security keys only (IAM API Reference), which iamd cannot
    register: every serial, a virtual device's too, is NoSuchEntity; a missing user first."""

    def test_no_fido_device_exists(self):
        self.iam.create_user(UserName="fido-user")
        self.addCleanup(self.iam.delete_user, UserName="fido-user")
        serial_number, _ = new_device(self.iam, "fido-virtual")
        self.addCleanup(self.iam.delete_virtual_mfa_device, SerialNumber=serial_number)
        fido = "arn:aws:iam::%s:u2f/user/fido-user/key-ABCDEFGHIJKLMNOPQRSTUVWXYZ" % ACCT
        for number in (fido, serial_number):
            with self.subTest(number):
                self.assertEqual(
                    fx.error_of(self.iam.get_mfa_device, SerialNumber=number, UserName="fido-user"),
                    no_device(number))
        self.assertEqual(fx.error_of(self.iam.get_mfa_device, SerialNumber=fido), no_device(fido))
        self.assertEqual(fx.error_of(self.iam.get_mfa_device, SerialNumber=fido, UserName="nobody"),
                         no_user("nobody"))
        # Debian's AWS CLI v2 predates get-mfa-device; the image's CLI v1 has it.
        cli = fx.find_aws_cli_v1()
        if cli is None:
            self.skipTest("no AWS CLI v1 here (boto3's part above passed)")
        done = self.server.run_cli(cli, "iam", "get-mfa-device", "--serial-number", fido)
        self.assertNotEqual(done.returncode, 0)
        self.assertIn("(NoSuchEntity) when calling the GetMFADevice operation: "
                      "MFA Device with serial number %s does not exist." % fido, done.stderr)


class TagTest(MfaCase):
    def test_tag_list_untag(self):
        serial_number, _, _ = self.create_device("tagged", Tags=[{"Key": "a", "Value": "1"}])
        self.assertIsNone(self.iam_cli("tag-mfa-device", "--serial-number", serial_number,
                                       "--tags", "Key=b,Value=2", "Key=c,Value=3"))
        self.assertEqual(self.tags(serial_number), [{"Key": "a", "Value": "1"},
                                                    {"Key": "b", "Value": "2"},
                                                    {"Key": "c", "Value": "3"}])
        self.iam.tag_mfa_device(SerialNumber=serial_number, Tags=[{"Key": "a", "Value": "one"}])
        self.assertIsNone(self.iam_cli("untag-mfa-device", "--serial-number", serial_number,
                                       "--tag-keys", "b"))
        expected = [{"Key": "a", "Value": "one"}, {"Key": "c", "Value": "3"}]
        self.assertEqual(self.iam_cli("list-mfa-device-tags", "--serial-number",
                                      serial_number)["Tags"], expected)
        # Tags are not shown in the device lists.
        self.assertEqual(self.virtual(), [{"SerialNumber": serial_number}])

        missing = serial("no-such-device")
        for call, kwargs in ((self.iam.tag_mfa_device, {"Tags": [{"Key": "x", "Value": "y"}]}),
                             (self.iam.untag_mfa_device, {"TagKeys": ["a"]}),
                             (self.iam.list_mfa_device_tags, {})):
            with self.subTest(call.__name__):
                self.assertEqual(fx.error_of(call, SerialNumber=missing, **kwargs),
                                 no_device(missing))
                self.assertEqual(self.tags(serial_number), expected)
                self.assertEqual(self.virtual(), [{"SerialNumber": serial_number}])
        self.iam.delete_virtual_mfa_device(SerialNumber=serial_number)


class AccountTest(MfaCase):
    """One server, one credential report (a report is made at most once every four hours)."""

    def summary(self):
        m = self.iam.get_account_summary()["SummaryMap"]
        return m["MFADevices"], m["MFADevicesInUse"]

    def test_account_summary_and_credential_report(self):
        self.assertEqual(self.summary(), (0, 0))
        self.iam.create_user(UserName="with-mfa")
        self.iam.create_user(UserName="without-mfa")
        self.iam.create_user(UserName="deactivated-mfa")
        used, used_seed, _ = self.create_device("used")
        spare, _, _ = self.create_device("spare")
        dropped, dropped_seed, _ = self.create_device("dropped")
        self.assertEqual(self.summary(), (3, 0))
        self.enable("with-mfa", used, used_seed)
        self.assertEqual(self.summary(), (3, 1))
        self.enable("deactivated-mfa", dropped, dropped_seed)
        self.assertEqual(self.summary(), (3, 2))
        self.iam.deactivate_mfa_device(UserName="deactivated-mfa", SerialNumber=dropped)
        self.assertEqual(self.summary(), (3, 1))
        self.iam.delete_virtual_mfa_device(SerialNumber=spare)
        self.assertEqual(self.summary(), (2, 1))

        state = self.iam.generate_credential_report()["State"]
        for _ in range(100):
            if state == "COMPLETE":
                break
            time.sleep(0.1)
            state = self.iam.generate_credential_report()["State"]
        self.assertEqual(state, "COMPLETE")
        content = self.iam.get_credential_report()["Content"].decode("utf-8")
        rows = {r["user"]: r for r in csv.DictReader(io.StringIO(content))}
        self.assertEqual({u: rows[u]["mfa_active"]
                          for u in ("with-mfa", "without-mfa", "deactivated-mfa")},
                         {"with-mfa": "true", "without-mfa": "false",
                          "deactivated-mfa": "false"})


class DurabilityTest(MfaCase):
    def test_devices_assignments_tags_and_seeds_survive_a_restart(self):
        policy = fx.document(fx.allow("iam:ListUsers", Condition=MFA_PRESENT),
                             fx.allow("sts:GetSessionToken"))
        user = fx.create_user_with_key(self.iam, "durable", inline=policy)
        kept, kept_seed, _ = self.create_device(
            "kept", Path="/durable/", Tags=[{"Key": "owner", "Value": "durable"}])
        loose, _, _ = self.create_device("loose", Tags=[{"Key": "spare", "Value": "yes"}])
        step, code1, code2 = self.enable("durable", kept, kept_seed)
        listed = self.virtual()
        enabled = self.user_devices("durable")
        tags = {s: self.tags(s) for s in (kept, loose)}

        self.restart()
        self.assertEqual(self.virtual(), listed)
        self.assertEqual(self.virtual("Assigned"), [d for d in listed if d["SerialNumber"] == kept])
        self.assertEqual(self.user_devices("durable"), enabled)
        self.assertEqual({s: self.tags(s) for s in (kept, loose)}, tags)

        # The seed given at creation still makes the device's codes.
        sts = self.sts(user)
        # (Enabling used the code of `step`: a code is good once, the next step's is accepted.)
        creds = sts.get_session_token(SerialNumber=kept,
                                      TokenCode=totp(kept_seed, step + 1))["Credentials"]
        names = [u["UserName"] for u in self.session_iam(creds).list_users()["Users"]]
        self.assertEqual(names, ["durable"])
        self.assertEqual(fx.error_of(sts.get_session_token, SerialNumber=kept,
                                     TokenCode=wrong_code(kept_seed)), BAD_PASS_CODE)
        bad = wrong_code(kept_seed)
        self.assertEqual(fx.error_of(self.iam.resync_mfa_device, UserName="durable",
                                     SerialNumber=kept, AuthenticationCode1=bad,
                                     AuthenticationCode2=bad), CODES_REJECTED)
        self.assertEqual(self.user_devices("durable"), enabled)
        # ...and the device remembers the codes it took.
        self.iam.deactivate_mfa_device(UserName="durable", SerialNumber=kept)
        self.assertEqual(fx.error_of(self.iam.enable_mfa_device, UserName="durable",
                                     SerialNumber=kept, AuthenticationCode1=code1,
                                     AuthenticationCode2=code2), CODES_REJECTED)
        self.assertEqual(self.virtual("Assigned"), [])


class StsTest(MfaCase):
    @classmethod
    def prepare_server(cls):
        iam = cls.iam
        cls.caller = fx.create_user_with_key(iam, "mfa-caller", inline=fx.document(
            fx.allow(["iam:ListUsers", "sts:AssumeRole"], Condition=MFA_PRESENT),
            fx.allow("sts:GetSessionToken"),
            fx.allow("iam:ListGroups",
                     Condition={"NumericLessThan": {"aws:MultiFactorAuthAge": "3600"}})))
        cls.assumer = fx.create_user_with_key(iam, "plain-assumer", inline=fx.document(
            fx.allow("sts:AssumeRole")))
        iam.create_user(UserName="stranger")
        cls.serial, cls.seed, _ = ready_device(iam, "mfa-caller", "caller-device")
        cls.stranger_serial, cls.stranger_seed = new_device(iam, "stranger-device")
        enable_now(iam, "stranger", cls.stranger_serial, cls.stranger_seed)
        cls.unassigned_serial, cls.unassigned_seed = new_device(iam, "unassigned-device")
        list_roles = fx.document(fx.allow("iam:ListRoles", Condition=MFA_PRESENT))
        for role, condition in (("mfa-admin", MFA_PRESENT), ("plain-admin", None)):
            statement = {"Effect": "Allow", "Principal": ROOT_PRINCIPAL,
                         "Action": "sts:AssumeRole"}
            if condition:
                statement["Condition"] = condition
            iam.create_role(RoleName=role, AssumeRolePolicyDocument=json.dumps(
                {"Version": "2012-10-17", "Statement": [statement]}))
            iam.put_role_policy(RoleName=role, PolicyName="list-roles", PolicyDocument=list_roles)

    def caller_iam(self):
        return self.server.client(key_id=self.caller["key_id"], secret=self.caller["secret"])

    def test_the_long_term_key_alone_does_not_carry_mfa(self):
        iam = self.caller_iam()
        for call, action, resource in ((iam.list_users, "iam:ListUsers", fx.arn("user", "")),
                                       (iam.list_groups, "iam:ListGroups", fx.arn("group", ""))):
            with self.subTest(action):
                self.assertEqual(fx.error_of(call),
                                 (403, "Sender", "AccessDenied",
                                  fx.denied(self.caller["arn"], action, resource)))

    def test_get_session_token_with_mfa(self):
        device, _, codes = ready_device(self.iam, "mfa-caller", "for-session-token")
        out = self.sts(self.caller).get_session_token(SerialNumber=device, TokenCode=codes[0])
        creds = out["Credentials"]
        self.assertRegex(creds["AccessKeyId"], r"^ASIA[A-Z0-9]{16}$")
        iam = self.session_iam(creds)
        self.assertEqual(sorted(u["UserName"] for u in iam.list_users()["Users"]),
                         ["mfa-caller", "plain-assumer", "stranger"])
        self.assertEqual(iam.list_groups()["Groups"], [])  # aws:MultiFactorAuthAge < 3600
        who = self.server.client("sts", key_id=creds["AccessKeyId"],
                                 secret=creds["SecretAccessKey"],
                                 token=creds["SessionToken"]).get_caller_identity()
        self.assertEqual((who["Arn"], who["UserId"]), (self.caller["arn"], self.caller["id"]))

    def test_get_session_token_without_mfa_cannot_call_iam(self):
        creds = self.sts(self.caller).get_session_token()["Credentials"]
        iam = self.session_iam(creds)
        self.assertEqual(fx.error_of(iam.list_users), SESSION_TOKEN_REFUSED)
        self.assertEqual(fx.error_of(iam.list_groups), SESSION_TOKEN_REFUSED)

    def test_refused_codes_and_serial_numbers(self):
        sts = self.sts(self.caller)
        self.assertEqual(fx.error_of(sts.get_session_token, SerialNumber=self.serial,
                                     TokenCode=wrong_code(self.seed)), BAD_PASS_CODE)
        for label, other, seed in (("another user's device", self.stranger_serial,
                                    self.stranger_seed),
                                   ("an unassigned device", self.unassigned_serial,
                                    self.unassigned_seed),
                                   ("an unknown serial number", serial("no-such-device"),
                                    self.seed)):
            with self.subTest(label):
                self.assertEqual(fx.error_of(sts.get_session_token, SerialNumber=other,
                                             TokenCode=current_code(seed)), BAD_SERIAL)
                self.assertEqual(fx.error_of(sts.assume_role, RoleArn=fx.arn("role", "mfa-admin"),
                                             RoleSessionName="refused", SerialNumber=other,
                                             TokenCode=current_code(seed)), BAD_SERIAL)
        self.assertEqual(fx.error_of(sts.assume_role, RoleArn=fx.arn("role", "mfa-admin"),
                                     RoleSessionName="refused", SerialNumber=self.serial,
                                     TokenCode=wrong_code(self.seed)), BAD_PASS_CODE)
        # Root has no MFA device.
        self.assertEqual(fx.error_of(self.sts().get_session_token, SerialNumber=self.serial,
                                     TokenCode=current_code(self.seed)), BAD_SERIAL)
        self.assertEqual(fx.error_of(sts.get_session_token, TokenCode=current_code(self.seed)),
                         (400, "Sender", "ValidationError",
                          "SerialNumber and TokenCode must be specified together."))
        # Nothing changed: the devices are still their users', and the caller's still works.
        self.assertIn(self.serial,
                      [d["SerialNumber"] for d in self.user_devices("mfa-caller")])
        self.assertEqual([d["SerialNumber"] for d in self.user_devices("stranger")],
                         [self.stranger_serial])
        self.assertEqual(self.serials("Unassigned"), [self.unassigned_serial])
        sts.get_session_token(SerialNumber=self.serial, TokenCode=current_code(self.seed))

    def test_a_code_is_good_once(self):
        """Also across AssumeRole and GetSessionToken; a later code still works."""
        device, _, codes = ready_device(self.iam, "mfa-caller", "used-once")
        sts = self.sts(self.caller)
        sts.assume_role(RoleArn=fx.arn("role", "mfa-admin"), RoleSessionName="first",
                        SerialNumber=device, TokenCode=codes[0])
        self.assertEqual(fx.error_of(sts.get_session_token, SerialNumber=device,
                                     TokenCode=codes[0]), BAD_PASS_CODE)
        self.assertEqual(fx.error_of(sts.assume_role, RoleArn=fx.arn("role", "mfa-admin"),
                                     RoleSessionName="again", SerialNumber=device,
                                     TokenCode=codes[0]), BAD_PASS_CODE)
        sts.get_session_token(SerialNumber=device, TokenCode=codes[1])
        self.assertEqual(fx.error_of(sts.get_session_token, SerialNumber=device,
                                     TokenCode=codes[1]), BAD_PASS_CODE)

    def test_assume_role_with_mfa(self):
        sts = self.sts(self.caller)
        self.assertEqual(fx.error_of(sts.assume_role, RoleArn=fx.arn("role", "mfa-admin"),
                                     RoleSessionName="no-mfa"),
                         (403, "Sender", "AccessDenied",
                          "User: %s is not authorized to perform: sts:AssumeRole on resource: %s"
                          % (self.caller["arn"], fx.arn("role", "mfa-admin"))))
        # The trust policy alone refuses a caller whose own policy allows sts:AssumeRole.
        self.assertEqual(fx.error_of(self.sts(self.assumer).assume_role,
                                     RoleArn=fx.arn("role", "mfa-admin"),
                                     RoleSessionName="no-mfa"),
                         (403, "Sender", "AccessDenied",
                          "User: %s is not authorized to perform: sts:AssumeRole on resource: %s"
                          % (self.assumer["arn"], fx.arn("role", "mfa-admin"))))

        device, _, codes = ready_device(self.iam, "mfa-caller", "for-assume-role")
        out = sts.assume_role(RoleArn=fx.arn("role", "mfa-admin"), RoleSessionName="with-mfa",
                              SerialNumber=device, TokenCode=codes[0])
        self.assertEqual(out["AssumedRoleUser"]["Arn"],
                         "arn:aws:sts::%s:assumed-role/mfa-admin/with-mfa" % ACCT)
        roles = self.session_iam(out["Credentials"]).list_roles()["Roles"]
        self.assertEqual(sorted(r["RoleName"] for r in roles), ["mfa-admin", "plain-admin"])

        # The same inline policy, a session without MFA: refused.
        out = self.sts(self.assumer).assume_role(RoleArn=fx.arn("role", "plain-admin"),
                                                 RoleSessionName="without-mfa")
        session_arn = "arn:aws:sts::%s:assumed-role/plain-admin/without-mfa" % ACCT
        self.assertEqual(out["AssumedRoleUser"]["Arn"], session_arn)
        self.assertEqual(fx.error_of(self.session_iam(out["Credentials"]).list_roles),
                         (403, "Sender", "AccessDenied",
                          fx.denied(session_arn, "iam:ListRoles", fx.arn("role", ""))))


class EnforcementTest(MfaCase):
    def test_a_user_without_permission_cannot_create_a_device(self):
        plain = fx.create_user_with_key(self.iam, "mfa-plain")
        try:
            client = self.server.client(key_id=plain["key_id"], secret=plain["secret"])
            self.assertEqual(
                fx.error_of(client.create_virtual_mfa_device, VirtualMFADeviceName="denied"),
                (403, "Sender", "AccessDenied",
                 "User: arn:aws:iam::123456789012:user/mfa-plain is not authorized to perform: "
                 "iam:CreateVirtualMFADevice on resource: arn:aws:iam::123456789012:mfa/denied "
                 "because no identity-based policy allows the iam:CreateVirtualMFADevice action"))
            self.assertEqual(self.virtual(), [])
        finally:
            fx.delete_user_with_key(self.iam, plain)


class ReenableTest(MfaCase):
    def test_a_deactivated_device_is_enabled_again_with_new_codes(self):
        """A code is good once, so enabling again needs the codes of the two steps after the
        last one used. iamd accepts a device up to two steps ahead of its clock (a phone's
        clock may run fast), so they work at once, without waiting for them."""
        self.iam.create_user(UserName="again")
        serial_number, seed_text, _ = self.create_device("again-device")
        step, code1, code2 = self.enable("again", serial_number, seed_text)
        self.iam.deactivate_mfa_device(UserName="again", SerialNumber=serial_number)
        self.assertEqual(fx.error_of(self.iam.enable_mfa_device, UserName="again",
                                     SerialNumber=serial_number, AuthenticationCode1=code1,
                                     AuthenticationCode2=code2), CODES_REJECTED)
        # A pair that shares the code already used (step's) is refused as well.
        self.assertEqual(fx.error_of(self.iam.enable_mfa_device, UserName="again",
                                     SerialNumber=serial_number,
                                     AuthenticationCode1=totp(seed_text, step),
                                     AuthenticationCode2=totp(seed_text, step + 1)),
                         CODES_REJECTED)
        self.assertEqual(self.virtual(), [{"SerialNumber": serial_number}])
        self.assertEqual(self.user_devices("again"), [])
        # Codes of a clock three minutes fast are beyond what iamd accepts.
        self.assertEqual(fx.error_of(self.iam.enable_mfa_device, UserName="again",
                                     SerialNumber=serial_number,
                                     AuthenticationCode1=totp(seed_text, step + 6),
                                     AuthenticationCode2=totp(seed_text, step + 7)),
                         CODES_REJECTED)

        self.iam.enable_mfa_device(UserName="again", SerialNumber=serial_number,
                                   AuthenticationCode1=totp(seed_text, step + 1),
                                   AuthenticationCode2=totp(seed_text, step + 2))
        self.assertEqual(self.serials("Assigned"), [serial_number])
        self.assertEqual([d["SerialNumber"] for d in self.user_devices("again")],
                         [serial_number])


if __name__ == "__main__":
    unittest.main()
