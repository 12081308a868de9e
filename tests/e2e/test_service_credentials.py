"""IAM service-specific credentials (Create/List/Reset/Update/DeleteServiceSpecificCredential),
driven with AWS CLI v2 and boto3.

What is pinned: the credential as created and reset (ACCA IDs, CreateDate to the second, the
ServiceUserName "USER-at-ACCOUNT" then "USER+1-at-ACCOUNT", a 60-character base64 password for
AWS CodeCommit and Amazon Keyspaces; for Amazon Bedrock an API key "ABSK" + base64 of
"BedrockAPIKey-XXXX-at-ACCOUNT:SECRET" with ServiceCredentialAlias and, with CredentialAgeDays, an
ExpirationDate that many days after CreateDate); the listed metadata (never a secret, in creation
order, ServiceName filter, AllUsers, MaxItems/Marker pages, the caller's own without UserName);
the refusals checked whole (HTTP status, Type, Code, Message), each leaving every credential as
it was: the quota of two per user per service, CredentialAgeDays outside Bedrock, unsupported
services, unknown users and credentials (another user's credential is unknown too), AllUsers with
UserName, DeleteUser while credentials remain; a reset that keeps everything but the secret;
Active/Inactive; a restart; and enforcement with ${aws:username} (a user allowed on their own
ARN only is refused another user's credentials, AllUsers included, and Update/Delete, which
the policy does not allow).
"""

import base64
import datetime
import unittest

import iamd_fixture as fx

ACCT = fx.ACCOUNT_ID
UTC = datetime.timezone.utc
CODECOMMIT = "codecommit.amazonaws.com"
KEYSPACES = "cassandra.amazonaws.com"
BEDROCK = "bedrock.amazonaws.com"
ID_PATTERN = r"^ACCA[A-Z2-7]{17}$"
PASSWORD_PATTERN = r"^[A-Za-z0-9+/]{59}=$"  # 60 characters of base64, ending in '='
API_KEY_PLAIN = r"^BedrockAPIKey-[A-Za-z0-9]{4}-at-%s:[A-Za-z0-9+/=]{60}$" % ACCT
MISSING = "ACCAAAAAAAAAAAAAAAAAA"

PASSWORD_KEYS = {"CreateDate", "ServiceName", "ServiceUserName", "ServicePassword",
                 "ServiceSpecificCredentialId", "UserName", "Status"}
API_KEY_KEYS = {"CreateDate", "ServiceName", "ServiceCredentialAlias", "ServiceCredentialSecret",
                "ServiceSpecificCredentialId", "UserName", "Status"}
SECRETS = ("ServicePassword", "ServiceCredentialSecret")


def now():
    return datetime.datetime.now(UTC)


def no_user(name):
    return (404, "Sender", "NoSuchEntity", "The user with name %s cannot be found." % name)


def no_credential(cred_id):
    return (404, "Sender", "NoSuchEntity", "No such credential %s exists" % cred_id)


def no_service(service):
    return (404, "Sender", "NoSuchEntity",
            "No such service %s is supported for Service Specific Credentials" % service)


QUOTA = (409, "Sender", "LimitExceeded",
         "Cannot exceed quota for ServiceSpecificCredentialsPerUserPerService: 2")
AGE_DAYS_NOT_BEDROCK = (400, "Sender", "ValidationError",
                        "CredentialAgeDays is only valid for Amazon Bedrock API keys.")
ALL_USERS_AND_USER = (400, "Sender", "ValidationError",
                      "AllUsers cannot be specified together with UserName.")


def service_user_name(user, second=False):
    return "%s%s-at-%s" % (user, "+1" if second else "", ACCT)


def metadata(cred):
    """What ListServiceSpecificCredentials shows of a created (or reset) credential."""
    return {k: v for k, v in cred.items() if k not in SECRETS}


