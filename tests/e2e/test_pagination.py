"""Pagination (MaxItems, Marker, IsTruncated) and PathPrefix on the List operations.

AWS's rules (shared/AWS-WIRE.md "Pagination", notes/aws-errors.md §2 "ListRoles" and §2.0
"IsTruncated/Marker"): IsTruncated is always present and true only when another page exists;
Marker is present only then; a non-matching PathPrefix gives an empty list; PathPrefix is a
plain string prefix (§2 "ListUsers(PathPrefix="/test-life")"). ListPolicies Scope=AWS lists the
1,485 AWS managed policies of shared/data/aws-managed-policies.json.
"""

import json
import os
import unittest
import xml.etree.ElementTree as ET

import botocore.exceptions

import iamd_fixture as fx

TRUST = fx.seed_file("ray_trust_policy.json").decode()
POLICY = ('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject",'
          '"Resource":"*"}]}')
AWS_MANAGED_POLICY_COUNT = 1485


def names(items, key):
    return [i[key] for i in items]


class ListRolesPagingTest(fx.ServerTestCase):
    ROLES = ["role-%02d" % i for i in range(7)]  # created in name order

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for name in cls.ROLES:
            cls.iam.create_role(RoleName=name, AssumeRolePolicyDocument=TRUST)

    def pages(self, max_items):
        out, marker = [], None
        while True:
            kwargs = {"MaxItems": max_items}
            if marker:
                kwargs["Marker"] = marker
            page = self.iam.list_roles(**kwargs)
            out.append(page)
            if not page["IsTruncated"]:
                return out
            marker = page["Marker"]
            self.assertLess(len(out), 20, "pagination does not end")

    def test_pages_of_3_have_3_3_1_roles(self):
        self.assertEqual([len(p["Roles"]) for p in self.pages(3)], [3, 3, 1])

    def test_is_truncated_only_when_more_follow(self):
        self.assertEqual([p["IsTruncated"] for p in self.pages(3)], [True, True, False])

    def test_marker_only_on_truncated_pages(self):
        self.assertEqual(["Marker" in p for p in self.pages(3)], [True, True, False])

    def test_pages_cover_every_role_once_in_order(self):
        got = [r["RoleName"] for p in self.pages(3) for r in p["Roles"]]
        self.assertEqual(got, self.ROLES)

    def test_last_page_has_no_marker_element_on_the_wire(self):
        first = self.iam.list_roles(MaxItems=6)
        status, _, body = self.server.raw({"Action": "ListRoles", "MaxItems": "6",
                                           "Marker": first["Marker"]})
        self.assertEqual(status, 200, body)
        result = ET.fromstring(body).find(fx.IAM_NS + "ListRolesResult")
        self.assertEqual(result.findtext(fx.IAM_NS + "IsTruncated"), "false")
        self.assertIsNone(result.find(fx.IAM_NS + "Marker"))
        self.assertEqual(len(result.find(fx.IAM_NS + "Roles").findall(fx.IAM_NS + "member")), 1)

    def test_marker_survives_a_delete_of_an_already_listed_role(self):
        # A marker names a place in the list, not an offset: deleting a role that was on the
        # first page neither skips nor repeats anything on the next.
        iam = self.iam
        for name in ["mk-a", "mk-b", "mk-c", "mk-d", "mk-e"]:
            iam.create_role(RoleName=name, Path="/marker/", AssumeRolePolicyDocument=TRUST)
        try:
            first = iam.list_roles(PathPrefix="/marker/", MaxItems=2)
            self.assertEqual(names(first["Roles"], "RoleName"), ["mk-a", "mk-b"])
            iam.delete_role(RoleName="mk-a")
            rest = iam.list_roles(PathPrefix="/marker/", MaxItems=10, Marker=first["Marker"])
            self.assertEqual(names(rest["Roles"], "RoleName"), ["mk-c", "mk-d", "mk-e"])
        finally:
            for name in ["mk-a", "mk-b", "mk-c", "mk-d", "mk-e"]:
                try:
                    iam.delete_role(RoleName=name)
                except botocore.exceptions.ClientError:
                    pass

    def test_max_items_equal_to_the_count_is_not_truncated(self):
        page = self.iam.list_roles(MaxItems=7)
        self.assertEqual((len(page["Roles"]), page["IsTruncated"], "Marker" in page),
                         (7, False, False))

    def test_no_max_items_lists_all(self):
        page = self.iam.list_roles()
        self.assertEqual((names(page["Roles"], "RoleName"), page["IsTruncated"]),
                         (self.ROLES, False))

    def test_max_items_0_is_a_validation_error(self):
        # Form: aws-errors.md §1.C; constraint: botocore model maxItemsType (min 1, max 1000).
        raw = self.server.client(validate=False)
        with self.assertRaises(botocore.exceptions.ClientError) as ctx:
            raw.list_roles(MaxItems=0)
        err = ctx.exception.response
        self.assertEqual((err["Error"]["Code"], err["ResponseMetadata"]["HTTPStatusCode"],
                          err["Error"]["Message"]),
                         ("ValidationError", 400, "1 validation error detected: Value at "
                          "'maxItems' failed to satisfy constraint: Member must have value "
                          "greater than or equal to 1"))

    def test_max_items_1001_is_a_validation_error(self):
        raw = self.server.client(validate=False)
        with self.assertRaises(botocore.exceptions.ClientError) as ctx:
            raw.list_roles(MaxItems=1001)
        err = ctx.exception.response
        self.assertEqual((err["Error"]["Code"], err["ResponseMetadata"]["HTTPStatusCode"],
                          err["Error"]["Message"]),
                         ("ValidationError", 400, "1 validation error detected: Value at "
                          "'maxItems' failed to satisfy constraint: Member must have value "
                          "less than or equal to 1000"))


