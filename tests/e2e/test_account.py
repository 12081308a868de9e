"""The account's alias, password policy and credential report, driven with boto3 and AWS CLI v2.

AWS's behaviour and messages come from LocalStack's AWS-validated snapshots
(localstack/localstack tests/aws/services/iam/test_iam_account_password_policy.snapshot.json and
test_iam_account_aliases.snapshot.json, recorded against AWS in February 2026) and from
floci-io/floci#2103 (CreateAccountAlias replaces the alias, observed on AWS); they are quoted in
src/model/account.cc. The credential report's columns and values follow the IAM User Guide and
reports downloaded from AWS (sources in src/api/iam_account.cc). Every refusal is checked whole
and must change nothing.
"""

import base64
import csv
import datetime
import io
import unittest

import iamd_fixture as fx

ACCT = fx.ACCOUNT_ID
READ_ONLY = "arn:aws:iam::aws:policy/IAMReadOnlyAccess"
NO_POLICY = (404, "Sender", "NoSuchEntity",
             "The Password Policy with domain name %s cannot be found." % ACCT)
# UpdateAccountPasswordPolicy without parameters, then GetAccountPasswordPolicy (recorded).
DEFAULT_POLICY = {
    "AllowUsersToChangePassword": False, "ExpirePasswords": False, "MinimumPasswordLength": 6,
    "RequireLowercaseCharacters": False, "RequireNumbers": False, "RequireSymbols": False,
    "RequireUppercaseCharacters": False,
}


class AccountCase(fx.ServerTestCase):
    maxDiff = None

    def tearDown(self):
        for alias in self.iam.list_account_aliases()["AccountAliases"]:
            self.iam.delete_account_alias(AccountAlias=alias)
        try:
            self.iam.delete_account_password_policy()
        except self.iam.exceptions.NoSuchEntityException:
            pass

    def restart(self):
        """SIGTERM and start again on the same data (on a new port: new clients)."""
        self.server.restart()
        type(self).iam = self.server.client()
        type(self).raw_iam = self.server.client(validate=False)


class AliasTest(AccountCase):
    def test_lifecycle_with_the_cli(self):
        """List empty, create, list, delete, list empty (the recorded lifecycle)."""
        self.assertEqual(self.iam_cli("list-account-aliases"), {"AccountAliases": []})
        self.assertIsNone(self.iam_cli("create-account-alias", "--account-alias", "example-corp"))
        self.assertEqual(self.iam_cli("list-account-aliases"), {"AccountAliases": ["example-corp"]})
        self.assertIsNone(self.iam_cli("delete-account-alias", "--account-alias", "example-corp"))
        self.assertEqual(self.iam_cli("list-account-aliases"), {"AccountAliases": []})

    def test_a_new_alias_replaces_the_old_one(self):
        self.iam.create_account_alias(AccountAlias="first-name")
        self.iam.create_account_alias(AccountAlias="second-name")
        listed = self.iam.list_account_aliases()
        self.assertEqual(listed["AccountAliases"], ["second-name"])
        self.assertFalse(listed["IsTruncated"])
        self.iam.create_account_alias(AccountAlias="second-name")  # the same again: no change
        self.assertEqual(self.iam.list_account_aliases()["AccountAliases"], ["second-name"])

    def test_deleting_another_alias_is_no_such_entity_and_keeps_the_alias(self):
        self.iam.create_account_alias(AccountAlias="kept-alias")
        self.assertEqual(
            fx.error_of(self.iam.delete_account_alias, AccountAlias="other-alias"),
            (404, "Sender", "NoSuchEntity", "The account alias other-alias cannot be found."))
        self.assertEqual(self.iam.list_account_aliases()["AccountAliases"], ["kept-alias"])

    def test_a_malformed_alias_is_a_validation_error(self):
        """The service model's pattern: lowercase letters, digits, single inner hyphens."""
        for alias in ("Upper-Case", "double--hyphen", "-leading", "ab"):
            with self.subTest(alias):
                status, kind, code, message = fx.error_of(self.raw_iam.create_account_alias,
                                                          AccountAlias=alias)
                self.assertEqual((status, kind, code), (400, "Sender", "ValidationError"))
                self.assertIn("at 'accountAlias' failed to satisfy constraint", message)
        self.assertEqual(self.iam.list_account_aliases()["AccountAliases"], [])

    def test_the_alias_survives_a_restart(self):
        self.iam.create_account_alias(AccountAlias="durable-alias")
        self.restart()
        self.assertEqual(self.iam.list_account_aliases()["AccountAliases"],
                         ["durable-alias"])