class ServiceCredentialCase(fx.ServerTestCase):
    maxDiff = None

    def tearDown(self):
        # Every credential and every user a test left behind (the fixture's root has none).
        for cred in self.everything():
            self.iam.delete_service_specific_credential(
                UserName=cred["UserName"],
                ServiceSpecificCredentialId=cred["ServiceSpecificCredentialId"])
        for user in self.iam.list_users()["Users"]:
            name = user["UserName"]
            for key in self.iam.list_access_keys(UserName=name)["AccessKeyMetadata"]:
                self.iam.delete_access_key(UserName=name, AccessKeyId=key["AccessKeyId"])
            for policy in self.iam.list_user_policies(UserName=name)["PolicyNames"]:
                self.iam.delete_user_policy(UserName=name, PolicyName=policy)
            self.iam.delete_user(UserName=name)

    def listed(self, user, **kwargs):
        return self.iam.list_service_specific_credentials(
            UserName=user, **kwargs)["ServiceSpecificCredentials"]

    def everything(self):
        return self.iam.list_service_specific_credentials(
            AllUsers=True)["ServiceSpecificCredentials"]

    def assertRefused(self, call, expected, **kwargs):
        before = self.everything()
        self.assertEqual(fx.error_of(call, **kwargs), expected)
        self.assertEqual(self.everything(), before, "a refused request changed the credentials")

    def create(self, user, service, **extra):
        return self.iam.create_service_specific_credential(
            UserName=user, ServiceName=service, **extra)["ServiceSpecificCredential"]

    def assertCreatedNow(self, create_date, before, after):
        self.assertEqual(create_date.microsecond, 0, create_date)
        self.assertLessEqual(before.replace(microsecond=0), create_date)
        self.assertLessEqual(create_date, after)

    def assertPasswordCredential(self, cred, user, service, second=False):
        self.assertEqual(set(cred), PASSWORD_KEYS)
        self.assertRegex(cred["ServiceSpecificCredentialId"], ID_PATTERN)
        self.assertRegex(cred["ServicePassword"], PASSWORD_PATTERN)
        self.assertEqual(len(cred["ServicePassword"]), 60)
        self.assertEqual({k: cred[k] for k in ("ServiceName", "ServiceUserName", "UserName",
                                               "Status")},
                         {"ServiceName": service, "ServiceUserName": service_user_name(
                             user, second), "UserName": user, "Status": "Active"})

    def assertApiKey(self, cred, user):
        self.assertRegex(cred["ServiceSpecificCredentialId"], ID_PATTERN)
        self.assertEqual({k: cred[k] for k in ("ServiceName", "ServiceCredentialAlias",
                                               "UserName", "Status")},
                         {"ServiceName": BEDROCK, "ServiceCredentialAlias": service_user_name(user),
                          "UserName": user, "Status": "Active"})
        secret = cred["ServiceCredentialSecret"]
        self.assertTrue(secret.startswith("ABSK"), secret)
        plain = base64.b64decode(secret[4:], validate=True).decode()
        self.assertRegex(plain, API_KEY_PLAIN)


