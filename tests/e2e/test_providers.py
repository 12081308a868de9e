"""IAM OpenID Connect identity providers, driven with boto3 and AWS CLI v2.

The GitHub Actions provider (https://token.actions.githubusercontent.com, audience
sts.amazonaws.com) is created, read, changed, listed, tagged and deleted; every refusal is
checked whole (HTTP status, Type Sender, Code, Message) and must leave the providers as they
were. AWS's messages come from LocalStack's AWS-validated snapshots
(localstack/localstack tests/aws/services/iam/test_iam_oidc.snapshot.json, recorded against
AWS in February 2026), quoted in src/model/oidc_providers.cc; behaviour that the API reference
states is cited in each test's docstring.
"""

import json
import unittest

import iamd_fixture as fx

ACCT = fx.ACCOUNT_ID
GITHUB_URL = "https://token.actions.githubusercontent.com"
GITHUB_ARN = "arn:aws:iam::%s:oidc-provider/token.actions.githubusercontent.com" % ACCT
THUMB_A = "6938fd4d98bab03faadb97b34396831e3780aea1"
THUMB_B = "1c58a3a8518e8759bf075b76b750d4f2df264fcd"
READ_ONLY = "arn:aws:iam::aws:policy/IAMReadOnlyAccess"


def provider_arn(host_and_path):
    return "arn:aws:iam::%s:oidc-provider/%s" % (ACCT, host_and_path)


class ProviderCase(fx.ServerTestCase):
    maxDiff = None

    def tearDown(self):
        for p in self.iam.list_open_id_connect_providers()["OpenIDConnectProviderList"]:
            self.iam.delete_open_id_connect_provider(OpenIDConnectProviderArn=p["Arn"])

    def providers(self):
        """Every provider with everything Get shows (for 'a refusal changes nothing')."""
        out = {}
        for p in self.iam.list_open_id_connect_providers()["OpenIDConnectProviderList"]:
            got = self.iam.get_open_id_connect_provider(OpenIDConnectProviderArn=p["Arn"])
            got.pop("ResponseMetadata")
            out[p["Arn"]] = json.dumps(got, sort_keys=True, default=str)
        return out

    def assertRefused(self, call, status, code, message, **kwargs):
        before = self.providers()
        self.assertEqual(fx.error_of(call, **kwargs), (status, "Sender", code, message))
        self.assertEqual(self.providers(), before, "a refused request changed the providers")

    def github(self, **extra):
        kwargs = dict(Url=GITHUB_URL, ClientIDList=["sts.amazonaws.com"], ThumbprintList=[THUMB_A])
        kwargs.update(extra)
        return self.iam.create_open_id_connect_provider(**kwargs)


