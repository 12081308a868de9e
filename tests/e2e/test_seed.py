"""The seed page, run verbatim through the real AWS CLI v2 and v1, leaves AWS's state.

Each CLI gets its own fresh server: tests/seed/run-seed.sh runs unmodified (ENDPOINT and
AWS_CLI in its environment), then boto3 and raw signed HTTP check what AWS would have:
IDs of the right shape, ARNs, the profiles holding their roles, the five attachments in
attach order, AttachmentCount, ListEntitiesForPolicy, the inline policy and the trust policy
returned byte for byte as the files hold them, and GetAccountAuthorizationDetails.  A third
server checks that tearing the seed down in reverse order leaves nothing behind.
"""

import json
import re
import sys
import unittest
import urllib.parse
import xml.etree.ElementTree as ET

import iamd_fixture as fx

ROLE_ID = re.compile(r"^AROA[A-Z2-7]{17}$")
PROFILE_ID = re.compile(r"^AIPA[A-Z2-7]{17}$")
ISO_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")
ROLES = ["ray-head", "ray-worker"]
NS = fx.IAM_NS


def arn(kind, name):
    return "arn:aws:iam::%s:%s/%s" % (fx.ACCOUNT_ID, kind, name)


def raw_document(text):
    """The document as the client stored it: one round of percent-decoding (not '+')."""
    return urllib.parse.unquote_to_bytes(text)