class CreateTest(ServiceCredentialCase):
    def test_create_list_reset_update_delete_with_the_cli(self):
        self.iam.create_user(UserName="cc-cli")
        self.assertEqual(self.iam_cli("list-service-specific-credentials", "--user-name", "cc-cli"),
                         {"ServiceSpecificCredentials": []})
        before = now()
        created = self.iam_cli("create-service-specific-credential", "--user-name", "cc-cli",
                               "--service-name", CODECOMMIT)
        after = now()
        cred = created["ServiceSpecificCredential"]
        self.assertPasswordCredential(cred, "cc-cli", CODECOMMIT)
        self.assertCreatedNow(datetime.datetime.fromisoformat(cred["CreateDate"]), before, after)
        cred_id = cred["ServiceSpecificCredentialId"]
        self.assertEqual(self.iam_cli("list-service-specific-credentials", "--user-name", "cc-cli"),
                         {"ServiceSpecificCredentials": [metadata(cred)]})

        reset = self.iam_cli("reset-service-specific-credential", "--user-name", "cc-cli",
                             "--service-specific-credential-id", cred_id)[
                                 "ServiceSpecificCredential"]
        self.assertRegex(reset["ServicePassword"], PASSWORD_PATTERN)
        self.assertNotEqual(reset["ServicePassword"], cred["ServicePassword"])
        self.assertEqual(metadata(reset), metadata(cred))

        self.assertIsNone(self.iam_cli("update-service-specific-credential", "--user-name",
                                       "cc-cli", "--service-specific-credential-id", cred_id,
                                       "--status", "Inactive"))
        self.assertEqual(self.iam_cli("list-service-specific-credentials", "--user-name", "cc-cli"),
                         {"ServiceSpecificCredentials": [dict(metadata(cred), Status="Inactive")]})
        self.assertIsNone(self.iam_cli("delete-service-specific-credential", "--user-name",
                                       "cc-cli", "--service-specific-credential-id", cred_id))
        self.assertEqual(self.listed("cc-cli"), [])

    def test_two_per_user_and_service(self):
        self.iam.create_user(UserName="cc-quota")
        before = now()
        first = self.create("cc-quota", CODECOMMIT)
        second = self.create("cc-quota", CODECOMMIT)
        after = now()
        self.assertPasswordCredential(first, "cc-quota", CODECOMMIT)
        self.assertPasswordCredential(second, "cc-quota", CODECOMMIT, second=True)
        for cred in (first, second):
            self.assertCreatedNow(cred["CreateDate"], before, after)
        self.assertNotEqual(first["ServiceSpecificCredentialId"],
                            second["ServiceSpecificCredentialId"])
        self.assertNotEqual(first["ServicePassword"], second["ServicePassword"])

        self.assertRefused(self.iam.create_service_specific_credential, QUOTA,
                           UserName="cc-quota", ServiceName=CODECOMMIT)
        # Another service has its own quota and its own first ServiceUserName.
        keyspaces = [self.create("cc-quota", KEYSPACES), self.create("cc-quota", KEYSPACES)]
        self.assertPasswordCredential(keyspaces[0], "cc-quota", KEYSPACES)
        self.assertPasswordCredential(keyspaces[1], "cc-quota", KEYSPACES, second=True)
        self.assertRefused(self.iam.create_service_specific_credential, QUOTA,
                           UserName="cc-quota", ServiceName=KEYSPACES)
        self.assertEqual(self.listed("cc-quota"),
                         [metadata(c) for c in [first, second] + keyspaces])
        # Another user's quota is theirs.
        self.iam.create_user(UserName="cc-other")
        self.assertPasswordCredential(self.create("cc-other", CODECOMMIT), "cc-other", CODECOMMIT)

    def test_a_deleted_credential_frees_its_place(self):
        self.iam.create_user(UserName="cc-again")
        first = self.create("cc-again", CODECOMMIT)
        second = self.create("cc-again", CODECOMMIT)
        self.iam.delete_service_specific_credential(
            UserName="cc-again", ServiceSpecificCredentialId=first["ServiceSpecificCredentialId"])
        third = self.create("cc-again", CODECOMMIT)
        self.assertPasswordCredential(third, "cc-again", CODECOMMIT)  # "+1" is taken
        self.assertEqual(self.listed("cc-again"), [metadata(second), metadata(third)])