class TokenVersionTest(AccountCase):
    """SetSecurityTokenServicePreferences: stored, shown by GetAccountSummary."""

    def version(self):
        return self.iam.get_account_summary()["SummaryMap"]["GlobalEndpointTokenVersion"]

    def test_set_shown_kept_across_a_restart_and_validated(self):
        self.assertEqual(self.version(), 1)  # AWS's default: v1Token
        self.assertIsNone(self.iam_cli("set-security-token-service-preferences",
                                       "--global-endpoint-token-version", "v2Token"))
        self.assertEqual(self.version(), 2)
        status, kind, code, message = fx.error_of(
            self.raw_iam.set_security_token_service_preferences,
            GlobalEndpointTokenVersion="v3Token")
        self.assertEqual((status, kind, code), (400, "Sender", "ValidationError"))
        self.assertIn("globalEndpointTokenVersion", message)
        self.restart()
        self.assertEqual(self.version(), 2)
        self.iam.set_security_token_service_preferences(GlobalEndpointTokenVersion="v1Token")
        self.assertEqual(self.version(), 1)


class PasswordPolicyTest(AccountCase):
    def test_none_until_set(self):
        self.assertEqual(fx.error_of(self.iam.get_account_password_policy), NO_POLICY)

    def test_update_without_parameters_sets_aws_defaults(self):
        self.assertIsNone(self.iam_cli("update-account-password-policy"))
        self.assertEqual(self.iam_cli("get-account-password-policy"),
                         {"PasswordPolicy": DEFAULT_POLICY})

    def test_custom_values_are_returned(self):
        self.iam.update_account_password_policy(
            MinimumPasswordLength=10, RequireSymbols=True, RequireNumbers=True,
            RequireUppercaseCharacters=True, RequireLowercaseCharacters=True,
            AllowUsersToChangePassword=True, MaxPasswordAge=60, PasswordReusePrevention=3,
            HardExpiry=True)
        self.assertEqual(self.iam.get_account_password_policy()["PasswordPolicy"], {
            "AllowUsersToChangePassword": True, "ExpirePasswords": True, "HardExpiry": True,
            "MaxPasswordAge": 60, "MinimumPasswordLength": 10, "PasswordReusePrevention": 3,
            "RequireLowercaseCharacters": True, "RequireNumbers": True, "RequireSymbols": True,
            "RequireUppercaseCharacters": True,
        })
        # An update replaces the whole policy: what it does not give takes the defaults.
        self.iam.update_account_password_policy()
        self.assertEqual(self.iam.get_account_password_policy()["PasswordPolicy"],
                         DEFAULT_POLICY)

    def test_out_of_range_values_are_refused_together_and_change_nothing(self):
        self.iam.update_account_password_policy(MinimumPasswordLength=12)
        self.assertEqual(
            fx.error_of(self.raw_iam.update_account_password_policy, MinimumPasswordLength=129,
                        PasswordReusePrevention=25, MaxPasswordAge=1096),
            (400, "Sender", "ValidationError",
             "3 validation errors detected: Value at 'minimumPasswordLength' failed to satisfy "
             "constraint: Member must have value less than or equal to 128; Value at "
             "'passwordReusePrevention' failed to satisfy constraint: Member must have value "
             "less than or equal to 24; Value at 'maxPasswordAge' failed to satisfy constraint: "
             "Member must have value less than or equal to 1095"))
        self.assertEqual(
            self.iam.get_account_password_policy()["PasswordPolicy"]["MinimumPasswordLength"],
            12)

    def test_delete_then_none_and_a_second_delete_has_its_own_wording(self):
        self.iam.update_account_password_policy()
        self.iam.delete_account_password_policy()
        self.assertEqual(fx.error_of(self.iam.get_account_password_policy), NO_POLICY)
        self.assertEqual(
            fx.error_of(self.iam.delete_account_password_policy),
            (404, "Sender", "NoSuchEntity",
             "The account policy with name PasswordPolicy cannot be found."))

    def test_login_profiles_must_meet_the_policy(self):
        self.iam.create_user(UserName="policy-user")
        try:
            self.iam.update_account_password_policy(MinimumPasswordLength=6, RequireNumbers=True)
            self.assertEqual(
                fx.error_of(self.iam.create_login_profile, UserName="policy-user",
                            Password="letters-only"),
                (400, "Sender", "PasswordPolicyViolation",
                 "Password should have at least one number"))
            self.assertEqual(
                fx.error_of(self.iam.get_login_profile, UserName="policy-user")[2],
                "NoSuchEntity")  # nothing was made
            self.iam.create_login_profile(UserName="policy-user", Password="six6ch")
            self.assertEqual(
                fx.error_of(self.iam.update_login_profile, UserName="policy-user",
                            Password="nonumber")[2:],
                ("PasswordPolicyViolation", "Password should have at least one number"))
            # Without the policy, AWS's default length (8) applies again.
            self.iam.delete_account_password_policy()
            self.assertEqual(
                fx.error_of(self.iam.update_login_profile, UserName="policy-user",
                            Password="six6ch")[2:],
                ("PasswordPolicyViolation", "Password should have a minimum length of 8"))
        finally:
            try:
                self.iam.delete_login_profile(UserName="policy-user")
            except self.iam.exceptions.NoSuchEntityException:
                pass
            self.iam.delete_user(UserName="policy-user")

    def test_the_policy_survives_a_restart(self):
        self.iam.update_account_password_policy(MinimumPasswordLength=14, MaxPasswordAge=90)
        self.restart()
        policy = self.iam.get_account_password_policy()["PasswordPolicy"]
        self.assertEqual((policy["MinimumPasswordLength"], policy["MaxPasswordAge"],
                          policy["ExpirePasswords"]), (14, 90, True))