class PathPrefixTest(fx.ServerTestCase):
    PATHS = {"root": "/", "a": "/a/", "ab": "/a/b/", "abc": "/abc/", "x": "/x/"}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for name, path in cls.PATHS.items():
            cls.iam.create_role(RoleName="r-" + name, Path=path, AssumeRolePolicyDocument=TRUST)
            cls.iam.create_instance_profile(InstanceProfileName="p-" + name, Path=path)
            cls.iam.create_policy(PolicyName="m-" + name, Path=path, PolicyDocument=POLICY)

    def roles(self, prefix, **kw):
        page = self.iam.list_roles(PathPrefix=prefix, **kw)
        return sorted(names(page["Roles"], "RoleName")), page["IsTruncated"]

    def test_list_roles_path_prefix_whole_segment(self):
        self.assertEqual(self.roles("/a/"), (["r-a", "r-ab"], False))

    def test_list_roles_path_prefix_is_a_plain_string_prefix(self):
        self.assertEqual(self.roles("/a"), (["r-a", "r-ab", "r-abc"], False))

    def test_list_roles_path_prefix_slash_lists_all(self):
        self.assertEqual(self.roles("/"), (sorted("r-" + n for n in self.PATHS), False))

    def test_list_roles_path_prefix_matching_nothing(self):
        page = self.iam.list_roles(PathPrefix="/nothing/")
        self.assertEqual((page["Roles"], page["IsTruncated"], "Marker" in page), ([], False, False))

    def test_list_roles_path_prefix_with_pagination(self):
        first = self.iam.list_roles(PathPrefix="/a", MaxItems=2)
        self.assertEqual((len(first["Roles"]), first["IsTruncated"]), (2, True))
        rest = self.iam.list_roles(PathPrefix="/a", MaxItems=2, Marker=first["Marker"])
        self.assertEqual((len(rest["Roles"]), rest["IsTruncated"], "Marker" in rest),
                         (1, False, False))
        self.assertEqual(sorted(names(first["Roles"] + rest["Roles"], "RoleName")),
                         ["r-a", "r-ab", "r-abc"])

    def test_list_instance_profiles_path_prefix(self):
        page = self.iam.list_instance_profiles(PathPrefix="/a/")
        self.assertEqual(sorted(names(page["InstanceProfiles"], "InstanceProfileName")),
                         ["p-a", "p-ab"])
        page = self.iam.list_instance_profiles(PathPrefix="/x/")
        self.assertEqual(names(page["InstanceProfiles"], "InstanceProfileName"), ["p-x"])
        self.assertEqual(self.iam.list_instance_profiles(PathPrefix="/zz/")["InstanceProfiles"], [])

    def test_list_local_policies_path_prefix(self):
        page = self.iam.list_policies(Scope="Local", PathPrefix="/a/")
        self.assertEqual(sorted(names(page["Policies"], "PolicyName")), ["m-a", "m-ab"])
        self.assertEqual(self.iam.list_policies(Scope="Local", PathPrefix="/zz/")["Policies"], [])

    def test_list_policies_path_prefix_must_end_with_a_slash(self):
        # Unlike ListRoles' pathPrefixType, ListPolicies' PathPrefix is a policyPathType in the
        # botocore model; message form: aws-errors.md §1.C.
        raw = self.server.client(validate=False)
        with self.assertRaises(botocore.exceptions.ClientError) as ctx:
            raw.list_policies(Scope="Local", PathPrefix="/a")
        err = ctx.exception.response
        self.assertEqual((err["Error"]["Code"], err["ResponseMetadata"]["HTTPStatusCode"],
                          err["Error"]["Message"]),
                         ("ValidationError", 400, "1 validation error detected: Value at "
                          "'pathPrefix' failed to satisfy constraint: Member must satisfy regular "
                          "expression pattern: ((/[A-Za-z0-9\\.,\\+@=_-]+)*)/"))

    def test_list_policies_path_prefix_reaches_aws_managed_paths(self):
        pages = self.iam.get_paginator("list_policies").paginate(
            Scope="AWS", PathPrefix="/job-function/").build_full_result()
        self.assertIn("arn:aws:iam::aws:policy/job-function/SystemAdministrator",
                      names(pages["Policies"], "Arn"))
        for p in pages["Policies"]:
            self.assertEqual(p["Path"], "/job-function/")

    def test_arns_carry_the_path(self):
        role = self.iam.get_role(RoleName="r-ab")["Role"]
        self.assertEqual(role["Arn"], "arn:aws:iam::%s:role/a/b/r-ab" % fx.ACCOUNT_ID)
        profile = self.iam.get_instance_profile(InstanceProfileName="p-ab")["InstanceProfile"]
        self.assertEqual(profile["Arn"], "arn:aws:iam::%s:instance-profile/a/b/p-ab" % fx.ACCOUNT_ID)
        page = self.iam.list_policies(Scope="Local", PathPrefix="/a/b/")
        self.assertEqual(names(page["Policies"], "Arn"),
                         ["arn:aws:iam::%s:policy/a/b/m-ab" % fx.ACCOUNT_ID])