class BedrockTest(ServiceCredentialCase):
    def test_an_api_key(self):
        self.iam.create_user(UserName="br-key")
        before = now()
        cred = self.create("br-key", BEDROCK)
        after = now()
        self.assertEqual(set(cred), API_KEY_KEYS)  # no ServiceUserName, ServicePassword, expiry
        self.assertApiKey(cred, "br-key")
        self.assertCreatedNow(cred["CreateDate"], before, after)
        listed = self.listed("br-key")
        self.assertEqual(listed, [metadata(cred)])
        self.assertEqual(set(listed[0]), {"UserName", "Status", "ServiceCredentialAlias",
                                          "CreateDate", "ServiceSpecificCredentialId",
                                          "ServiceName"})
        reset = self.iam.reset_service_specific_credential(
            UserName="br-key", ServiceSpecificCredentialId=cred["ServiceSpecificCredentialId"])[
                "ServiceSpecificCredential"]
        self.assertEqual(set(reset), API_KEY_KEYS)
        self.assertApiKey(reset, "br-key")
        self.assertNotEqual(reset["ServiceCredentialSecret"], cred["ServiceCredentialSecret"])
        self.assertEqual(metadata(reset), metadata(cred))

    def test_credential_age_days(self):
        self.iam.create_user(UserName="br-age")
        cred = self.create("br-age", BEDROCK, CredentialAgeDays=30)
        self.assertEqual(set(cred), API_KEY_KEYS | {"ExpirationDate"})
        self.assertApiKey(cred, "br-age")
        self.assertEqual(cred["ExpirationDate"],
                         cred["CreateDate"] + datetime.timedelta(days=30))
        self.assertEqual(self.listed("br-age"), [metadata(cred)])
        self.assertIn("ExpirationDate", self.listed("br-age")[0])

    def test_credential_age_days_only_for_bedrock(self):
        self.iam.create_user(UserName="br-not")
        for service in (CODECOMMIT, KEYSPACES):
            with self.subTest(service):
                self.assertRefused(self.iam.create_service_specific_credential,
                                   AGE_DAYS_NOT_BEDROCK, UserName="br-not", ServiceName=service,
                                   CredentialAgeDays=30)
        self.assertEqual(self.listed("br-not"), [])


class ErrorTest(ServiceCredentialCase):
    def setUp(self):
        self.iam.create_user(UserName="err-owner")
        self.owned = self.create("err-owner", CODECOMMIT)

    def test_unsupported_service(self):
        self.assertRefused(self.iam.create_service_specific_credential,
                           no_service("lambda.amazonaws.com"), UserName="err-owner",
                           ServiceName="lambda.amazonaws.com")
        self.assertEqual(fx.error_of(self.iam.list_service_specific_credentials,
                                     UserName="err-owner", ServiceName="lambda.amazonaws.com"),
                         no_service("lambda.amazonaws.com"))

    def test_unknown_user(self):
        self.assertRefused(self.iam.create_service_specific_credential, no_user("no-such-user"),
                           UserName="no-such-user", ServiceName=CODECOMMIT)
        self.assertEqual(fx.error_of(self.iam.list_service_specific_credentials,
                                     UserName="no-such-user"), no_user("no-such-user"))
        cred_id = self.owned["ServiceSpecificCredentialId"]
        for call, extra in ((self.iam.reset_service_specific_credential, {}),
                            (self.iam.update_service_specific_credential, {"Status": "Inactive"}),
                            (self.iam.delete_service_specific_credential, {})):
            for which in (MISSING, cred_id):
                with self.subTest(call.__name__, id=which):
                    self.assertRefused(call, no_user("no-such-user"), UserName="no-such-user",
                                       ServiceSpecificCredentialId=which, **extra)

    def test_unknown_credential(self):
        self.iam.create_user(UserName="err-other")
        cred_id = self.owned["ServiceSpecificCredentialId"]
        for call, extra in ((self.iam.reset_service_specific_credential, {}),
                            (self.iam.update_service_specific_credential, {"Status": "Inactive"}),
                            (self.iam.delete_service_specific_credential, {})):
            with self.subTest(call.__name__):
                self.assertRefused(call, no_credential(MISSING), UserName="err-owner",
                                   ServiceSpecificCredentialId=MISSING, **extra)
                # Another user's credential is unknown under this user's name.
                self.assertRefused(call, no_credential(cred_id), UserName="err-other",
                                   ServiceSpecificCredentialId=cred_id, **extra)
        self.assertEqual(self.listed("err-owner"), [metadata(self.owned)])
        self.assertEqual(self.listed("err-other"), [])

    def test_all_users_with_user_name(self):
        self.assertEqual(fx.error_of(self.iam.list_service_specific_credentials,
                                     UserName="err-owner", AllUsers=True), ALL_USERS_AND_USER)