class SeedStateChecks:
    """The checks, shared by the v2 and v1 runs (mixed into a ServerTestCase)."""

    cli = None  # the AWS CLI executable to run the seed with

    @classmethod
    def setUpClass(cls):
        cli = cls.find_cli()
        super().setUpClass()
        cls.seed = fx.run_seed(cls.server, cli)
        if cls.seed.returncode != 0:  # every test would fail anyway: say why, once
            print(fx.seed_failure(cls.seed, cls.server), file=sys.stderr)

    def raw_ok(self, params):
        status, _, body = self.server.raw(params)
        self.assertEqual(status, 200, body)
        return body

    # ---- the script itself ------------------------------------------------------------

    def test_seed_script_exits_zero(self):
        self.assertEqual(self.seed.returncode, 0, fx.seed_failure(self.seed, self.server))

    def test_seed_prints_the_two_instance_profile_arns_last(self):
        lines = self.seed.stdout.splitlines()
        self.assertEqual(lines[-2:], [arn("instance-profile", "ray-head"),
                                      arn("instance-profile", "ray-worker")])

    def test_seed_writes_nothing_to_stderr(self):
        self.assertEqual(self.seed.stderr, "")

    def printed_documents(self):
        """The JSON documents the CLI printed before the two ARNs."""
        text = "\n".join(self.seed.stdout.splitlines()[:-2])
        decoder, docs, pos = json.JSONDecoder(), [], 0
        while text[pos:].strip():
            while text[pos].isspace():
                pos += 1
            doc, pos = decoder.raw_decode(text, pos)
            docs.append(doc)
        return docs

    def test_seed_prints_what_aws_returns_for_the_four_creates(self):
        # create-role, create-instance-profile (x2); add/attach/put print nothing.
        docs = self.printed_documents()
        self.assertEqual([list(d) for d in docs], [["Role"], ["InstanceProfile"]] * 2)

    def test_create_role_output_has_only_aws_fields(self):
        # aws-errors.md §2 "CreateRole": only Arn, AssumeRolePolicyDocument, CreateDate, Path,
        # RoleId, RoleName (no MaxSessionDuration, RoleLastUsed, Description, Tags).
        roles = [d["Role"] for d in self.printed_documents() if "Role" in d]
        self.assertEqual([sorted(r) for r in roles], [sorted([
            "Arn", "AssumeRolePolicyDocument", "CreateDate", "Path", "RoleId", "RoleName"])] * 2)
        self.assertEqual([r["RoleName"] for r in roles], ROLES)
        trust = json.loads(fx.seed_file("ray_trust_policy.json"))
        self.assertEqual([r["AssumeRolePolicyDocument"] for r in roles], [trust, trust])

    def test_create_instance_profile_output_has_only_aws_fields(self):
        # aws-errors.md §2 "Instance profile response shapes": CreateInstanceProfile has Arn,
        # CreateDate, InstanceProfileId, InstanceProfileName, Path, Roles: [] (Tags only if given).
        profiles = [d["InstanceProfile"] for d in self.printed_documents()
                    if "InstanceProfile" in d]
        self.assertEqual([sorted(p) for p in profiles], [sorted([
            "Arn", "CreateDate", "InstanceProfileId", "InstanceProfileName", "Path", "Roles"])] * 2)
        self.assertEqual([p["Roles"] for p in profiles], [[], []])

    # ---- roles ------------------------------------------------------------------------

    def test_role_ids_have_aws_shape(self):
        ids = [self.iam.get_role(RoleName=r)["Role"]["RoleId"] for r in ROLES]
        for role_id in ids:
            self.assertRegex(role_id, ROLE_ID)
        self.assertNotEqual(ids[0], ids[1])

    def test_role_arns_paths_and_names(self):
        for name in ROLES:
            role = self.iam.get_role(RoleName=name)["Role"]
            self.assertEqual((role["RoleName"], role["Path"], role["Arn"]),
                             (name, "/", arn("role", name)))

    def test_get_role_has_aws_defaults(self):
        # aws-errors.md §2 "GetRole": MaxSessionDuration 3600, RoleLastUsed {}, no
        # Description, no Tags when none.
        role = self.iam.get_role(RoleName="ray-head")["Role"]
        self.assertEqual(role["MaxSessionDuration"], 3600)
        self.assertEqual(role["RoleLastUsed"], {})
        self.assertNotIn("Description", role)
        self.assertNotIn("Tags", role)

    def test_create_dates_are_iso_utc_with_z_on_the_wire(self):
        body = self.raw_ok({"Action": "GetRole", "RoleName": "ray-head"})
        self.assertRegex(fx.xml_text(body, "GetRoleResult/Role/CreateDate"), ISO_Z)

    def test_list_roles_items_have_no_last_used_tags_or_boundary(self):
        # aws-errors.md §2 "ListRoles items": Arn, AssumeRolePolicyDocument, CreateDate,
        # [Description], MaxSessionDuration, Path, RoleId, RoleName.
        for role in self.iam.list_roles()["Roles"]:
            self.assertEqual(sorted(role), sorted([
                "Arn", "AssumeRolePolicyDocument", "CreateDate", "MaxSessionDuration", "Path",
                "RoleId", "RoleName"]))

    def test_list_roles_lists_both(self):
        roles = self.iam.list_roles()
        self.assertEqual(sorted(r["RoleName"] for r in roles["Roles"]), ROLES)
        self.assertFalse(roles["IsTruncated"])

    def test_trust_policy_parsed_equals_file(self):
        expected = json.loads(fx.seed_file("ray_trust_policy.json"))
        for name in ROLES:
            self.assertEqual(self.iam.get_role(RoleName=name)["Role"]["AssumeRolePolicyDocument"],
                             expected)

    def test_trust_policy_raw_in_get_role_is_the_file_byte_for_byte(self):
        expected = fx.seed_file("ray_trust_policy.json")
        for name in ROLES:
            body = self.raw_ok({"Action": "GetRole", "RoleName": name})
            self.assertEqual(raw_document(
                fx.xml_text(body, "GetRoleResult/Role/AssumeRolePolicyDocument")), expected)

    def test_trust_policy_raw_in_list_roles_is_the_file_byte_for_byte(self):
        expected = fx.seed_file("ray_trust_policy.json")
        body = self.raw_ok({"Action": "ListRoles"})
        docs = [m.findtext(NS + "AssumeRolePolicyDocument")
                for m in ET.fromstring(body).iter(NS + "member")]
        self.assertEqual([raw_document(d) for d in docs], [expected, expected])

    # ---- instance profiles ------------------------------------------------------------

    def test_instance_profile_ids_have_aws_shape(self):
        ids = [self.iam.get_instance_profile(InstanceProfileName=p)["InstanceProfile"]
               ["InstanceProfileId"] for p in ROLES]
        for profile_id in ids:
            self.assertRegex(profile_id, PROFILE_ID)
        self.assertNotEqual(ids[0], ids[1])

    def test_instance_profile_arns(self):
        for name in ROLES:
            p = self.iam.get_instance_profile(InstanceProfileName=name)["InstanceProfile"]
            self.assertEqual((p["InstanceProfileName"], p["Path"], p["Arn"]),
                             (name, "/", arn("instance-profile", name)))

    def test_each_profile_holds_its_own_role(self):
        for name in ROLES:
            p = self.iam.get_instance_profile(InstanceProfileName=name)["InstanceProfile"]
            role = self.iam.get_role(RoleName=name)["Role"]
            self.assertEqual([(r["RoleName"], r["RoleId"], r["Arn"]) for r in p["Roles"]],
                             [(name, role["RoleId"], role["Arn"])])

    def test_roles_nested_in_profiles_have_aws_fields_only(self):
        # aws-errors.md §2 "Instance profile response shapes": nested roles carry Arn,
        # AssumeRolePolicyDocument, CreateDate, Path, RoleId, RoleName only.
        for name in ROLES:
            p = self.iam.get_instance_profile(InstanceProfileName=name)["InstanceProfile"]
            self.assertEqual(sorted(p["Roles"][0]), sorted([
                "Arn", "AssumeRolePolicyDocument", "CreateDate", "Path", "RoleId", "RoleName"]))

    def test_list_instance_profiles_items_have_no_tags(self):
        for p in self.iam.list_instance_profiles()["InstanceProfiles"]:
            self.assertEqual(sorted(p), sorted([
                "Arn", "CreateDate", "InstanceProfileId", "InstanceProfileName", "Path", "Roles"]))

    def test_get_instance_profile_has_empty_tags(self):
        # aws-errors.md §2 "Instance profile response shapes": GetInstanceProfile always Tags: [].
        p = self.iam.get_instance_profile(InstanceProfileName="ray-head")["InstanceProfile"]
        self.assertEqual(p.get("Tags"), [])

    def test_list_instance_profiles_for_role(self):
        for name in ROLES:
            got = self.iam.list_instance_profiles_for_role(RoleName=name)["InstanceProfiles"]
            self.assertEqual([p["InstanceProfileName"] for p in got], [name])

    def test_list_instance_profiles_lists_both(self):
        got = self.iam.list_instance_profiles()["InstanceProfiles"]
        self.assertEqual(sorted(p["InstanceProfileName"] for p in got), ROLES)

    # ---- managed policies -------------------------------------------------------------

    def test_head_has_the_five_attachments_in_attach_order(self):
        got = self.iam.list_attached_role_policies(RoleName="ray-head")
        self.assertEqual([p["PolicyArn"] for p in got["AttachedPolicies"]], fx.SEED_POLICY_ARNS)
        self.assertEqual([p["PolicyName"] for p in got["AttachedPolicies"]],
                         [a.rsplit("/", 1)[1] for a in fx.SEED_POLICY_ARNS])

    def test_worker_has_no_attachments(self):
        got = self.iam.list_attached_role_policies(RoleName="ray-worker")
        self.assertEqual(got["AttachedPolicies"], [])

    def test_attachment_count_is_one_on_each_of_the_five(self):
        for policy_arn in fx.SEED_POLICY_ARNS:
            with self.subTest(policy_arn):
                self.assertEqual(
                    self.iam.get_policy(PolicyArn=policy_arn)["Policy"]["AttachmentCount"], 1)

    def test_list_entities_for_policy_lists_ray_head(self):
        head_id = self.iam.get_role(RoleName="ray-head")["Role"]["RoleId"]
        for policy_arn in fx.SEED_POLICY_ARNS:
            with self.subTest(policy_arn):
                got = self.iam.list_entities_for_policy(PolicyArn=policy_arn)
                self.assertEqual(got["PolicyRoles"], [{"RoleName": "ray-head", "RoleId": head_id}])
                self.assertEqual(got["PolicyUsers"], [])
                self.assertEqual(got["PolicyGroups"], [])

    def test_only_attached_policies_are_the_five(self):
        pages = self.iam.get_paginator("list_policies").paginate(OnlyAttached=True)
        got = [p["Arn"] for page in pages for p in page["Policies"]]
        self.assertEqual(sorted(got), sorted(fx.SEED_POLICY_ARNS))

    # ---- the inline policy ------------------------------------------------------------

    def test_inline_policy_names(self):
        self.assertEqual(self.iam.list_role_policies(RoleName="ray-head")["PolicyNames"],
                         [fx.SEED_INLINE_POLICY])
        self.assertEqual(self.iam.list_role_policies(RoleName="ray-worker")["PolicyNames"], [])

    def test_inline_policy_parsed_equals_file(self):
        got = self.iam.get_role_policy(RoleName="ray-head", PolicyName=fx.SEED_INLINE_POLICY)
        self.assertEqual((got["RoleName"], got["PolicyName"]),
                         ("ray-head", fx.SEED_INLINE_POLICY))
        self.assertEqual(got["PolicyDocument"],
                         json.loads(fx.seed_file("ray_pass_role_policy.json")))

    def test_inline_policy_raw_is_the_file_byte_for_byte(self):
        body = self.raw_ok({"Action": "GetRolePolicy", "RoleName": "ray-head",
                            "PolicyName": fx.SEED_INLINE_POLICY})
        raw = fx.xml_text(body, "GetRolePolicyResult/PolicyDocument")
        self.assertNotIn("+", raw, "spaces must be %20 on the wire (AWS-WIRE.md)")
        self.assertEqual(raw_document(raw), fx.seed_file("ray_pass_role_policy.json"))

    # ---- GetAccountSummary ---------------------------------------------------------------

    def test_account_summary_counts_the_seed(self):
        # Through the CLI under test too: its parser must read the SummaryMap entries.
        out = self.server.run_cli(self.find_cli(), "iam", "get-account-summary")
        self.assertEqual(out.returncode, 0, out.stderr)
        summary = json.loads(out.stdout)["SummaryMap"]
        self.assertEqual(summary, self.iam.get_account_summary()["SummaryMap"])
        # Two roles and their two profiles; five AWS managed policies attached once each;
        # no customer managed policy, user or group. Quotas: AWS's defaults, as enforced.
        self.assertEqual({k: summary[k] for k in (
            "Roles", "InstanceProfiles", "PolicyVersionsInUse", "Policies", "Users", "Groups")},
            {"Roles": 2, "InstanceProfiles": 2, "PolicyVersionsInUse": 5, "Policies": 0,
             "Users": 0, "Groups": 0})
        self.assertEqual({k: summary[k] for k in (
            "AttachedPoliciesPerRoleQuota", "RolePolicySizeQuota", "AssumeRolePolicySizeQuota",
            "PolicySizeQuota", "VersionsPerPolicyQuota", "AccessKeysPerUserQuota",
            "GroupsPerUserQuota")},
            {"AttachedPoliciesPerRoleQuota": 10, "RolePolicySizeQuota": 10240,
             "AssumeRolePolicySizeQuota": 2048, "PolicySizeQuota": 6144,
             "VersionsPerPolicyQuota": 5, "AccessKeysPerUserQuota": 2, "GroupsPerUserQuota": 10})
        self.assertEqual(len(summary), 33)

    # ---- GetAccountAuthorizationDetails -----------------------------------------------

    def gaad(self, **kwargs):
        pages = self.iam.get_paginator("get_account_authorization_details").paginate(**kwargs)
        return pages.build_full_result()

    def test_gaad_role_details(self):
        details = {r["RoleName"]: r for r in self.gaad()["RoleDetailList"]}
        self.assertEqual(sorted(details), ROLES)
        trust = json.loads(fx.seed_file("ray_trust_policy.json"))
        head, worker = details["ray-head"], details["ray-worker"]
        for name, d in details.items():
            role = self.iam.get_role(RoleName=name)["Role"]
            self.assertEqual((d["RoleId"], d["Arn"], d["Path"]),
                             (role["RoleId"], role["Arn"], "/"))
            self.assertEqual(d["AssumeRolePolicyDocument"], trust)
            self.assertEqual([p["InstanceProfileName"] for p in d["InstanceProfileList"]], [name])
            self.assertEqual([r["RoleName"] for r in d["InstanceProfileList"][0]["Roles"]], [name])
            self.assertEqual(d["Tags"], [])
            self.assertEqual(d["RoleLastUsed"], {})
        self.assertEqual([p["PolicyArn"] for p in head["AttachedManagedPolicies"]],
                         fx.SEED_POLICY_ARNS)
        self.assertEqual(head["RolePolicyList"], [{
            "PolicyName": fx.SEED_INLINE_POLICY,
            "PolicyDocument": json.loads(fx.seed_file("ray_pass_role_policy.json"))}])
        self.assertEqual(worker["AttachedManagedPolicies"], [])
        self.assertEqual(worker["RolePolicyList"], [])

    def test_gaad_role_details_have_aws_fields_only(self):
        # aws-errors.md §2 "GetAccountAuthorizationDetails shapes": RoleDetail has no
        # Description and no MaxSessionDuration; its instance profiles have no Tags.
        for d in self.gaad(Filter=["Role"])["RoleDetailList"]:
            self.assertEqual(sorted(d), sorted([
                "Arn", "AssumeRolePolicyDocument", "AttachedManagedPolicies", "CreateDate",
                "InstanceProfileList", "Path", "RoleId", "RoleLastUsed", "RoleName",
                "RolePolicyList", "Tags"]))
            self.assertNotIn("Tags", d["InstanceProfileList"][0])

    def test_gaad_aws_policy_lists_its_default_version_first(self):
        # aws-errors.md §2 GAAD "Policies item": AmazonS3FullAccess DefaultVersionId v2,
        # PolicyVersionList [v2 (default), v1]. The catalog the project ships keeps only the
        # default version's document, so only the head of the list is checked.
        policies = {p["Arn"]: p for p in self.gaad(Filter=["AWSManagedPolicy"])["Policies"]}
        s3 = policies["arn:aws:iam::aws:policy/AmazonS3FullAccess"]
        self.assertEqual(s3["DefaultVersionId"], "v2")
        head = s3["PolicyVersionList"][0]
        self.assertEqual((head["VersionId"], head["IsDefaultVersion"]), ("v2", True))
        self.assertEqual(head["Document"], {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": ["s3:*", "s3-object-lambda:*"], "Resource": "*"}]})

    def test_gaad_documents_raw_are_the_files_byte_for_byte(self):
        body = self.raw_ok({"Action": "GetAccountAuthorizationDetails", "Filter.member.1": "Role"})
        root = ET.fromstring(body)
        roles = root.find(NS + "GetAccountAuthorizationDetailsResult").find(NS + "RoleDetailList")
        seen = {}
        for member in roles.findall(NS + "member"):
            name = member.findtext(NS + "RoleName")
            seen[name] = raw_document(member.findtext(NS + "AssumeRolePolicyDocument"))
            if name == "ray-head":
                inline = member.find(NS + "RolePolicyList").find(NS + "member")
                self.assertEqual(raw_document(inline.findtext(NS + "PolicyDocument")),
                                 fx.seed_file("ray_pass_role_policy.json"))
        trust = fx.seed_file("ray_trust_policy.json")
        self.assertEqual(seen, {"ray-head": trust, "ray-worker": trust})

    def test_gaad_policies_filter_shows_the_five_aws_policies_attached_once(self):
        result = self.gaad(Filter=["AWSManagedPolicy"])
        attached = {p["Arn"]: p["AttachmentCount"] for p in result["Policies"]
                    if p["AttachmentCount"]}
        self.assertEqual(attached, {a: 1 for a in fx.SEED_POLICY_ARNS})

    def test_gaad_has_no_users_groups_or_local_policies(self):
        result = self.gaad()
        self.assertEqual(result["UserDetailList"], [])
        self.assertEqual(result["GroupDetailList"], [])
        self.assertEqual(self.gaad(Filter=["LocalManagedPolicy"])["Policies"], [])


class SeedWithCliV2Test(SeedStateChecks, fx.ServerTestCase):
    @classmethod
    def find_cli(cls):
        return fx.AWS_CLI_V2


class SeedWithCliV1Test(SeedStateChecks, fx.ServerTestCase):
    @classmethod
    def find_cli(cls):
        cli = fx.find_aws_cli_v1()
        if cli is None:
            raise unittest.SkipTest("AWS CLI v1 (aws in the image's Python) is not installed")
        return cli


class SeedTeardownTest(fx.ServerTestCase):
    """Teardown in reverse order: detach, delete inline, remove roles from profiles, delete
    profiles, delete roles -- leaves nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.seed = fx.run_seed(cls.server, fx.AWS_CLI_V2)

    def test_teardown_in_reverse_order_leaves_nothing(self):
        self.assertEqual(self.seed.returncode, 0, fx.seed_failure(self.seed, self.server))
        iam = self.iam
        for policy_arn in reversed(fx.SEED_POLICY_ARNS):
            iam.detach_role_policy(RoleName="ray-head", PolicyArn=policy_arn)
        iam.delete_role_policy(RoleName="ray-head", PolicyName=fx.SEED_INLINE_POLICY)
        for name in reversed(ROLES):
            iam.remove_role_from_instance_profile(InstanceProfileName=name, RoleName=name)
        for name in reversed(ROLES):
            iam.delete_instance_profile(InstanceProfileName=name)
        for name in reversed(ROLES):
            iam.delete_role(RoleName=name)

        roles = iam.list_roles()
        self.assertEqual((roles["Roles"], roles["IsTruncated"]), ([], False))
        profiles = iam.list_instance_profiles()
        self.assertEqual((profiles["InstanceProfiles"], profiles["IsTruncated"]), ([], False))
        for policy_arn in fx.SEED_POLICY_ARNS:
            self.assertEqual(iam.get_policy(PolicyArn=policy_arn)["Policy"]["AttachmentCount"], 0)
            self.assertEqual(iam.list_entities_for_policy(PolicyArn=policy_arn)["PolicyRoles"], [])
        self.assertEqual(iam.list_policies(OnlyAttached=True)["Policies"], [])
        gaad = iam.get_account_authorization_details()
        self.assertEqual(gaad["RoleDetailList"], [])


if __name__ == "__main__":
    unittest.main()