class EnforcementTest(AccountCase):
    def test_a_read_only_user_reads_but_cannot_change_the_account(self):
        user = fx.create_user_with_key(self.iam, "account-reader", managed=[READ_ONLY])
        try:
            reader = self.server.client(key_id=user["key_id"], secret=user["secret"])
            self.iam.update_account_password_policy()
            self.assertEqual(reader.list_account_aliases()["AccountAliases"], [])
            self.assertEqual(reader.get_account_password_policy()["PasswordPolicy"],
                             DEFAULT_POLICY)
            for call, action, kwargs in (
                    (reader.create_account_alias, "iam:CreateAccountAlias",
                     {"AccountAlias": "not-allowed"}),
                    (reader.delete_account_password_policy, "iam:DeleteAccountPasswordPolicy",
                     {})):
                with self.subTest(action):
                    self.assertEqual(fx.error_of(call, **kwargs),
                                     (403, "Sender", "AccessDenied",
                                      fx.denied(user["arn"], action, "*")))
            self.assertEqual(self.iam.list_account_aliases()["AccountAliases"], [])
            self.assertEqual(self.iam.get_account_password_policy()["PasswordPolicy"],
                             DEFAULT_POLICY)
        finally:
            self.iam.delete_access_key(UserName="account-reader", AccessKeyId=user["key_id"])
            self.iam.detach_user_policy(UserName="account-reader", PolicyArn=READ_ONLY)
            self.iam.delete_user(UserName="account-reader")