class PaginatorTest(fx.ServerTestCase):
    COUNT = 250

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.names = ["many-%03d" % i for i in range(cls.COUNT)]
        for name in cls.names:
            cls.iam.create_role(RoleName=name, AssumeRolePolicyDocument=TRUST)

    def test_paginator_default_pages_are_100_100_50(self):
        pages = list(self.iam.get_paginator("list_roles").paginate())
        self.assertEqual([len(p["Roles"]) for p in pages], [100, 100, 50])

    def test_paginator_yields_every_role_once(self):
        pages = self.iam.get_paginator("list_roles").paginate(PaginationConfig={"PageSize": 7})
        got = [r["RoleName"] for p in pages for r in p["Roles"]]
        self.assertEqual(sorted(got), self.names)
        self.assertEqual(len(got), len(set(got)))

    def test_paginator_max_items_resumes_with_starting_token(self):
        paginator = self.iam.get_paginator("list_roles")
        first = paginator.paginate(PaginationConfig={"MaxItems": 120, "PageSize": 50})
        first = first.build_full_result()
        self.assertEqual(len(first["Roles"]), 120)
        rest = paginator.paginate(PaginationConfig={"StartingToken": first["NextToken"],
                                                    "PageSize": 50}).build_full_result()
        got = names(first["Roles"] + rest["Roles"], "RoleName")
        self.assertEqual(sorted(got), self.names)
        self.assertEqual(len(got), self.COUNT)

    def test_role_ids_are_unique_and_aws_shaped(self):
        roles = self.iam.get_paginator("list_roles").paginate().build_full_result()["Roles"]
        ids = [r["RoleId"] for r in roles]
        self.assertEqual(len(set(ids)), len(ids))
        for role_id in ids:
            self.assertRegex(role_id, r"^AROA[A-Z2-7]{17}$")

    def test_max_items_1000_lists_all_250_in_one_page(self):
        page = self.iam.list_roles(MaxItems=1000)
        self.assertEqual((len(page["Roles"]), page["IsTruncated"]), (self.COUNT, False))

    def test_list_instance_profiles_for_many_profiles_pages(self):
        # A handful of profiles, paged by 2.
        for i in range(5):
            self.iam.create_instance_profile(InstanceProfileName="prof-%d" % i)
        pages = list(self.iam.get_paginator("list_instance_profiles").paginate(
            PathPrefix="/", PaginationConfig={"PageSize": 2}))
        self.assertEqual([len(p["InstanceProfiles"]) for p in pages], [2, 2, 1])