class ListTest(ServiceCredentialCase):
    def test_shapes_order_filter_all_users_and_pages(self):
        for name in ("ls-b", "ls-a"):
            self.iam.create_user(UserName=name)
        # Created across users and services, not in name order.
        creds = [self.create("ls-b", KEYSPACES), self.create("ls-a", CODECOMMIT),
                 self.create("ls-b", CODECOMMIT), self.create("ls-a", BEDROCK,
                                                              CredentialAgeDays=7),
                 self.create("ls-b", KEYSPACES), self.create("ls-a", CODECOMMIT)]
        listed_a = self.listed("ls-a")
        self.assertEqual(listed_a, [metadata(creds[i]) for i in (1, 3, 5)])
        for cred in listed_a:
            self.assertFalse(set(SECRETS) & set(cred), cred)
        self.assertEqual(set(listed_a[0]), {"UserName", "Status", "ServiceUserName",
                                            "CreateDate", "ServiceSpecificCredentialId",
                                            "ServiceName"})
        self.assertEqual(set(listed_a[1]), {"UserName", "Status", "ServiceCredentialAlias",
                                            "CreateDate", "ExpirationDate",
                                            "ServiceSpecificCredentialId", "ServiceName"})
        self.assertEqual(self.listed("ls-b"), [metadata(creds[i]) for i in (0, 2, 4)])
        self.assertEqual(self.listed("ls-b", ServiceName=KEYSPACES),
                         [metadata(creds[i]) for i in (0, 4)])
        self.assertEqual(self.listed("ls-a", ServiceName=KEYSPACES), [])
        self.assertEqual(self.listed("ls-a", ServiceName=BEDROCK), [metadata(creds[3])])
        self.assertEqual(self.everything(), [metadata(c) for c in creds])
        self.assertEqual(self.iam.list_service_specific_credentials(
            AllUsers=True, ServiceName=CODECOMMIT)["ServiceSpecificCredentials"],
            [metadata(creds[i]) for i in (1, 2, 5)])

        # Pages of two.
        pages, marker = [], None
        while True:
            kwargs = {"Marker": marker} if marker else {}
            page = self.iam.list_service_specific_credentials(AllUsers=True, MaxItems=2,
                                                              **kwargs)
            pages.append(page["ServiceSpecificCredentials"])
            if not page["IsTruncated"]:
                self.assertNotIn("Marker", page)
                break
            marker = page["Marker"]
        self.assertEqual(pages, [[metadata(c) for c in creds[i:i + 2]] for i in (0, 2, 4)])
        first = self.iam.list_service_specific_credentials(UserName="ls-b", MaxItems=1)
        self.assertTrue(first["IsTruncated"])
        rest = self.iam.list_service_specific_credentials(UserName="ls-b",
                                                          Marker=first["Marker"])
        self.assertFalse(rest["IsTruncated"])
        self.assertEqual(first["ServiceSpecificCredentials"] + rest["ServiceSpecificCredentials"],
                         [metadata(creds[i]) for i in (0, 2, 4)])