class ChangePasswordTest(AccountCase):
    """ChangePassword: an IAM user changes its own console password (AWS CLI v2 and boto3 with
    the user's own keys). The refusals' codes are the service model's; their wording is iamd's
    (src/api/iam_users.cc), AWS's not being recorded. A change is seen through the login
    profile (PasswordResetRequired cleared) and through which old password works next."""

    OWN = "arn:aws:iam::%s:user/${aws:username}" % ACCT

    def make_user(self, name, password="first-pass-1", inline=None, reset=True):
        user = fx.create_user_with_key(self.iam, name, inline=inline)
        self.iam.create_login_profile(UserName=name, Password=password, PasswordResetRequired=reset)
        self.addCleanup(fx.delete_user_with_key, self.iam, user)
        self.addCleanup(self.iam.delete_login_profile, UserName=name)
        return user, self.server.client(key_id=user["key_id"], secret=user["secret"])

    def may_change_own(self):
        return fx.document(fx.allow("iam:ChangePassword", self.OWN))

    def test_a_user_changes_its_own_password_with_cli_v2(self):
        user, _ = self.make_user("pw-changer", inline=self.may_change_own())
        env = self.server.cli_env(key_id=user["key_id"], secret=user["secret"])
        done = self.server.run_cli(fx.AWS_CLI_V2, "iam", "change-password", "--old-password",
                                   "first-pass-1", "--new-password", "second-pass-2", env=env)
        self.assertEqual((done.returncode, done.stdout.strip()), (0, ""), done.stderr)
        profile = self.iam.get_login_profile(UserName="pw-changer")["LoginProfile"]
        self.assertFalse(profile["PasswordResetRequired"])
        # The old password no longer works; the new one does.
        done = self.server.run_cli(fx.AWS_CLI_V2, "iam", "change-password", "--old-password",
                                   "first-pass-1", "--new-password", "third-pass-3", env=env)
        self.assertNotEqual(done.returncode, 0)
        self.assertIn("(AccessDenied) when calling the ChangePassword operation: "
                      "The old password is incorrect.", done.stderr)
        done = self.server.run_cli(fx.AWS_CLI_V2, "iam", "change-password", "--old-password",
                                   "second-pass-2", "--new-password", "third-pass-3", env=env)
        self.assertEqual(done.returncode, 0, done.stderr)

    def test_refusals_change_nothing(self):
        self.iam.update_account_password_policy(MinimumPasswordLength=10, RequireNumbers=True,
                                                PasswordReusePrevention=2)
        _, own = self.make_user("pw-refused", password="first-pass-1",
                                inline=self.may_change_own())
        cases = [
            ({"OldPassword": "not-the-password", "NewPassword": "second-pass-2"},
             (403, "Sender", "AccessDenied", "The old password is incorrect.")),
            ({"OldPassword": "first-pass-1", "NewPassword": "short-2"},
             (400, "Sender", "PasswordPolicyViolation",
              "Password should have a minimum length of 10")),
            ({"OldPassword": "first-pass-1", "NewPassword": "no-numbers-at-all"},
             (400, "Sender", "PasswordPolicyViolation", "Password should have at least one number")),
            ({"OldPassword": "first-pass-1", "NewPassword": "first-pass-1"},
             (400, "Sender", "PasswordPolicyViolation",
              "Password should not be one of your previous 2 passwords")),
        ]
        for kwargs, expected in cases:
            with self.subTest(**kwargs):
                self.assertEqual(fx.error_of(own.change_password, **kwargs), expected)
        profile = self.iam.get_login_profile(UserName="pw-refused")["LoginProfile"]
        self.assertTrue(profile["PasswordResetRequired"])
        own.change_password(OldPassword="first-pass-1", NewPassword="second-pass-2")  # unchanged

    def test_who_may_not_change_a_password(self):
        self.assertEqual(
            fx.error_of(self.iam.change_password, OldPassword="anything", NewPassword="anything-1"),
            (400, "Sender", "InvalidUserType",
             "Only IAM users can change their own password with ChangePassword."))
        user = fx.create_user_with_key(self.iam, "pw-no-profile", inline=self.may_change_own())
        self.addCleanup(fx.delete_user_with_key, self.iam, user)
        own = self.server.client(key_id=user["key_id"], secret=user["secret"])
        self.assertEqual(
            fx.error_of(own.change_password, OldPassword="anything", NewPassword="anything-1"),
            (404, "Sender", "NoSuchEntity", "Login Profile for User pw-no-profile cannot be found."))

    def test_allowed_by_policy_or_by_the_password_policy(self):
        user, own = self.make_user("pw-plain")
        kwargs = {"OldPassword": "first-pass-1", "NewPassword": "second-pass-2"}
        self.assertEqual(
            fx.error_of(own.change_password, **kwargs),
            (403, "Sender", "AccessDenied",
             fx.denied(user["arn"], "iam:ChangePassword", "user pw-plain")))
        # AllowUsersToChangePassword: every IAM user may change its own password and read the
        # policy (IAM User Guide, "Permitting IAM users to change their own passwords").
        self.iam.update_account_password_policy(AllowUsersToChangePassword=True)
        self.assertTrue(own.get_account_password_policy()["PasswordPolicy"]["AllowUsersToChangePassword"])
        own.change_password(**kwargs)
        self.assertFalse(
            self.iam.get_login_profile(UserName="pw-plain")["LoginProfile"]["PasswordResetRequired"])
        # ... unless a policy denies it.
        self.iam.put_user_policy(UserName="pw-plain", PolicyName="inline",
                                 PolicyDocument=fx.document(fx.deny("iam:ChangePassword")))
        self.assertEqual(
            fx.error_of(own.change_password, OldPassword="second-pass-2", NewPassword="third-pass-3"),
            (403, "Sender", "AccessDenied",
             fx.denied(user["arn"], "iam:ChangePassword", "user pw-plain", why="explicit-identity")))
        # Only for the two actions it names.
        self.assertEqual(fx.error_of(own.get_user)[2], "AccessDenied")