class AwsManagedPoliciesTest(fx.ServerTestCase):

    def test_scope_aws_lists_1485_policies(self):
        result = self.iam.get_paginator("list_policies").paginate(Scope="AWS").build_full_result()
        arns = names(result["Policies"], "Arn")
        self.assertEqual(len(arns), AWS_MANAGED_POLICY_COUNT)
        self.assertEqual(len(set(arns)), AWS_MANAGED_POLICY_COUNT)
        for arn in arns:
            self.assertTrue(arn.startswith("arn:aws:iam::aws:policy/"), arn)

    def test_scope_aws_max_items_5(self):
        # §2 "AWS-managed policy shapes": MaxItems=5 → IsTruncated, Marker, 5 items.
        page = self.iam.list_policies(Scope="AWS", MaxItems=5)
        self.assertEqual((len(page["Policies"]), page["IsTruncated"], "Marker" in page),
                         (5, True, True))

    def test_scope_all_is_aws_plus_local(self):
        self.iam.create_policy(PolicyName="mine", PolicyDocument=POLICY)
        everything = self.iam.get_paginator("list_policies").paginate().build_full_result()
        self.assertEqual(len(everything["Policies"]), AWS_MANAGED_POLICY_COUNT + 1)
        local = self.iam.list_policies(Scope="Local")["Policies"]
        self.assertEqual(names(local, "PolicyName"), ["mine"])

    def test_every_catalog_policy_is_listed_with_its_metadata(self):
        # The project's copy of shared/data/aws-managed-policies.json.
        with open(os.path.join(fx.SOURCE_DIR, "resources", "aws-managed-policies.json")) as f:
            catalog = {p["Arn"]: p for p in json.load(f)}
        result = self.iam.get_paginator("list_policies").paginate(Scope="AWS").build_full_result()
        listed = {p["Arn"]: p for p in result["Policies"]}
        self.assertEqual(sorted(listed), sorted(catalog))
        wrong = []
        for arn, want in catalog.items():
            got = listed[arn]
            if ((got["PolicyName"], got["Path"], got["DefaultVersionId"], got["IsAttachable"],
                 got["AttachmentCount"]) !=
                    (want["PolicyName"], want["Path"], want["DefaultVersionId"], True, 0)):
                wrong.append(arn)
            for key in ("CreateDate", "UpdateDate"):
                if got[key].isoformat() != want[key]:
                    wrong.append("%s %s %s != %s" % (arn, key, got[key].isoformat(), want[key]))
        self.assertEqual(wrong, [])

    def test_default_version_documents_are_the_catalog_documents(self):
        with open(os.path.join(fx.SOURCE_DIR, "resources", "aws-managed-policies.json")) as f:
            catalog = json.load(f)
        for want in catalog[::50] + [p for p in catalog if p["Arn"] in fx.SEED_POLICY_ARNS]:
            with self.subTest(want["Arn"]):
                got = self.iam.get_policy_version(PolicyArn=want["Arn"],
                                                  VersionId=want["DefaultVersionId"])
                self.assertEqual(got["PolicyVersion"]["Document"], want["Document"])
                self.assertTrue(got["PolicyVersion"]["IsDefaultVersion"])

    def test_get_aws_managed_policy_has_empty_tags(self):
        # aws-errors.md §2 "AWS-managed policy shapes": GetPolicy(IAMUserChangePassword) has
        # DefaultVersionId v5, Path /, IsAttachable true, Tags [].
        p = self.iam.get_policy(PolicyArn="arn:aws:iam::aws:policy/IAMUserChangePassword")["Policy"]
        self.assertEqual((p["DefaultVersionId"], p["Path"], p["IsAttachable"], p.get("Tags")),
                         ("v5", "/", True, []))

    def test_aws_managed_policy_ids_are_stable_across_calls(self):
        a = self.iam.get_policy(PolicyArn=fx.SEED_POLICY_ARNS[0])["Policy"]
        b = self.iam.list_policies(Scope="AWS", PathPrefix="/", MaxItems=1000)
        ids = {p["Arn"]: p["PolicyId"] for p in b["Policies"]}
        self.assertRegex(a["PolicyId"], r"^ANPA[A-Z2-7]{17}$")
        if a["Arn"] in ids:
            self.assertEqual(ids[a["Arn"]], a["PolicyId"])


