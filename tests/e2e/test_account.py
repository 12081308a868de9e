"""The account's alias and password policy, driven with boto3 and AWS CLI v2.

AWS's behaviour and messages come from LocalStack's AWS-validated snapshots
(localstack/localstack tests/aws/services/iam/test_iam_account_password_policy.snapshot.json and
test_iam_account_aliases.snapshot.json, recorded against AWS in February 2026) and from
floci-io/floci#2103 (CreateAccountAlias replaces the alias, observed on AWS); they are quoted in
src/model/account.cc. Every refusal is checked whole and must change nothing.
"""

import json
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

    def cli(self, *args):
        """AWS CLI v2 as root; returns its parsed JSON output (None when it prints nothing)."""
        done = self.server.run_cli(fx.AWS_CLI_V2, "iam", *args, "--output", "json")
        self.assertEqual(done.returncode, 0, done.stderr)
        return json.loads(done.stdout) if done.stdout.strip() else None


class AliasTest(AccountCase):
    def test_lifecycle_with_the_cli(self):
        """List empty, create, list, delete, list empty (the recorded lifecycle)."""
        self.assertEqual(self.cli("list-account-aliases"), {"AccountAliases": []})
        self.assertIsNone(self.cli("create-account-alias", "--account-alias", "example-corp"))
        self.assertEqual(self.cli("list-account-aliases"), {"AccountAliases": ["example-corp"]})
        self.assertIsNone(self.cli("delete-account-alias", "--account-alias", "example-corp"))
        self.assertEqual(self.cli("list-account-aliases"), {"AccountAliases": []})

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


class PasswordPolicyTest(AccountCase):
    def test_none_until_set(self):
        self.assertEqual(fx.error_of(self.iam.get_account_password_policy), NO_POLICY)

    def test_update_without_parameters_sets_aws_defaults(self):
        self.assertIsNone(self.cli("update-account-password-policy"))
        self.assertEqual(self.cli("get-account-password-policy"),
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


if __name__ == "__main__":
    unittest.main()