class OrganizationsFeaturesTest(AccountCase):
    """Centralized root access needs an AWS Organizations organization; an iamd account is a
    standalone account. Code from the service model, message its description of the code."""

    NONE = (400, "Sender", "OrganizationNotFoundException",
            "The request was rejected because no organization is associated with your account.")

    def test_every_operation_finds_no_organization(self):
        for call in (self.iam.list_organizations_features,
                     self.iam.enable_organizations_root_credentials_management,
                     self.iam.disable_organizations_root_credentials_management,
                     self.iam.enable_organizations_root_sessions,
                     self.iam.disable_organizations_root_sessions):
            with self.subTest(call.__name__):
                self.assertEqual(fx.error_of(call), self.NONE)
        # Debian's AWS CLI v2 predates these operations; the image's CLI v1 has them.
        cli = fx.find_aws_cli_v1()
        if cli is None:
            self.skipTest("no AWS CLI v1 here (boto3's part above passed)")
        done = self.server.run_cli(cli, "iam", "list-organizations-features")
        self.assertNotEqual(done.returncode, 0)
        self.assertIn("(OrganizationNotFoundException) when calling the ListOrganizationsFeatures "
                      "operation: " + self.NONE[3], done.stderr)

    def test_authorized_first(self):
        user = fx.create_user_with_key(self.iam, "org-nobody")
        self.addCleanup(fx.delete_user_with_key, self.iam, user)
        iam = self.server.client(key_id=user["key_id"], secret=user["secret"])
        self.assertEqual(fx.error_of(iam.list_organizations_features),
                         (403, "Sender", "AccessDenied",
                          fx.denied(user["arn"], "iam:ListOrganizationsFeatures", "*")))


# The 22 columns of a credential report, in AWS's order (IAM User Guide).
REPORT_COLUMNS = [
    "user", "arn", "user_creation_time", "password_enabled", "password_last_used",
    "password_last_changed", "password_next_rotation", "mfa_active", "access_key_1_active",
    "access_key_1_last_rotated", "access_key_1_last_used_date", "access_key_1_last_used_region",
    "access_key_1_last_used_service", "access_key_2_active", "access_key_2_last_rotated",
    "access_key_2_last_used_date", "access_key_2_last_used_region",
    "access_key_2_last_used_service", "cert_1_active", "cert_1_last_rotated", "cert_2_active",
    "cert_2_last_rotated",
]
STARTED = {"State": "STARTED",
           "Description": "No report exists. Starting a new report generation task"}


def report_rows(iam):
    """GetCredentialReport: (response, the CSV's header, its rows as dicts by user)."""
    got = iam.get_credential_report()
    text = got["Content"].decode("utf-8")  # boto3 decodes the base64
    reader = csv.DictReader(io.StringIO(text))
    rows = {row["user"]: row for row in reader}
    return got, reader.fieldnames, rows


def report_date(value):
    """A report's date (2017-06-10T02:35:07+00:00) as an aware datetime; fails on other forms."""
    assert value.endswith("+00:00") and len(value) == 25, value
    return datetime.datetime.fromisoformat(value)


