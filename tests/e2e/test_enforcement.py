"""Enforcement on every IAM call, users and their access keys, secrets at rest (issue 4).

Users get access keys from root and then call iamd with them through boto3 and AWS CLI v2.
Every refusal is checked whole: 403, Type Sender, Code AccessDenied and AWS's exact message,
  "User: ARN is not authorized to perform: ACTION on resource: RESOURCE <ending>"
with the endings of shared/AWS-WIRE.md "AccessDenied" and notes/aws-errors.md "Any IAM
operation -- AccessDenied" (ListRoles names arn:aws:iam::ACCOUNT:role/, GetRole and
AttachRolePolicy name "role NAME", GetUser "user NAME", CreateRole the new role's ARN).
Access keys: notes/aws-errors.md "CreateAccessKey" (quota), "GetAccessKeyLastUsed", §2 "User /
access key / login profile shapes"; unknown, inactive and deleted keys are refused like an
unknown key (shared/AWS-WIRE.md "Refusals": InvalidClientTokenId).
"""

import base64
import configparser
import datetime
import json
import os
import stat
import subprocess
import unittest

import iamd_fixture as fx

ACCOUNT = fx.ACCOUNT_ID
INVALID_TOKEN = "The security token included in the request is invalid."
READ_ONLY = "arn:aws:iam::aws:policy/IAMReadOnlyAccess"
ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess"
TRUST_EC2 = fx.seed_file("ray_trust_policy.json").decode()


class EnforcementCase(fx.ServerTestCase):

    maxDiff = None

    def user(self, name, **kwargs):
        """A new user with one key (see fx.create_user_with_key) and its boto3 IAM client."""
        u = fx.create_user_with_key(self.iam, name, **kwargs)
        u["iam"] = self.server.client(key_id=u["key_id"], secret=u["secret"])
        u["sts"] = self.server.client("sts", key_id=u["key_id"], secret=u["secret"])
        return u

    def managed_policy(self, name, document):
        return self.iam.create_policy(PolicyName=name, PolicyDocument=document)["Policy"]["Arn"]

    def role(self, name, **kwargs):
        return self.iam.create_role(RoleName=name, AssumeRolePolicyDocument=TRUST_EC2,
                                    **kwargs)["Role"]

    def assertDenied(self, call, message, *args, **kwargs):
        self.assertEqual(fx.error_of(call, *args, **kwargs),
                         (403, "Sender", "AccessDenied", message))

    def role_names(self):
        return {r["RoleName"] for r in self.iam.list_roles(MaxItems=1000)["Roles"]}