class ResetUpdateDeleteTest(ServiceCredentialCase):
    def test_reset_gives_a_new_password_only(self):
        self.iam.create_user(UserName="rs-user")
        cred = self.create("rs-user", KEYSPACES)
        other = self.create("rs-user", KEYSPACES)
        reset = self.iam.reset_service_specific_credential(
            UserName="rs-user", ServiceSpecificCredentialId=cred["ServiceSpecificCredentialId"])[
                "ServiceSpecificCredential"]
        self.assertEqual(set(reset), PASSWORD_KEYS)
        self.assertRegex(reset["ServicePassword"], PASSWORD_PATTERN)
        self.assertNotEqual(reset["ServicePassword"], cred["ServicePassword"])
        self.assertEqual(metadata(reset), metadata(cred))  # same ID, names, CreateDate, Status
        again = self.iam.reset_service_specific_credential(
            UserName="rs-user", ServiceSpecificCredentialId=cred["ServiceSpecificCredentialId"])[
                "ServiceSpecificCredential"]
        self.assertNotIn(again["ServicePassword"], (cred["ServicePassword"],
                                                    reset["ServicePassword"]))
        self.assertEqual(self.listed("rs-user"), [metadata(cred), metadata(other)])

    def test_inactive_active_delete(self):
        self.iam.create_user(UserName="up-user")
        cred = self.create("up-user", CODECOMMIT)
        other = self.create("up-user", KEYSPACES)
        cred_id = cred["ServiceSpecificCredentialId"]
        update = self.iam.update_service_specific_credential(
            UserName="up-user", ServiceSpecificCredentialId=cred_id, Status="Inactive")
        self.assertEqual(update["ResponseMetadata"]["HTTPStatusCode"], 200)
        self.assertEqual(self.listed("up-user"),
                         [dict(metadata(cred), Status="Inactive"), metadata(other)])
        self.iam.update_service_specific_credential(
            UserName="up-user", ServiceSpecificCredentialId=cred_id, Status="Active")
        self.assertEqual(self.listed("up-user"), [metadata(cred), metadata(other)])

        self.iam.delete_service_specific_credential(UserName="up-user",
                                                    ServiceSpecificCredentialId=cred_id)
        self.assertEqual(self.listed("up-user"), [metadata(other)])
        for call, extra in ((self.iam.delete_service_specific_credential, {}),
                            (self.iam.reset_service_specific_credential, {}),
                            (self.iam.update_service_specific_credential, {"Status": "Active"})):
            with self.subTest(call.__name__):
                self.assertRefused(call, no_credential(cred_id), UserName="up-user",
                                   ServiceSpecificCredentialId=cred_id, **extra)

    def test_delete_user_needs_its_credentials_gone(self):
        self.iam.create_user(UserName="du-user")
        creds = [self.create("du-user", CODECOMMIT), self.create("du-user", BEDROCK)]
        for cred in creds:
            self.assertRefused(self.iam.delete_user,
                               (409, "Sender", "DeleteConflict",
                                "Cannot delete entity, must remove referenced objects first."),
                               UserName="du-user")
            self.assertEqual(self.iam.get_user(UserName="du-user")["User"]["UserName"], "du-user")
            self.iam.delete_service_specific_credential(
                UserName="du-user", ServiceSpecificCredentialId=cred["ServiceSpecificCredentialId"])
        self.iam.delete_user(UserName="du-user")
        self.assertEqual(fx.error_of(self.iam.get_user, UserName="du-user"), no_user("du-user"))


class RestartTest(ServiceCredentialCase):
    def test_credentials_and_statuses_survive_a_restart(self):
        self.iam.create_user(UserName="rst-user")
        creds = [self.create("rst-user", CODECOMMIT), self.create("rst-user", KEYSPACES),
                 self.create("rst-user", BEDROCK, CredentialAgeDays=90)]
        gone = self.create("rst-user", CODECOMMIT)
        self.iam.update_service_specific_credential(
            UserName="rst-user",
            ServiceSpecificCredentialId=creds[1]["ServiceSpecificCredentialId"], Status="Inactive")
        self.iam.delete_service_specific_credential(
            UserName="rst-user", ServiceSpecificCredentialId=gone["ServiceSpecificCredentialId"])
        before = self.everything()
        self.assertEqual([c["Status"] for c in before], ["Active", "Inactive", "Active"])

        self.server.restart()
        type(self).iam = self.server.client()
        type(self).raw_iam = self.server.client(validate=False)

        self.assertEqual(self.everything(), before)
        reset = self.iam.reset_service_specific_credential(
            UserName="rst-user",
            ServiceSpecificCredentialId=creds[0]["ServiceSpecificCredentialId"])[
                "ServiceSpecificCredential"]
        self.assertRegex(reset["ServicePassword"], PASSWORD_PATTERN)
        self.assertNotEqual(reset["ServicePassword"], creds[0]["ServicePassword"])
        self.assertEqual(metadata(reset), metadata(creds[0]))
        self.assertRefused(self.iam.delete_service_specific_credential,
                           no_credential(gone["ServiceSpecificCredentialId"]), UserName="rst-user",
                           ServiceSpecificCredentialId=gone["ServiceSpecificCredentialId"])
        # The names in use are known after the restart too.
        self.assertPasswordCredential(self.create("rst-user", CODECOMMIT), "rst-user", CODECOMMIT,
                                      second=True)
        self.assertRefused(self.iam.create_service_specific_credential, QUOTA,
                           UserName="rst-user", ServiceName=CODECOMMIT)
        self.assertEqual(self.everything()[:3], before)