class LifeCycleTest(ProviderCase):

    def test_github_actions_provider_with_boto3(self):
        """Url comes back without https:// (GetOpenIDConnectProvider API reference); ClientIDList,
        ThumbprintList and Tags are present even when empty (AWS-validated snapshot)."""
        created = self.github()
        self.assertEqual(created["OpenIDConnectProviderArn"], GITHUB_ARN)
        self.assertNotIn("Tags", created)  # none given: none shown (AWS-validated snapshot)
        got = self.iam.get_open_id_connect_provider(OpenIDConnectProviderArn=GITHUB_ARN)
        self.assertEqual(got["Url"], "token.actions.githubusercontent.com")
        self.assertEqual(got["ClientIDList"], ["sts.amazonaws.com"])
        self.assertEqual(got["ThumbprintList"], [THUMB_A])
        self.assertEqual(got["Tags"], [])
        created_at = got["CreateDate"].astimezone(fx.datetime.timezone.utc).replace(tzinfo=None)
        age = fx.utcnow() - created_at
        self.assertLess(abs(age.total_seconds()), 60)
        listed = self.iam.list_open_id_connect_providers()["OpenIDConnectProviderList"]
        self.assertEqual(listed, [{"Arn": GITHUB_ARN}])
        self.iam.delete_open_id_connect_provider(OpenIDConnectProviderArn=GITHUB_ARN)
        self.assertEqual(self.iam.list_open_id_connect_providers()["OpenIDConnectProviderList"], [])

    def test_raw_get_shows_empty_lists_as_empty_elements(self):
        self.iam.create_open_id_connect_provider(Url="https://bare.example.com")
        status, _, body = self.server.raw({
            "Action": "GetOpenIDConnectProvider",
            "OpenIDConnectProviderArn": provider_arn("bare.example.com")})
        self.assertEqual(status, 200, body)
        text = body.decode()
        for element in ("<ClientIDList/>", "<ThumbprintList/>", "<Tags/>",
                        "<Url>bare.example.com</Url>"):
            self.assertIn(element, text)

    def test_path_makes_part_of_the_arn_and_list_is_sorted(self):
        self.iam.create_open_id_connect_provider(
            Url="https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE")
        self.github()
        listed = [p["Arn"] for p in
                  self.iam.list_open_id_connect_providers()["OpenIDConnectProviderList"]]
        self.assertEqual(listed, [
            provider_arn("oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"),
            GITHUB_ARN])

    def test_client_ids_add_and_remove_are_idempotent(self):
        """API reference: RemoveClientIDFromOpenIDConnectProvider "is idempotent; it does not fail
        or return an error if you try to remove a client ID that does not exist"; adding one that
        is there changes nothing either."""
        self.github()
        for _ in range(2):
            self.iam.add_client_id_to_open_id_connect_provider(
                OpenIDConnectProviderArn=GITHUB_ARN, ClientID="my-app")
        self.iam.remove_client_id_from_open_id_connect_provider(
            OpenIDConnectProviderArn=GITHUB_ARN, ClientID="never-there")
        got = self.iam.get_open_id_connect_provider(OpenIDConnectProviderArn=GITHUB_ARN)
        self.assertEqual(got["ClientIDList"], ["sts.amazonaws.com", "my-app"])
        for _ in range(2):
            self.iam.remove_client_id_from_open_id_connect_provider(
                OpenIDConnectProviderArn=GITHUB_ARN, ClientID="sts.amazonaws.com")
        got = self.iam.get_open_id_connect_provider(OpenIDConnectProviderArn=GITHUB_ARN)
        self.assertEqual(got["ClientIDList"], ["my-app"])

    def test_update_thumbprint_replaces_the_list(self):
        self.github()
        self.iam.update_open_id_connect_provider_thumbprint(
            OpenIDConnectProviderArn=GITHUB_ARN, ThumbprintList=[THUMB_B, THUMB_A])
        got = self.iam.get_open_id_connect_provider(OpenIDConnectProviderArn=GITHUB_ARN)
        self.assertEqual(got["ThumbprintList"], [THUMB_B, THUMB_A])

    def test_tags(self):
        """Tags as on roles: keys merge regardless of case, untagging an absent key is fine,
        ListOpenIDConnectProviderTags pages with MaxItems/Marker."""
        created = self.github(Tags=[{"Key": "team", "Value": "ci"}])
        self.assertEqual(created["Tags"], [{"Key": "team", "Value": "ci"}])
        self.iam.tag_open_id_connect_provider(
            OpenIDConnectProviderArn=GITHUB_ARN,
            Tags=[{"Key": "TEAM", "Value": "platform"}, {"Key": "env", "Value": "prod"}])
        tags = self.iam.list_open_id_connect_provider_tags(OpenIDConnectProviderArn=GITHUB_ARN)
        self.assertEqual(tags["Tags"], [{"Key": "team", "Value": "platform"},
                                        {"Key": "env", "Value": "prod"}])
        self.assertFalse(tags["IsTruncated"])
        page = self.iam.list_open_id_connect_provider_tags(OpenIDConnectProviderArn=GITHUB_ARN,
                                                           MaxItems=1)
        self.assertTrue(page["IsTruncated"])
        rest = self.iam.list_open_id_connect_provider_tags(OpenIDConnectProviderArn=GITHUB_ARN,
                                                           Marker=page["Marker"])
        self.assertEqual(page["Tags"] + rest["Tags"], tags["Tags"])
        self.iam.untag_open_id_connect_provider(OpenIDConnectProviderArn=GITHUB_ARN,
                                                TagKeys=["Team", "absent"])
        got = self.iam.get_open_id_connect_provider(OpenIDConnectProviderArn=GITHUB_ARN)
        self.assertEqual(got["Tags"], [{"Key": "env", "Value": "prod"}])

    def test_account_summary_counts_providers(self):
        summary = lambda: self.iam.get_account_summary()["SummaryMap"]["Providers"]
        self.assertEqual(summary(), 0)
        self.github()
        self.iam.create_open_id_connect_provider(Url="https://second.example.com")
        self.assertEqual(summary(), 2)

    def test_trust_policy_may_name_the_provider(self):
        self.github()
        trust = fx.document({
            "Effect": "Allow", "Principal": {"Federated": GITHUB_ARN},
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {"StringEquals": {
                "token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}}})
        role = self.iam.create_role(RoleName="github-deploy", AssumeRolePolicyDocument=trust)
        self.assertEqual(role["Role"]["RoleName"], "github-deploy")
        self.iam.delete_role(RoleName="github-deploy")

    def test_trust_policy_naming_a_missing_provider_is_refused(self):
        # AWS's answer, recorded (terraform-aws-modules/terraform-aws-eks#2594: a role naming an
        # OIDC provider the account did not have); nothing is created.
        refused = (400, "Sender", "MalformedPolicyDocument",
                   "Federated principals must be valid domain names or SAML metadata ARNs")
        saml_arn = "arn:aws:iam::%s:saml-provider/missing" % fx.ACCOUNT_ID
        for federated in (GITHUB_ARN, saml_arn):
            with self.subTest(federated):
                trust = fx.document({"Effect": "Allow", "Principal": {"Federated": federated},
                                     "Action": "sts:AssumeRoleWithWebIdentity"})
                self.assertEqual(fx.error_of(self.iam.create_role, RoleName="federated-missing",
                                             AssumeRolePolicyDocument=trust), refused)
                self.assertEqual(fx.error_of(self.iam.get_role, RoleName="federated-missing")[2],
                                 "NoSuchEntity")
        # A domain name is a Federated principal as it is.
        trust = fx.document({"Effect": "Allow", "Principal": {"Federated": "accounts.google.com"},
                             "Action": "sts:AssumeRoleWithWebIdentity"})
        self.iam.create_role(RoleName="google-users", AssumeRolePolicyDocument=trust)
        self.iam.delete_role(RoleName="google-users")


class CliV2Test(ProviderCase):
    """The same through AWS CLI v2 (/usr/bin/aws), as its users type it."""

    def test_github_actions_provider_with_cli_v2(self):
        created = self.iam_cli("create-open-id-connect-provider", "--url", GITHUB_URL,
                           "--client-id-list", "sts.amazonaws.com",
                           "--thumbprint-list", THUMB_A,
                           "--tags", "Key=team,Value=ci")
        self.assertEqual(created["OpenIDConnectProviderArn"], GITHUB_ARN)
        self.assertEqual(created["Tags"], [{"Key": "team", "Value": "ci"}])
        self.iam_cli("add-client-id-to-open-id-connect-provider",
                 "--open-id-connect-provider-arn", GITHUB_ARN, "--client-id", "my-app")
        self.iam_cli("update-open-id-connect-provider-thumbprint",
                 "--open-id-connect-provider-arn", GITHUB_ARN, "--thumbprint-list", THUMB_B)
        got = self.iam_cli("get-open-id-connect-provider", "--open-id-connect-provider-arn", GITHUB_ARN)
        self.assertEqual(got["Url"], "token.actions.githubusercontent.com")
        self.assertEqual(got["ClientIDList"], ["sts.amazonaws.com", "my-app"])
        self.assertEqual(got["ThumbprintList"], [THUMB_B])
        self.assertEqual(got["Tags"], [{"Key": "team", "Value": "ci"}])
        listed = self.iam_cli("list-open-id-connect-providers")
        self.assertEqual(listed["OpenIDConnectProviderList"], [{"Arn": GITHUB_ARN}])
        self.iam_cli("delete-open-id-connect-provider", "--open-id-connect-provider-arn", GITHUB_ARN)
        out = self.server.run_cli(fx.AWS_CLI_V2, "iam", "get-open-id-connect-provider",
                                  "--open-id-connect-provider-arn", GITHUB_ARN)
        self.assertEqual(out.returncode, 254, out.stderr)
        self.assertIn("(NoSuchEntity) when calling the GetOpenIDConnectProvider operation: "
                      "OpenIDConnect Provider not found for arn " + GITHUB_ARN, out.stderr)


class ErrorsTest(ProviderCase):
    """Refusals, each with AWS's code, status and message (sources: module docstring)."""

    def test_duplicate_url(self):
        self.github()
        self.assertRefused(self.iam.create_open_id_connect_provider, 409, "EntityAlreadyExists",
                           "Provider with url %s already exists." % GITHUB_URL,
                           Url=GITHUB_URL, ThumbprintList=[THUMB_B])

    def test_url_must_be_https(self):
        """AWS-validated snapshot: Url "example.org" -> ValidationError. The API reference: the
        URL "must begin with https://", query parameters are not allowed, no port number."""
        for url in ("example.org", "http://token.actions.githubusercontent.com",
                    "https://example.com:8443", "https://example.com/?tenant=1", "https://"):
            self.assertRefused(self.iam.create_open_id_connect_provider, 400, "ValidationError",
                               "Invalid Open ID Connect Provider URL", Url=url)

    def test_at_most_five_thumbprints(self):
        self.assertRefused(self.iam.create_open_id_connect_provider, 400, "InvalidInput",
                           "Thumbprint list must contain fewer than 5 entries.",
                           Url=GITHUB_URL, ThumbprintList=[c * 40 for c in "abcdef"])
        self.github()
        self.assertRefused(self.iam.update_open_id_connect_provider_thumbprint, 400,
                           "InvalidInput", "Thumbprint list must contain fewer than 5 entries.",
                           OpenIDConnectProviderArn=GITHUB_ARN,
                           ThumbprintList=[c * 40 for c in "abcdef"])

    def test_thumbprint_is_forty_characters(self):
        """The service model fixes a thumbprint's length at 40. AWS's message (AWS-validated
        snapshot) lists the member's constraints; iamd's generic list-member form adds
        ", Member must not be null" before the "]" (recorded for tagKeys, not for these lists),
        so only the common part is pinned here."""
        before = self.providers()
        status, kind, code, message = fx.error_of(self.raw_iam.create_open_id_connect_provider,
                                                  Url=GITHUB_URL, ThumbprintList=["a" * 41])
        self.assertEqual((status, kind, code), (400, "Sender", "ValidationError"))
        self.assertTrue(message.startswith(
            "1 validation error detected: Value at 'thumbprintList' failed to satisfy "
            "constraint: Member must satisfy constraint: [Member must have length less than or "
            "equal to 40, Member must have length greater than or equal to 40"), message)
        self.assertEqual(self.providers(), before)

    def test_thumbprint_is_hexadecimal(self):
        self.assertRefused(self.iam.create_open_id_connect_provider, 400, "InvalidInput",
                           "Thumbprint %s must be 40 hexadecimal characters." % ("g" * 40),
                           Url=GITHUB_URL, ThumbprintList=["g" * 40])

    def test_at_most_one_hundred_client_ids(self):
        ids = [str(i) for i in range(101)]
        self.assertRefused(self.iam.create_open_id_connect_provider, 409, "LimitExceeded",
                           "Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: 100",
                           Url=GITHUB_URL, ClientIDList=ids)
        self.iam.create_open_id_connect_provider(Url=GITHUB_URL, ClientIDList=ids[:100])
        self.assertRefused(self.iam.add_client_id_to_open_id_connect_provider, 409,
                           "LimitExceeded",
                           "Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: 100",
                           OpenIDConnectProviderArn=GITHUB_ARN, ClientID="one-more")

    def test_unknown_provider(self):
        missing = provider_arn("non-existent.example.com")
        not_found = "OpenIDConnect Provider not found for arn " + missing
        self.github()  # something that must stay as it is
        for call, extra in ((self.iam.get_open_id_connect_provider, {}),
                            (self.iam.add_client_id_to_open_id_connect_provider, {"ClientID": "x"}),
                            (self.iam.remove_client_id_from_open_id_connect_provider,
                             {"ClientID": "x"}),
                            (self.iam.update_open_id_connect_provider_thumbprint,
                             {"ThumbprintList": [THUMB_A]}),
                            (self.iam.tag_open_id_connect_provider,
                             {"Tags": [{"Key": "k", "Value": "v"}]}),
                            (self.iam.untag_open_id_connect_provider, {"TagKeys": ["k"]}),
                            (self.iam.list_open_id_connect_provider_tags, {})):
            self.assertRefused(call, 404, "NoSuchEntity", not_found,
                               OpenIDConnectProviderArn=missing, **extra)

    def test_delete_of_unknown_provider_is_no_such_entity(self):
        """The API reference calls DeleteOpenIDConnectProvider idempotent, but AWS answers a
        second delete with NoSuchEntity (AWS-validated snapshot, 2026-02-18)."""
        self.github()
        self.iam.delete_open_id_connect_provider(OpenIDConnectProviderArn=GITHUB_ARN)
        self.assertRefused(self.iam.delete_open_id_connect_provider, 404, "NoSuchEntity",
                           "OpenId connect Provider %s cannot be found." % GITHUB_ARN,
                           OpenIDConnectProviderArn=GITHUB_ARN)

    def test_malformed_arn(self):
        bad = "arn:aws:iam::%s:role/token.actions.githubusercontent.com" % ACCT
        self.assertRefused(self.iam.get_open_id_connect_provider, 400, "InvalidInput",
                           "ARN %s is not valid." % bad, OpenIDConnectProviderArn=bad)

    def test_tags_are_limited_to_fifty(self):
        many = [{"Key": "k%02d" % i, "Value": "v"} for i in range(50)]
        self.github(Tags=many)
        self.assertRefused(self.iam.tag_open_id_connect_provider, 409, "LimitExceeded",
                           "The number of tags has reached the maximum limit.",
                           OpenIDConnectProviderArn=GITHUB_ARN,
                           Tags=[{"Key": "string", "Value": "string"}])
        # Re-tagging an existing key (in another case) is not a new tag.
        self.iam.tag_open_id_connect_provider(OpenIDConnectProviderArn=GITHUB_ARN,
                                              Tags=[{"Key": "K00", "Value": "w"}])

    def test_duplicate_tag_keys(self):
        self.assertRefused(self.iam.create_open_id_connect_provider, 400, "InvalidInput",
                           "Duplicate tag keys found. Please note that Tag keys are case "
                           "insensitive.", Url=GITHUB_URL,
                           Tags=[{"Key": "env", "Value": "a"}, {"Key": "ENV", "Value": "b"}])

    def test_one_hundred_providers_per_account(self):
        """IAM User Guide, "IAM and AWS STS quotas": 100 OpenId connect providers per account."""
        for i in range(100):
            self.iam.create_open_id_connect_provider(Url="https://p%03d.example.com" % i)
        self.assertRefused(self.iam.create_open_id_connect_provider, 409, "LimitExceeded",
                           "Cannot exceed quota for OpenIdConnectProvidersPerAccount: 100",
                           Url="https://one-too-many.example.com")


class RestartTest(ProviderCase):

    def test_providers_survive_a_restart(self):
        self.github(Tags=[{"Key": "team", "Value": "ci"}])
        self.iam.add_client_id_to_open_id_connect_provider(OpenIDConnectProviderArn=GITHUB_ARN,
                                                           ClientID="my-app")
        self.iam.create_open_id_connect_provider(Url="https://gone.example.com")
        self.iam.delete_open_id_connect_provider(
            OpenIDConnectProviderArn=provider_arn("gone.example.com"))
        before = self.providers()
        self.server.restart()
        self.__class__.iam = self.server.client()
        self.assertEqual(self.providers(), before)
        self.assertEqual(list(before), [GITHUB_ARN])


class EnforcementTest(ProviderCase):
    """A user with IAMReadOnlyAccess (iam:Get*, iam:List*) reads providers but cannot change
    them; the resource is the provider's ARN (Service Authorization Reference, IAM,
    oidc-provider: arn:${Partition}:iam::${Account}:oidc-provider/${OidcProviderName})."""

    def test_read_only_user(self):
        self.github()
        u = fx.create_user_with_key(self.iam, "reader", managed=[READ_ONLY])
        iam = self.server.client(key_id=u["key_id"], secret=u["secret"])
        self.assertEqual(iam.get_open_id_connect_provider(
            OpenIDConnectProviderArn=GITHUB_ARN)["ClientIDList"], ["sts.amazonaws.com"])
        self.assertEqual(iam.list_open_id_connect_providers()["OpenIDConnectProviderList"],
                         [{"Arn": GITHUB_ARN}])
        iam.list_open_id_connect_provider_tags(OpenIDConnectProviderArn=GITHUB_ARN)
        new_arn = provider_arn("new.example.com")
        self.assertRefused(iam.create_open_id_connect_provider, 403, "AccessDenied",
                           fx.denied(u["arn"], "iam:CreateOpenIDConnectProvider", new_arn),
                           Url="https://new.example.com")
        for call, action, extra in (
                (iam.delete_open_id_connect_provider, "iam:DeleteOpenIDConnectProvider", {}),
                (iam.add_client_id_to_open_id_connect_provider,
                 "iam:AddClientIDToOpenIDConnectProvider", {"ClientID": "x"}),
                (iam.tag_open_id_connect_provider, "iam:TagOpenIDConnectProvider",
                 {"Tags": [{"Key": "k", "Value": "v"}]})):
            self.assertRefused(call, 403, "AccessDenied", fx.denied(u["arn"], action, GITHUB_ARN),
                               OpenIDConnectProviderArn=GITHUB_ARN, **extra)
        # Through AWS CLI v2 as well.
        out = self.server.run_cli(fx.AWS_CLI_V2, "iam", "list-open-id-connect-providers",
                                  "--output", "json",
                                  env=self.server.cli_env(u["key_id"], u["secret"]))
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(json.loads(out.stdout)["OpenIDConnectProviderList"], [{"Arn": GITHUB_ARN}])

    def test_tag_conditions_on_the_provider(self):
        """iam:ResourceTag works for providers as for other taggable IAM resources."""
        self.github(Tags=[{"Key": "owner", "Value": "ci"}])
        self.iam.create_open_id_connect_provider(Url="https://other.example.com")
        policy = fx.document(fx.allow("iam:AddClientIDToOpenIDConnectProvider", "*",
                                      Condition={"StringEquals": {"aws:ResourceTag/owner": "ci"}}))
        u = fx.create_user_with_key(self.iam, "tagged", inline=policy)
        iam = self.server.client(key_id=u["key_id"], secret=u["secret"])
        iam.add_client_id_to_open_id_connect_provider(OpenIDConnectProviderArn=GITHUB_ARN,
                                                      ClientID="app")
        other = provider_arn("other.example.com")
        self.assertRefused(iam.add_client_id_to_open_id_connect_provider, 403, "AccessDenied",
                           fx.denied(u["arn"], "iam:AddClientIDToOpenIDConnectProvider", other),
                           OpenIDConnectProviderArn=other, ClientID="app")


if __name__ == "__main__":
    unittest.main()