class PolicyKindsTest(EnforcementCase):
    """Identity policies, groups, boundaries and the AWS endings for each refusal."""

    def test_user_without_policies_is_refused_list_roles(self):
        u = self.user("nobody")
        self.assertDenied(u["iam"].list_roles, fx.denied(
            fx.arn("user", "nobody"), "iam:ListRoles", fx.arn("role", "")))
        # The message, exactly as AWS words it for ListRoles:
        self.assertEqual(
            fx.denied(fx.arn("user", "nobody"), "iam:ListRoles", fx.arn("role", "")),
            "User: arn:aws:iam::123456789012:user/nobody is not authorized to perform: "
            "iam:ListRoles on resource: arn:aws:iam::123456789012:role/ because no "
            "identity-based policy allows the iam:ListRoles action")

    def test_user_without_policies_through_cli_v2(self):
        u = self.user("nobody-cli")
        out = self.server.run_cli(fx.AWS_CLI_V2, "iam", "list-roles",
                                  env=self.server.cli_env(u["key_id"], u["secret"]))
        self.assertEqual(out.returncode, 254, out.stderr)
        self.assertEqual(out.stderr.strip(),
                         "An error occurred (AccessDenied) when calling the ListRoles operation: "
                         + fx.denied(u["arn"], "iam:ListRoles", fx.arn("role", "")))
        self.assertEqual(out.stdout, "")

    def test_user_without_policies_is_refused_get_role_naming_the_role(self):
        self.role("target-of-get")
        u = self.user("nobody-get")
        self.assertDenied(u["iam"].get_role, fx.denied(
            u["arn"], "iam:GetRole", "role target-of-get"), RoleName="target-of-get")

    def test_read_only_user_lists_roles_but_cannot_create_one(self):
        self.role("visible-role")
        u = self.user("reader", managed=[READ_ONLY])
        names = {r["RoleName"] for r in u["iam"].list_roles()["Roles"]}
        self.assertIn("visible-role", names)
        self.assertEqual(u["iam"].get_role(RoleName="visible-role")["Role"]["RoleName"],
                         "visible-role")
        self.assertDenied(u["iam"].create_role, fx.denied(
            u["arn"], "iam:CreateRole", fx.arn("role", "reader-made")),
            RoleName="reader-made", AssumeRolePolicyDocument=TRUST_EC2)
        self.assertNotIn("reader-made", self.role_names())

    def test_refused_create_role_on_a_path_names_the_full_arn(self):
        u = self.user("reader-path", managed=[READ_ONLY])
        self.assertDenied(u["iam"].create_role, fx.denied(
            u["arn"], "iam:CreateRole", fx.arn("role", "service-role/pathed")),
            RoleName="pathed", Path="/service-role/", AssumeRolePolicyDocument=TRUST_EC2)

    def test_admin_with_read_only_boundary_cannot_create_a_role(self):
        boundary = self.managed_policy("get-list-only", fx.document(
            fx.allow(["iam:Get*", "iam:List*"])))
        self.role("bounded-visible")
        u = self.user("bounded-admin", managed=[ADMIN], boundary=boundary)
        self.assertIn("bounded-visible", {r["RoleName"] for r in u["iam"].list_roles()["Roles"]})
        u["iam"].get_role(RoleName="bounded-visible")
        self.assertDenied(u["iam"].create_role, fx.denied(
            u["arn"], "iam:CreateRole", fx.arn("role", "bounded-made"), "boundary"),
            RoleName="bounded-made", AssumeRolePolicyDocument=TRUST_EC2)
        self.assertNotIn("bounded-made", self.role_names())
        # Without the boundary the same user may.
        self.iam.delete_user_permissions_boundary(UserName="bounded-admin")
        u["iam"].create_role(RoleName="bounded-made", AssumeRolePolicyDocument=TRUST_EC2)
        self.assertIn("bounded-made", self.role_names())

    def test_boundary_alone_grants_nothing(self):
        boundary = self.managed_policy("boundary-all", fx.document(fx.allow("*")))
        u = self.user("boundary-only", boundary=boundary)
        self.assertDenied(u["iam"].list_roles, fx.denied(
            u["arn"], "iam:ListRoles", fx.arn("role", "")))

    def test_explicit_deny_in_an_inline_policy(self):
        self.role("protected")
        u = self.user("admin-denied", managed=[ADMIN], inline=fx.document(
            fx.deny("iam:DeleteRole", fx.arn("role", "protected"))))
        self.assertDenied(u["iam"].delete_role, fx.denied(
            u["arn"], "iam:DeleteRole", "role protected", "explicit-identity"),
            RoleName="protected")
        self.assertIn("protected", self.role_names())
        u["iam"].list_roles()  # the rest of AdministratorAccess still applies

    def test_explicit_deny_in_a_managed_policy_names_the_policy(self):
        # Real AWS (captured 2025-2026): "... with an explicit deny in an identity-based
        # policy: arn:aws:iam::765656213018:policy/costagas-base" for a managed policy; an
        # inline policy has no ARN and the message ends at "policy".
        denier = self.managed_policy("deny-delete-user", fx.document(fx.deny("iam:DeleteUser")))
        self.iam.create_user(UserName="kept-user")
        u = self.user("managed-denied", managed=[ADMIN, denier])
        self.assertDenied(u["iam"].delete_user, fx.denied(
            u["arn"], "iam:DeleteUser", "user kept-user", "explicit-identity",
            policy_arn=denier), UserName="kept-user")
        self.iam.get_user(UserName="kept-user")

    def test_explicit_deny_wins_over_an_allow_in_the_same_policy(self):
        u = self.user("allow-and-deny", inline=fx.document(
            fx.allow("iam:ListRoles"), fx.deny("iam:List*")))
        self.assertDenied(u["iam"].list_roles, fx.denied(
            u["arn"], "iam:ListRoles", fx.arn("role", ""), "explicit-identity"))

    def test_group_policies_apply_to_members(self):
        self.iam.create_group(GroupName="readers")
        self.iam.attach_group_policy(GroupName="readers", PolicyArn=READ_ONLY)
        member = self.user("member", groups=["readers"])
        outsider = self.user("outsider")
        member["iam"].list_roles()
        self.assertDenied(outsider["iam"].list_roles, fx.denied(
            outsider["arn"], "iam:ListRoles", fx.arn("role", "")))
        self.iam.remove_user_from_group(GroupName="readers", UserName="member")
        self.assertDenied(member["iam"].list_roles, fx.denied(
            member["arn"], "iam:ListRoles", fx.arn("role", "")))

    def test_group_inline_deny_applies_to_members(self):
        self.iam.create_group(GroupName="no-listing")
        self.iam.put_group_policy(GroupName="no-listing", PolicyName="deny-list",
                                  PolicyDocument=fx.document(fx.deny("iam:ListRoles")))
        u = self.user("grouped-admin", managed=[ADMIN], groups=["no-listing"])
        self.assertDenied(u["iam"].list_roles, fx.denied(
            u["arn"], "iam:ListRoles", fx.arn("role", ""), "explicit-identity"))
        u["iam"].list_users()

    def test_explicit_deny_in_a_permissions_boundary(self):
        # Real AWS names the boundary after the ending (captured 2026: "... with an explicit
        # deny in a permissions boundary: arn:aws:iam::<ACCOUNT>:policy/InternSandboxBoundary",
        # for iam:CreateRole and iam:PutRolePolicy).
        boundary = self.managed_policy("deny-create-role", fx.document(
            fx.allow("*"), fx.deny("iam:CreateRole")))
        u = self.user("boundary-denied", managed=[ADMIN], boundary=boundary)
        self.assertDenied(u["iam"].create_role, fx.denied(
            u["arn"], "iam:CreateRole", fx.arn("role", "never-made"), "explicit-boundary",
            policy_arn=boundary),
            RoleName="never-made", AssumeRolePolicyDocument=TRUST_EC2)
        self.assertNotIn("never-made", self.role_names())
        u["iam"].list_roles()

    def test_identity_deny_is_reported_before_a_boundary_gap(self):
        # Explicit denies are looked at first, whichever policy type holds them.
        boundary = self.managed_policy("list-only-boundary", fx.document(fx.allow("iam:List*")))
        u = self.user("deny-and-boundary", managed=[ADMIN], boundary=boundary,
                      inline=fx.document(fx.deny("iam:CreateRole")))
        self.assertDenied(u["iam"].create_role, fx.denied(
            u["arn"], "iam:CreateRole", fx.arn("role", "nope"), "explicit-identity"),
            RoleName="nope", AssumeRolePolicyDocument=TRUST_EC2)

    def test_changes_to_policies_apply_to_the_next_call(self):
        u = self.user("changing")
        self.assertDenied(u["iam"].list_roles, fx.denied(
            u["arn"], "iam:ListRoles", fx.arn("role", "")))
        self.iam.attach_user_policy(UserName="changing", PolicyArn=READ_ONLY)
        u["iam"].list_roles()
        self.iam.detach_user_policy(UserName="changing", PolicyArn=READ_ONLY)
        self.assertDenied(u["iam"].list_roles, fx.denied(
            u["arn"], "iam:ListRoles", fx.arn("role", "")))

    def test_root_may_do_everything(self):
        # Root has no policies, yet every kind of call works.
        self.iam.create_user(UserName="made-by-root")
        self.iam.put_user_policy(UserName="made-by-root", PolicyName="p",
                                 PolicyDocument=fx.document(fx.deny("*")))
        self.iam.create_group(GroupName="root-group")
        self.iam.add_user_to_group(GroupName="root-group", UserName="made-by-root")
        self.role("root-role")
        self.iam.create_instance_profile(InstanceProfileName="root-profile")
        self.iam.add_role_to_instance_profile(InstanceProfileName="root-profile",
                                              RoleName="root-role")
        self.iam.attach_role_policy(RoleName="root-role", PolicyArn=ADMIN)
        self.iam.get_account_authorization_details()
        self.iam.list_roles()
        self.iam.remove_user_from_group(GroupName="root-group", UserName="made-by-root")
        self.iam.delete_user_policy(UserName="made-by-root", PolicyName="p")
        self.iam.delete_user(UserName="made-by-root")
        who = self.server.client("sts").get_caller_identity()
        self.assertEqual((who["Arn"], who["UserId"], who["Account"]),
                         ("arn:aws:iam::%s:root" % ACCOUNT, ACCOUNT, ACCOUNT))