class EveryListPagesTest(fx.ServerTestCase):
    """Every List operation around the seed honours MaxItems=1 and Marker."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        iam = cls.iam
        iam.create_role(RoleName="paged", AssumeRolePolicyDocument=TRUST)
        for name in ["ip-1", "ip-2", "ip-3"]:
            iam.create_instance_profile(InstanceProfileName=name)
        iam.add_role_to_instance_profile(InstanceProfileName="ip-1", RoleName="paged")
        for arn in fx.SEED_POLICY_ARNS[:3]:
            iam.attach_role_policy(RoleName="paged", PolicyArn=arn)
        for name in ["inline-1", "inline-2", "inline-3"]:
            iam.put_role_policy(RoleName="paged", PolicyName=name, PolicyDocument=POLICY)
        iam.tag_role(RoleName="paged", Tags=[{"Key": "k%d" % i, "Value": "v"} for i in range(3)])
        iam.tag_instance_profile(InstanceProfileName="ip-1",
                                 Tags=[{"Key": "k%d" % i, "Value": "v"} for i in range(3)])
        cls.policy = iam.create_policy(PolicyName="versions", PolicyDocument=POLICY,
                                       Tags=[{"Key": "k%d" % i, "Value": "v"} for i in range(3)]
                                       )["Policy"]["Arn"]
        for _ in range(2):
            iam.create_policy_version(PolicyArn=cls.policy, PolicyDocument=POLICY)
        for i in range(3):
            iam.create_role(RoleName="user-of-%d" % i, AssumeRolePolicyDocument=TRUST)
            iam.attach_role_policy(RoleName="user-of-%d" % i, PolicyArn=cls.policy)

    def page_by_one(self, method, key, **kwargs):
        call = getattr(self.iam, method)
        full = call(**kwargs)[key]
        got, marker, flags = [], None, []
        while True:
            page = call(MaxItems=1, **(dict(kwargs, Marker=marker) if marker else kwargs))
            got += page[key]
            flags.append(page["IsTruncated"])
            self.assertLessEqual(len(page[key]), 1)
            if not page["IsTruncated"]:
                self.assertNotIn("Marker", page)
                break
            marker = page["Marker"]
            self.assertLess(len(got), 50)
        self.assertEqual(got, full)
        self.assertEqual(flags, [True] * (len(full) - 1) + [False])
        return got

    def test_list_instance_profiles(self):
        self.assertEqual(len(self.page_by_one("list_instance_profiles", "InstanceProfiles")), 3)

    def test_list_instance_profiles_for_role(self):
        self.assertEqual(len(self.page_by_one("list_instance_profiles_for_role",
                                              "InstanceProfiles", RoleName="paged")), 1)

    def test_list_attached_role_policies(self):
        got = self.page_by_one("list_attached_role_policies", "AttachedPolicies", RoleName="paged")
        self.assertEqual(names(got, "PolicyArn"), fx.SEED_POLICY_ARNS[:3])

    def test_list_role_policies(self):
        got = self.page_by_one("list_role_policies", "PolicyNames", RoleName="paged")
        self.assertEqual(got, ["inline-1", "inline-2", "inline-3"])

    def test_list_role_tags(self):
        self.assertEqual(len(self.page_by_one("list_role_tags", "Tags", RoleName="paged")), 3)

    def test_list_instance_profile_tags(self):
        self.assertEqual(len(self.page_by_one("list_instance_profile_tags", "Tags",
                                              InstanceProfileName="ip-1")), 3)

    def test_list_policy_tags(self):
        self.assertEqual(len(self.page_by_one("list_policy_tags", "Tags",
                                              PolicyArn=self.policy)), 3)

    def test_list_policy_versions(self):
        got = self.page_by_one("list_policy_versions", "Versions", PolicyArn=self.policy)
        self.assertEqual(names(got, "VersionId"), ["v3", "v2", "v1"])

    def test_list_local_policies(self):
        self.assertEqual(len(self.page_by_one("list_policies", "Policies", Scope="Local")), 1)

    def test_list_entities_for_policy(self):
        got = self.page_by_one("list_entities_for_policy", "PolicyRoles", PolicyArn=self.policy)
        self.assertEqual(sorted(names(got, "RoleName")), ["user-of-0", "user-of-1", "user-of-2"])

    def test_get_account_authorization_details(self):
        got = self.page_by_one("get_account_authorization_details", "RoleDetailList",
                               Filter=["Role"])
        self.assertEqual(len(got), 4)


if __name__ == "__main__":
    unittest.main()