class CredentialReportTest(AccountCase):
    """One server, one report: a report is made at most once every four hours."""

    def test_the_report_lifecycle(self):
        # None yet: 410 ReportNotPresent with no message at all (recorded from AWS).
        self.assertEqual(fx.error_of(self.iam.get_credential_report),
                         (410, "Sender", "ReportNotPresent", None))
        self.iam.create_user(UserName="report-user", Path="/team/")
        self.iam.create_login_profile(UserName="report-user", Password="Report-Passw0rd")
        keys = [self.iam.create_access_key(UserName="report-user")["AccessKey"]
                for _ in range(2)]
        self.iam.update_access_key(UserName="report-user", AccessKeyId=keys[0]["AccessKeyId"],
                                   Status="Inactive")
        user_client = self.server.client(key_id=keys[1]["AccessKeyId"],
                                         secret=keys[1]["SecretAccessKey"])
        fx.error_of(user_client.get_user)  # a use of the key (refused: no policy)
        before = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)

        self.assertEqual(self.iam_cli("generate-credential-report"), STARTED)
        self.iam.create_user(UserName="later-user")
        # Within four hours: COMPLETE, no description, and the same report.
        self.assertEqual(self.iam_cli("generate-credential-report"), {"State": "COMPLETE"})
        got, header, rows = report_rows(self.iam)
        self.assertEqual(got["ReportFormat"], "text/csv")
        self.assertLessEqual(abs((got["GeneratedTime"] - before).total_seconds()), 5)
        self.assertEqual(header, REPORT_COLUMNS)
        self.assertEqual(list(rows), ["<root_account>", "report-user"])

        root = rows["<root_account>"]
        expected_root = dict(zip(REPORT_COLUMNS, [
            "<root_account>", "arn:aws:iam::%s:root" % ACCT, "", "not_supported",
            "no_information", "not_supported", "not_supported", "false", "true", "N/A", "N/A",
            "N/A", "N/A", "false", "N/A", "N/A", "N/A", "N/A", "false", "N/A", "false", "N/A"]))
        # The account was created when this server first opened its data folder.
        self.assertLessEqual(report_date(root["user_creation_time"]), before)
        expected_root["user_creation_time"] = root["user_creation_time"]
        self.assertEqual(root, expected_root)

        user = rows["report-user"]
        created = self.iam.get_user(UserName="report-user")["User"]["CreateDate"]
        self.assertEqual(report_date(user["user_creation_time"]), created)
        self.assertEqual(user["arn"], "arn:aws:iam::%s:user/team/report-user" % ACCT)
        self.assertEqual((user["password_enabled"], user["password_last_used"],
                          user["password_next_rotation"], user["mfa_active"]),
                         ("true", "no_information", "N/A", "false"))
        report_date(user["password_last_changed"])
        self.assertEqual((user["access_key_1_active"], user["access_key_1_last_used_date"],
                          user["access_key_1_last_used_region"],
                          user["access_key_1_last_used_service"]),
                         ("false", "N/A", "N/A", "N/A"))
        self.assertEqual(report_date(user["access_key_1_last_rotated"]), keys[0]["CreateDate"])
        self.assertEqual(report_date(user["access_key_2_last_rotated"]), keys[1]["CreateDate"])
        self.assertEqual(user["access_key_2_active"], "true")
        used = self.iam.get_access_key_last_used(AccessKeyId=keys[1]["AccessKeyId"])
        self.assertEqual(report_date(user["access_key_2_last_used_date"]),
                         used["AccessKeyLastUsed"]["LastUsedDate"])
        self.assertEqual((user["access_key_2_last_used_region"],
                          user["access_key_2_last_used_service"]), ("us-east-1", "iam"))
        self.assertEqual([user[c] for c in REPORT_COLUMNS[-4:]], ["false", "N/A", "false", "N/A"])

        # The report is kept with the account: the same one after a restart.
        self.restart()
        again, _, rows_after = report_rows(self.iam)
        self.assertEqual((again["Content"], again["GeneratedTime"]),
                         (got["Content"], got["GeneratedTime"]))
        self.assertEqual(self.iam.generate_credential_report()["State"], "COMPLETE")


class CredentialReportEnforcementTest(AccountCase):
    def test_iam_read_only_access_generates_and_reads_the_report_but_a_user_without_it_cannot(
            self):
        reader = fx.create_user_with_key(self.iam, "report-reader", managed=[READ_ONLY])
        plain = fx.create_user_with_key(self.iam, "report-nobody")
        try:
            nobody = self.server.client(key_id=plain["key_id"], secret=plain["secret"])
            for call, action in ((nobody.generate_credential_report,
                                  "iam:GenerateCredentialReport"),
                                 (nobody.get_credential_report, "iam:GetCredentialReport")):
                with self.subTest(action):
                    status, kind, code, message = fx.error_of(call)
                    self.assertEqual((status, kind, code), (403, "Sender", "AccessDenied"))
                    self.assertEqual(message, fx.denied(plain["arn"], action, "*"))
            self.assertEqual(fx.error_of(self.iam.get_credential_report)[2],
                             "ReportNotPresent")  # the refused Generate made nothing
            # IAMReadOnlyAccess allows iam:GenerateCredentialReport and iam:Get*.
            client = self.server.client(key_id=reader["key_id"], secret=reader["secret"])
            generated = client.generate_credential_report()
            self.assertEqual({k: generated[k] for k in ("State", "Description")}, STARTED)
            _, _, rows = report_rows(client)
            self.assertEqual(set(rows), {"<root_account>", "report-reader", "report-nobody"})
        finally:
            for user in (reader, plain):
                self.iam.delete_access_key(UserName=user["name"], AccessKeyId=user["key_id"])
            self.iam.detach_user_policy(UserName="report-reader", PolicyArn=READ_ONLY)
            self.iam.delete_user(UserName="report-reader")
            self.iam.delete_user(UserName="report-nobody")


if __name__ == "__main__":
    unittest.main()