class ConditionsTest(EnforcementCase):
    """aws:ResourceTag, aws:RequestTag, iam:PolicyARN and ${aws:username} in user policies."""

    def test_resource_tag_condition(self):
        self.role("blue-role", Tags=[{"Key": "team", "Value": "blue"}])
        self.role("red-role", Tags=[{"Key": "team", "Value": "red"}])
        self.role("untagged-role")
        u = self.user("blue-reader", inline=fx.document(fx.allow(
            "iam:GetRole", Condition={"StringEquals": {"aws:ResourceTag/team": "blue"}})))
        self.assertEqual(u["iam"].get_role(RoleName="blue-role")["Role"]["RoleName"], "blue-role")
        for name in ("red-role", "untagged-role"):
            self.assertDenied(u["iam"].get_role, fx.denied(
                u["arn"], "iam:GetRole", "role " + name), RoleName=name)

    def test_resource_tag_follows_tag_changes(self):
        self.role("retagged", Tags=[{"Key": "team", "Value": "red"}])
        u = self.user("retag-reader", inline=fx.document(fx.allow(
            "iam:GetRole", Condition={"StringEquals": {"aws:ResourceTag/team": "blue"}})))
        self.assertDenied(u["iam"].get_role, fx.denied(
            u["arn"], "iam:GetRole", "role retagged"), RoleName="retagged")
        self.iam.tag_role(RoleName="retagged", Tags=[{"Key": "team", "Value": "blue"}])
        u["iam"].get_role(RoleName="retagged")

    def test_request_tag_condition_on_create_role(self):
        u = self.user("dev-creator", inline=fx.document(fx.allow(
            ["iam:CreateRole", "iam:TagRole"],
            Condition={"StringEquals": {"aws:RequestTag/env": "dev"}})))
        u["iam"].create_role(RoleName="dev-made", AssumeRolePolicyDocument=TRUST_EC2,
                             Tags=[{"Key": "env", "Value": "dev"}])
        self.assertIn("dev-made", self.role_names())
        self.assertDenied(u["iam"].create_role, fx.denied(
            u["arn"], "iam:CreateRole", fx.arn("role", "prod-made")),
            RoleName="prod-made", AssumeRolePolicyDocument=TRUST_EC2,
            Tags=[{"Key": "env", "Value": "prod"}])
        self.assertDenied(u["iam"].create_role, fx.denied(
            u["arn"], "iam:CreateRole", fx.arn("role", "untagged-made")),
            RoleName="untagged-made", AssumeRolePolicyDocument=TRUST_EC2)
        self.assertFalse({"prod-made", "untagged-made"} & self.role_names())

    def test_tag_keys_condition(self):
        # aws:TagKeys: only the tag keys "env" and "owner" may be sent.
        u = self.user("tag-keys", inline=fx.document(fx.allow(
            ["iam:CreateRole", "iam:TagRole"],
            Condition={"ForAllValues:StringEquals": {"aws:TagKeys": ["env", "owner"]}})))
        u["iam"].create_role(RoleName="keys-ok", AssumeRolePolicyDocument=TRUST_EC2,
                             Tags=[{"Key": "env", "Value": "x"}, {"Key": "owner", "Value": "y"}])
        self.assertDenied(u["iam"].create_role, fx.denied(
            u["arn"], "iam:CreateRole", fx.arn("role", "keys-bad")),
            RoleName="keys-bad", AssumeRolePolicyDocument=TRUST_EC2,
            Tags=[{"Key": "env", "Value": "x"}, {"Key": "cost", "Value": "y"}])

    def test_policy_arn_condition_on_attach_role_policy(self):
        self.role("attach-target")
        u = self.user("attacher", inline=fx.document(fx.allow(
            "iam:AttachRolePolicy",
            Condition={"ArnEquals": {"iam:PolicyARN": "arn:aws:iam::aws:policy/ReadOnlyAccess"}})))
        u["iam"].attach_role_policy(RoleName="attach-target",
                                    PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")
        self.assertDenied(u["iam"].attach_role_policy, fx.denied(
            u["arn"], "iam:AttachRolePolicy", "role attach-target"),
            RoleName="attach-target", PolicyArn=ADMIN)
        attached = [p["PolicyArn"] for p in
                    self.iam.list_attached_role_policies(RoleName="attach-target")["AttachedPolicies"]]
        self.assertEqual(attached, ["arn:aws:iam::aws:policy/ReadOnlyAccess"])

    def test_username_variable_lets_a_user_manage_only_itself(self):
        self_service = fx.document(fx.allow(
            ["iam:GetUser", "iam:CreateAccessKey", "iam:ListAccessKeys", "iam:UpdateAccessKey",
             "iam:DeleteAccessKey", "iam:TagUser"],
            "arn:aws:iam::*:user/${aws:username}"))
        me = self.user("self-managed", inline=self_service)
        other = self.user("someone-else", inline=self_service)
        self.assertEqual(me["iam"].get_user(UserName="self-managed")["User"]["Arn"], me["arn"])
        keys = me["iam"].list_access_keys(UserName="self-managed")["AccessKeyMetadata"]
        self.assertEqual([k["AccessKeyId"] for k in keys], [me["key_id"]])
        me["iam"].tag_user(UserName="self-managed", Tags=[{"Key": "k", "Value": "v"}])
        self.assertDenied(me["iam"].get_user, fx.denied(
            me["arn"], "iam:GetUser", "user someone-else"), UserName="someone-else")
        self.assertDenied(me["iam"].create_access_key, fx.denied(
            me["arn"], "iam:CreateAccessKey", "user someone-else"), UserName="someone-else")
        self.assertDenied(me["iam"].list_access_keys, fx.denied(
            me["arn"], "iam:ListAccessKeys", "user someone-else"), UserName="someone-else")
        self.assertEqual(len(self.iam.list_access_keys(UserName="someone-else")
                             ["AccessKeyMetadata"]), 1)
        # Without a name the caller is meant (GetUser, ListAccessKeys, CreateAccessKey).
        self.assertEqual(me["iam"].get_user()["User"]["UserName"], "self-managed")
        new_key = me["iam"].create_access_key()["AccessKey"]
        self.assertEqual(new_key["UserName"], "self-managed")
        self.assertEqual(sorted(k["AccessKeyId"] for k in
                                me["iam"].list_access_keys()["AccessKeyMetadata"]),
                         sorted([me["key_id"], new_key["AccessKeyId"]]))
        me["iam"].delete_access_key(AccessKeyId=new_key["AccessKeyId"])
        other["iam"].get_user()


    def test_principal_tag_of_a_user(self):
        tagged = self.user("tagged-user", inline=fx.document(fx.allow(
            "iam:ListRoles", Condition={"StringEquals": {"aws:PrincipalTag/team": "blue"}})))
        self.assertDenied(tagged["iam"].list_roles, fx.denied(
            tagged["arn"], "iam:ListRoles", fx.arn("role", "")))
        self.iam.tag_user(UserName="tagged-user", Tags=[{"Key": "team", "Value": "blue"}])
        tagged["iam"].list_roles()

    def test_source_ip_condition(self):
        near = self.user("from-loopback", inline=fx.document(fx.allow(
            "iam:ListRoles", Condition={"IpAddress": {"aws:SourceIp": "127.0.0.0/8"}})))
        far = self.user("from-elsewhere", inline=fx.document(fx.allow(
            "iam:ListRoles", Condition={"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}})))
        near["iam"].list_roles()
        self.assertDenied(far["iam"].list_roles, fx.denied(
            far["arn"], "iam:ListRoles", fx.arn("role", "")))

    def test_secure_transport_is_false_over_http(self):
        u = self.user("tls-only", inline=fx.document(
            fx.allow("iam:ListRoles"),
            fx.deny("*", Condition={"Bool": {"aws:SecureTransport": "false"}})))
        self.assertDenied(u["iam"].list_roles, fx.denied(
            u["arn"], "iam:ListRoles", fx.arn("role", ""), "explicit-identity"))

    def test_username_variable_in_a_condition(self):
        self.role("owned-by-me", Tags=[{"Key": "owner", "Value": "cond-user"}])
        self.role("owned-by-other", Tags=[{"Key": "owner", "Value": "somebody"}])
        u = self.user("cond-user", inline=fx.document(fx.allow(
            "iam:GetRole",
            Condition={"StringEquals": {"aws:ResourceTag/owner": "${aws:username}"}})))
        u["iam"].get_role(RoleName="owned-by-me")
        self.assertDenied(u["iam"].get_role, fx.denied(
            u["arn"], "iam:GetRole", "role owned-by-other"), RoleName="owned-by-other")


class EveryCallTest(EnforcementCase):
    """Every IAM action is authorized: a user without policies is refused each of them, with
    the action's own name in the message (resources as AWS names them where recorded)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.iam.create_role(RoleName="r", AssumeRolePolicyDocument=TRUST_EC2)
        cls.iam.create_instance_profile(InstanceProfileName="ip")
        cls.iam.create_group(GroupName="g")
        cls.iam.create_user(UserName="victim")
        cls.policy_arn = cls.iam.create_policy(
            PolicyName="p", PolicyDocument=fx.document(fx.allow("s3:GetObject")))["Policy"]["Arn"]

    def test_each_action_is_refused_with_its_name(self):
        u = self.user("powerless")
        c = u["iam"]
        calls = [
            # (action, resource text as real AWS prints it, or None where captures disagree,
            #  call, args). Sources: notes/aws-errors.md "Any IAM operation -- AccessDenied"
            # and public CLI/SDK logs of real AWS (e.g. "iam:ListPolicies on resource: policy
            # path /", "iam:GetPolicy on resource: policy arn:aws:iam::aws:policy/...",
            # "iam:CreatePolicy on resource: policy NAME", "iam:SimulatePrincipalPolicy on
            # resource: arn:aws:iam::ACCOUNT:role/NAME", "iam:GetAccountAuthorizationDetails
            # on resource: *").
            ("iam:ListUsers", fx.arn("user", ""), c.list_users, {}),
            ("iam:ListGroups", fx.arn("group", ""), c.list_groups, {}),
            ("iam:ListInstanceProfiles", fx.arn("instance-profile", ""),
             c.list_instance_profiles, {}),
            ("iam:AttachUserPolicy", "user victim", c.attach_user_policy,
             {"UserName": "victim", "PolicyArn": READ_ONLY}),
            ("iam:ListAttachedUserPolicies", "user victim", c.list_attached_user_policies,
             {"UserName": "victim"}),
            ("iam:CreateAccessKey", "user victim", c.create_access_key, {"UserName": "victim"}),
            ("iam:UpdateAssumeRolePolicy", "role r", c.update_assume_role_policy,
             {"RoleName": "r", "PolicyDocument": TRUST_EC2}),
            ("iam:GetRole", "role r", c.get_role, {"RoleName": "r"}),
            ("iam:GetRole", "role no-such-role", c.get_role, {"RoleName": "no-such-role"}),
            ("iam:DeleteRole", "role r", c.delete_role, {"RoleName": "r"}),
            ("iam:PutRolePolicy", "role r", c.put_role_policy,
             {"RoleName": "r", "PolicyName": "x", "PolicyDocument": fx.document(fx.allow("*"))}),
            ("iam:ListAttachedRolePolicies", "role r", c.list_attached_role_policies,
             {"RoleName": "r"}),
            ("iam:GetInstanceProfile", "instance profile ip", c.get_instance_profile,
             {"InstanceProfileName": "ip"}),
            ("iam:AddRoleToInstanceProfile", "instance profile ip",
             c.add_role_to_instance_profile, {"InstanceProfileName": "ip", "RoleName": "r"}),
            ("iam:CreateInstanceProfile", fx.arn("instance-profile", "ip2"),
             c.create_instance_profile, {"InstanceProfileName": "ip2"}),
            ("iam:CreatePolicy", "policy q", c.create_policy,
             {"PolicyName": "q", "PolicyDocument": fx.document(fx.allow("s3:*"))}),
            ("iam:GetPolicy", "policy " + self.policy_arn, c.get_policy,
             {"PolicyArn": self.policy_arn}),
            ("iam:GetPolicy", "policy arn:aws:iam::aws:policy/ReadOnlyAccess", c.get_policy,
             {"PolicyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}),
            ("iam:ListPolicies", "policy path /", c.list_policies, {}),
            ("iam:CreateGroup", fx.arn("group", "g2"), c.create_group, {"GroupName": "g2"}),
            ("iam:AddUserToGroup", "group g", c.add_user_to_group,
             {"GroupName": "g", "UserName": "powerless"}),
            ("iam:CreateUser", fx.arn("user", "u2"), c.create_user, {"UserName": "u2"}),
            ("iam:GetAccountAuthorizationDetails", "*", c.get_account_authorization_details, {}),
            ("iam:SimulatePrincipalPolicy", fx.arn("role", "r"), c.simulate_principal_policy,
             {"PolicySourceArn": fx.arn("role", "r"), "ActionNames": ["s3:GetObject"]}),
            ("iam:TagRole", None, c.tag_role, {"RoleName": "r", "Tags": [{"Key": "k", "Value": "v"}]}),
        ]
        for action, resource, call, kwargs in calls:
            with self.subTest(action=action):
                status, type_, code, message = fx.error_of(call, **kwargs)
                self.assertEqual((status, type_, code), (403, "Sender", "AccessDenied"), message)
                if resource is not None:
                    self.assertEqual(message, fx.denied(u["arn"], action, resource))
                else:
                    prefix = "User: %s is not authorized to perform: %s on resource: " % (
                        u["arn"], action)
                    suffix = " because no identity-based policy allows the %s action" % action
                    self.assertTrue(message.startswith(prefix) and message.endswith(suffix),
                                    message)
                    self.assertGreater(len(message), len(prefix) + len(suffix), message)
        # Nothing changed.
        self.assertEqual(self.iam.list_instance_profiles()["InstanceProfiles"][0]["Roles"], [])
        self.assertEqual(self.iam.list_groups()["Groups"][0]["GroupName"], "g")
        self.assertEqual(self.iam.get_group(GroupName="g")["Users"], [])
        self.assertEqual(self.iam.list_access_keys(UserName="victim")["AccessKeyMetadata"], [])
        self.assertEqual(self.iam.list_role_policies(RoleName="r")["PolicyNames"], [])


class AccessKeyTest(EnforcementCase):

    def test_create_access_key_shape(self):
        self.iam.create_user(UserName="shape")
        key = self.iam.create_access_key(UserName="shape")["AccessKey"]
        # notes/aws-errors.md §2: AccessKeyId (20 chars), CreateDate, SecretAccessKey (40
        # chars), Status Active, UserName.
        self.assertEqual(sorted(key), ["AccessKeyId", "CreateDate", "SecretAccessKey", "Status",
                                       "UserName"])
        self.assertRegex(key["AccessKeyId"], r"^AKIA[A-Z0-9]{16}$")
        self.assertEqual(len(key["SecretAccessKey"]), 40)
        self.assertEqual((key["Status"], key["UserName"]), ("Active", "shape"))

    def test_at_most_two_keys_per_user(self):
        self.iam.create_user(UserName="two-keys")
        first = self.iam.create_access_key(UserName="two-keys")["AccessKey"]
        self.iam.create_access_key(UserName="two-keys")
        self.assertEqual(fx.error_of(self.iam.create_access_key, UserName="two-keys"),
                         (409, "Sender", "LimitExceeded",
                          "Cannot exceed quota for AccessKeysPerUser: 2"))
        self.assertEqual(len(self.iam.list_access_keys(UserName="two-keys")
                             ["AccessKeyMetadata"]), 2)
        # An inactive key still counts; a deleted one frees the slot.
        self.iam.update_access_key(UserName="two-keys", AccessKeyId=first["AccessKeyId"],
                                   Status="Inactive")
        self.assertEqual(fx.error_of(self.iam.create_access_key, UserName="two-keys")[2],
                         "LimitExceeded")
        self.iam.delete_access_key(UserName="two-keys", AccessKeyId=first["AccessKeyId"])
        self.iam.create_access_key(UserName="two-keys")

    def test_inactive_key_is_refused_and_reactivated_key_works(self):
        u = self.user("sleeper", managed=[READ_ONLY])
        u["iam"].list_roles()
        self.iam.update_access_key(UserName="sleeper", AccessKeyId=u["key_id"], Status="Inactive")
        self.assertEqual(fx.error_of(u["iam"].list_roles),
                         (403, "Sender", "InvalidClientTokenId", INVALID_TOKEN))
        self.assertEqual(fx.error_of(u["sts"].get_caller_identity)[:3],
                         (403, "Sender", "InvalidClientTokenId"))
        listed = self.iam.list_access_keys(UserName="sleeper")["AccessKeyMetadata"]
        self.assertEqual([(k["AccessKeyId"], k["Status"]) for k in listed],
                         [(u["key_id"], "Inactive")])
        self.iam.update_access_key(UserName="sleeper", AccessKeyId=u["key_id"], Status="Active")
        u["iam"].list_roles()

    def test_deleted_key_is_refused(self):
        u = self.user("deleted-key", managed=[READ_ONLY])
        u["iam"].list_roles()
        self.iam.delete_access_key(UserName="deleted-key", AccessKeyId=u["key_id"])
        self.assertEqual(fx.error_of(u["iam"].list_roles),
                         (403, "Sender", "InvalidClientTokenId", INVALID_TOKEN))
        self.assertEqual(self.iam.list_access_keys(UserName="deleted-key")["AccessKeyMetadata"],
                         [])

    def test_keys_of_a_deleted_user_are_refused(self):
        u = self.user("gone", managed=[READ_ONLY])
        u["iam"].list_roles()
        self.iam.delete_access_key(UserName="gone", AccessKeyId=u["key_id"])
        self.iam.detach_user_policy(UserName="gone", PolicyArn=READ_ONLY)
        self.iam.delete_user(UserName="gone")
        self.assertEqual(fx.error_of(u["iam"].list_roles),
                         (403, "Sender", "InvalidClientTokenId", INVALID_TOKEN))

    def test_secret_is_returned_only_by_create_access_key(self):
        u = self.user("secretive", inline=fx.document(fx.allow("iam:*")))
        listed = self.iam.list_access_keys(UserName="secretive")["AccessKeyMetadata"]
        self.assertEqual([sorted(k) for k in listed],
                         [["AccessKeyId", "CreateDate", "Status", "UserName"]])
        # Nowhere on the wire after CreateAccessKey: not in any of these raw responses.
        calls = [{"Action": "ListAccessKeys", "UserName": "secretive"},
                 {"Action": "GetUser", "UserName": "secretive"},
                 {"Action": "GetAccessKeyLastUsed", "AccessKeyId": u["key_id"]},
                 {"Action": "GetAccountAuthorizationDetails"},
                 {"Action": "ListUsers"}]
        for params in calls:
            status, _, body = self.server.raw(params)
            self.assertEqual(status, 200, body)
            self.assertNotIn(u["secret"].encode(), body, params)
        # The user's own view neither.
        status, _, body = self.server.raw({"Action": "ListAccessKeys"}, key_id=u["key_id"],
                                          secret=u["secret"])
        self.assertEqual(status, 200, body)
        self.assertIn(u["key_id"].encode(), body)
        self.assertNotIn(u["secret"].encode(), body)

    def test_access_key_last_used(self):
        u = self.user("last-used", managed=[READ_ONLY])
        fresh = self.iam.get_access_key_last_used(AccessKeyId=u["key_id"])
        # notes/aws-errors.md §2: never used -> Region and ServiceName "N/A", no LastUsedDate.
        self.assertEqual(fresh["UserName"], "last-used")
        self.assertEqual(fresh["AccessKeyLastUsed"], {"Region": "N/A", "ServiceName": "N/A"})
        before = fx.utcnow().replace(microsecond=0)
        u["iam"].list_roles()
        used = self.iam.get_access_key_last_used(AccessKeyId=u["key_id"])["AccessKeyLastUsed"]
        self.assertEqual((used["ServiceName"], used["Region"]), ("iam", "us-east-1"))
        when = used["LastUsedDate"].astimezone(datetime.timezone.utc).replace(tzinfo=None)
        self.assertLessEqual(before - datetime.timedelta(seconds=1), when)
        self.assertLessEqual(when, fx.utcnow() + datetime.timedelta(seconds=1))
        # A call to STS with it (another region in the scope) is recorded as sts.
        sts = self.server.client("sts", region="eu-west-1", key_id=u["key_id"],
                                 secret=u["secret"])
        sts.get_caller_identity()
        used = self.iam.get_access_key_last_used(AccessKeyId=u["key_id"])["AccessKeyLastUsed"]
        self.assertEqual((used["ServiceName"], used["Region"]), ("sts", "eu-west-1"))

    def test_access_key_last_used_for_an_unknown_key(self):
        # notes/aws-errors.md "GetAccessKeyLastUsed": 403 AccessDenied, "access key ID", and
        # "perform" without a colon.
        self.assertEqual(
            fx.error_of(self.iam.get_access_key_last_used, AccessKeyId="AKIAIOSFODNN7EXAMPLE"),
            (403, "Sender", "AccessDenied",
             "User: arn:aws:iam::%s:root is not authorized to perform "
             "iam:GetAccessKeyLastUsed on resource: access key AKIAIOSFODNN7EXAMPLE" % ACCOUNT))

    def test_get_user_without_a_name_returns_the_caller_cli_v2(self):
        u = self.user("whoami", inline=fx.document(fx.allow(
            "iam:GetUser", "arn:aws:iam::*:user/${aws:username}")))
        out = self.server.run_cli(fx.AWS_CLI_V2, "iam", "get-user", "--output", "json",
                                  env=self.server.cli_env(u["key_id"], u["secret"]))
        self.assertEqual(out.returncode, 0, out.stderr)
        user = json.loads(out.stdout)["User"]
        self.assertEqual((user["UserName"], user["UserId"], user["Arn"], user["Path"]),
                         ("whoami", u["id"], u["arn"], "/"))

    def test_get_user_without_a_name_as_root(self):
        user = self.iam.get_user()["User"]
        self.assertEqual((user["Arn"], user["UserId"]), ("arn:aws:iam::%s:root" % ACCOUNT, ACCOUNT))

    def test_caller_identity_of_a_user_key(self):
        u = self.user("identity")  # GetCallerIdentity needs no permission
        who = u["sts"].get_caller_identity()
        self.assertEqual((who["Arn"], who["UserId"], who["Account"]), (u["arn"], u["id"], ACCOUNT))
        self.assertRegex(u["id"], r"^AIDA[A-Z0-9]{17}$")

    def test_delete_access_key_without_user_name_as_root(self):
        # notes/aws-errors.md "DeleteAccessKey": non-user credentials must name the user.
        u = self.user("named-needed")
        self.assertEqual(fx.error_of(self.iam.delete_access_key, AccessKeyId=u["key_id"]),
                         (400, "Sender", "ValidationError",
                          "Must specify userName when calling with non-User credentials"))

    def test_update_unknown_access_key(self):
        self.iam.create_user(UserName="no-such-key")
        self.assertEqual(
            fx.error_of(self.iam.update_access_key, UserName="no-such-key",
                        AccessKeyId="AKIAIOSFODNN7EXAMPLE", Status="Inactive"),
            (404, "Sender", "NoSuchEntity",
             "The Access Key with id AKIAIOSFODNN7EXAMPLE cannot be found."))


class SecretsAtRestTest(fx.ServerTestCase):
    """Secret access keys are sealed with DATA/master.key: not in iamd.db nor its WAL."""

    # No root keys on the command line: iamd makes them and writes DATA/root-credentials.
    server_root_keys = False

    def path(self, name):
        return os.path.join(self.server.data_dir, name)

    def root_keys(self):
        parser = configparser.ConfigParser()
        parser.read(self.path("root-credentials"))
        return (parser["default"]["aws_access_key_id"],
                parser["default"]["aws_secret_access_key"])

    def database_bytes(self):
        data = b""
        for name in ("iamd.db", "iamd.db-wal"):
            if os.path.exists(self.path(name)):
                with open(self.path(name), "rb") as f:
                    data += f.read()
        return data

    def assertSecretsAbsent(self, data, secrets):
        for secret in secrets:
            for form in (secret.encode(), secret.encode().hex().encode(),
                         secret.encode().hex().upper().encode(), base64.b64encode(secret.encode())):
                self.assertNotIn(form, data)

    def test_secrets_are_not_in_the_database_files(self):
        self.assertTrue(os.path.exists(self.path("root-credentials")))
        root_id, root_secret = self.root_keys()
        iam = self.server.client(key_id=root_id, secret=root_secret)
        keys = []
        for i in range(3):
            iam.create_user(UserName="keeper-%d" % i)
            for _ in range(2):
                keys.append(iam.create_access_key(UserName="keeper-%d" % i)["AccessKey"])
        # Use them once (last-used bookkeeping must not write the secret either).
        for key in keys:
            self.server.client("sts", key_id=key["AccessKeyId"],
                               secret=key["SecretAccessKey"]).get_caller_identity()
        secrets = [k["SecretAccessKey"] for k in keys] + [root_secret]
        self.assertSecretsAbsent(self.database_bytes(), secrets)  # while running
        self.assertEqual(self.server.stop(), 0, self.server.logs())
        data = self.database_bytes()
        self.assertGreater(len(data), 0)
        self.assertSecretsAbsent(data, secrets)
        for key in keys:
            self.assertIn(key["AccessKeyId"].encode(), data)
        with open(self.path("master.key"), "rb") as f:
            master = f.read()
        self.assertGreaterEqual(len(master), 16)
        self.assertNotIn(master, data)
        # After a restart the same keys still sign (the sealed secrets are readable by iamd).
        self.server.start()
        for key in keys:
            who = self.server.client("sts", key_id=key["AccessKeyId"],
                                     secret=key["SecretAccessKey"]).get_caller_identity()
            self.assertTrue(who["Arn"].startswith("arn:aws:iam::%s:user/keeper-" % ACCOUNT))

    def test_key_files_are_owner_only(self):
        for name in ("master.key", "root-credentials"):
            mode = stat.S_IMODE(os.stat(self.path(name)).st_mode)
            self.assertEqual(oct(mode), oct(0o600), name)


if __name__ == "__main__":
    unittest.main(verbosity=2)