class EnforcementTest(ServiceCredentialCase):
    def test_a_user_without_policies_cannot_create(self):
        plain = fx.create_user_with_key(self.iam, "en-plain")
        client = self.server.client(key_id=plain["key_id"], secret=plain["secret"])
        self.assertRefused(client.create_service_specific_credential,
                           (403, "Sender", "AccessDenied",
                            fx.denied(plain["arn"], "iam:CreateServiceSpecificCredential",
                                      "user en-plain")),
                           UserName="en-plain", ServiceName=CODECOMMIT)
        self.assertEqual(self.listed("en-plain"), [])

    def test_a_user_manages_their_own_only(self):
        own = fx.document(fx.allow(
            ["iam:CreateServiceSpecificCredential", "iam:ListServiceSpecificCredentials",
             "iam:ResetServiceSpecificCredential"],
            "arn:aws:iam::%s:user/${aws:username}" % ACCT))
        user = fx.create_user_with_key(self.iam, "en-self", inline=own)
        self.iam.create_user(UserName="en-other")
        theirs = self.create("en-other", CODECOMMIT)
        me = self.server.client(key_id=user["key_id"], secret=user["secret"])

        cred = me.create_service_specific_credential(
            UserName="en-self", ServiceName=CODECOMMIT)["ServiceSpecificCredential"]
        self.assertPasswordCredential(cred, "en-self", CODECOMMIT)
        # Without UserName: the caller's own.
        self.assertEqual(me.list_service_specific_credentials()["ServiceSpecificCredentials"],
                         [metadata(cred)])
        reset = me.reset_service_specific_credential(
            ServiceSpecificCredentialId=cred["ServiceSpecificCredentialId"])[
                "ServiceSpecificCredential"]
        self.assertNotEqual(reset["ServicePassword"], cred["ServicePassword"])
        self.assertEqual(metadata(reset), metadata(cred))

        # AccessDenied names the user as for every action on a user ("user NAME"); listing all
        # users' credentials needs the action on each of them.
        refused = lambda action, who: (  # noqa: E731
            403, "Sender", "AccessDenied", fx.denied(user["arn"], action, "user " + who))
        self.assertRefused(me.create_service_specific_credential,
                           refused("iam:CreateServiceSpecificCredential", "en-other"),
                           UserName="en-other", ServiceName=KEYSPACES)
        self.assertEqual(fx.error_of(me.list_service_specific_credentials, UserName="en-other"),
                         refused("iam:ListServiceSpecificCredentials", "en-other"))
        self.assertEqual(fx.error_of(me.list_service_specific_credentials, AllUsers=True),
                         refused("iam:ListServiceSpecificCredentials", "en-other"))
        self.assertRefused(me.reset_service_specific_credential,
                           refused("iam:ResetServiceSpecificCredential", "en-other"),
                           UserName="en-other",
                           ServiceSpecificCredentialId=theirs["ServiceSpecificCredentialId"])
        # Not allowed on their own either: Update and Delete.
        for call, action, extra in (
                (me.update_service_specific_credential, "iam:UpdateServiceSpecificCredential",
                 {"Status": "Inactive"}),
                (me.delete_service_specific_credential, "iam:DeleteServiceSpecificCredential",
                 {})):
            with self.subTest(action):
                self.assertRefused(call, refused(action, "en-self"),
                                   ServiceSpecificCredentialId=cred[
                                       "ServiceSpecificCredentialId"], **extra)
        self.assertEqual(self.everything(), [metadata(theirs), metadata(cred)])


if __name__ == "__main__":
    unittest.main()
