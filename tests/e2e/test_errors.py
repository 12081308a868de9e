"""Bad requests get AWS's error code, HTTP status and message, and change nothing.

Every rejected request is checked twice: the (Code, HTTP status, Message) triple, with Type
Sender, must be AWS's (each message cites its row in notes/aws-errors.md, "§1 <operation>",
or says where it comes from when that file has no row), and a snapshot of the account taken
just before and just after (GetAccountAuthorizationDetails, ListPolicies Scope=Local with
every version and tag, ListInstanceProfiles with tags, every role's tags) must be equal.

Values the client would refuse (65-character names, MaxSessionDuration 100, 51 tags...) are
sent with botocore's client-side parameter validation off.
"""

import json
import threading
import unittest

import botocore.exceptions

import iamd_fixture as fx

ACCT = fx.ACCOUNT_ID
TRUST = fx.seed_file("ray_trust_policy.json").decode()
INLINE = fx.seed_file("ray_pass_role_policy.json").decode()


def identity_policy(resource="*", action="s3:GetObject"):
    return json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": action, "Resource": resource}]})


def policy_of_size(n):
    """A valid identity policy of exactly n characters, none of them white space."""
    base = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/"}]},
        separators=(",", ":"))
    pad = n - len(base)
    assert pad >= 0
    return base.replace("arn:aws:s3:::b/", "arn:aws:s3:::b/" + "x" * pad)


class ErrorTestCase(fx.ServerTestCase):
    """A server with the seed's entities made through boto3 (no CLI needed here)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        iam = cls.iam
        iam.create_role(RoleName="ray-head", AssumeRolePolicyDocument=TRUST)
        iam.create_instance_profile(InstanceProfileName="ray-head")
        iam.add_role_to_instance_profile(InstanceProfileName="ray-head", RoleName="ray-head")
        iam.create_role(RoleName="ray-worker", AssumeRolePolicyDocument=TRUST)
        iam.create_instance_profile(InstanceProfileName="ray-worker")
        iam.add_role_to_instance_profile(InstanceProfileName="ray-worker", RoleName="ray-worker")
        for policy_arn in fx.SEED_POLICY_ARNS:
            iam.attach_role_policy(RoleName="ray-head", PolicyArn=policy_arn)
        iam.put_role_policy(RoleName="ray-head", PolicyName=fx.SEED_INLINE_POLICY,
                            PolicyDocument=INLINE)
        iam.create_role(RoleName="loner", AssumeRolePolicyDocument=TRUST)
        iam.create_instance_profile(InstanceProfileName="empty-profile")
        cls.local_policy = iam.create_policy(PolicyName="local-policy",
                                             PolicyDocument=identity_policy())["Policy"]["Arn"]

    # ---- helpers ----------------------------------------------------------------------

    def snapshot(self):
        iam = self.iam
        strip = lambda r: {k: v for k, v in r.items() if k != "ResponseMetadata"}
        gaad = iam.get_paginator("get_account_authorization_details").paginate()
        snap = {"gaad": strip(gaad.build_full_result())}
        local = iam.get_paginator("list_policies").paginate(Scope="Local").build_full_result()
        snap["local_policies"] = local["Policies"]
        snap["policy_versions"] = {
            p["Arn"]: [strip(iam.get_policy_version(PolicyArn=p["Arn"], VersionId=v["VersionId"]))
                       for v in iam.list_policy_versions(PolicyArn=p["Arn"])["Versions"]]
            for p in local["Policies"]}
        snap["policy_tags"] = {p["Arn"]: iam.list_policy_tags(PolicyArn=p["Arn"])["Tags"]
                               for p in local["Policies"]}
        profiles = iam.get_paginator("list_instance_profiles").paginate().build_full_result()
        snap["profiles"] = profiles["InstanceProfiles"]
        snap["profile_tags"] = {
            p["InstanceProfileName"]: iam.list_instance_profile_tags(
                InstanceProfileName=p["InstanceProfileName"])["Tags"]
            for p in profiles["InstanceProfiles"]}
        roles = iam.get_paginator("list_roles").paginate().build_full_result()["Roles"]
        snap["roles"] = [strip(iam.get_role(RoleName=r["RoleName"])) for r in roles]
        return snap

    def assertRejected(self, call, code, status, message, **kwargs):
        """call(**kwargs) fails with exactly (code, status, message), Type Sender, and the
        account is the same before and after."""
        before = self.snapshot()
        with self.assertRaises(botocore.exceptions.ClientError) as ctx:
            call(**kwargs)
        err = ctx.exception.response
        self.assertEqual((err["Error"].get("Code"), err["ResponseMetadata"]["HTTPStatusCode"],
                          err["Error"].get("Message")), (code, status, message))
        self.assertEqual(err["Error"].get("Type"), "Sender")
        self.assertEqual(self.snapshot(), before, "a rejected request changed the account")

    def new_role(self, name):
        self.iam.create_role(RoleName=name, AssumeRolePolicyDocument=TRUST)
        return name

    def new_policy(self, name, document=None):
        return self.iam.create_policy(PolicyName=name,
                                      PolicyDocument=document or identity_policy())["Policy"]["Arn"]


class MissingEntityTest(ErrorTestCase):
    # §1 GetRole / DeleteRole / UpdateRole / PutRolePolicy ...: "The role with name X cannot be
    # found." (R); §1 GetInstanceProfile / DeleteInstanceProfile: "Instance Profile X cannot be
    # found." (IP); §1 GetRolePolicy / DeleteRolePolicy: "The role policy with name X cannot be
    # found." (R)

    def test_get_missing_role(self):
        self.assertRejected(self.iam.get_role, "NoSuchEntity", 404,
                            "The role with name nope cannot be found.", RoleName="nope")

    def test_delete_missing_role(self):
        self.assertRejected(self.iam.delete_role, "NoSuchEntity", 404,
                            "The role with name test-nonexistent-role cannot be found.",
                            RoleName="test-nonexistent-role")

    def test_update_missing_role(self):
        self.assertRejected(self.iam.update_role, "NoSuchEntity", 404,
                            "The role with name test-nonexistent-role cannot be found.",
                            RoleName="test-nonexistent-role", Description="test")

    def test_get_missing_instance_profile(self):
        self.assertRejected(self.iam.get_instance_profile, "NoSuchEntity", 404,
                            "Instance Profile nonexistent-profile cannot be found.",
                            InstanceProfileName="nonexistent-profile")

    def test_delete_missing_instance_profile(self):
        self.assertRejected(self.iam.delete_instance_profile, "NoSuchEntity", 404,
                            "Instance Profile nonexistent-profile cannot be found.",
                            InstanceProfileName="nonexistent-profile")

    def test_add_missing_role_to_profile(self):
        # §1 AddRoleToInstanceProfile, "role missing (profile exists)" (IP)
        self.assertRejected(self.iam.add_role_to_instance_profile, "NoSuchEntity", 404,
                            "The role with name nonexistent-role cannot be found.",
                            InstanceProfileName="empty-profile", RoleName="nonexistent-role")

    def test_add_role_to_missing_profile(self):
        # §1 AddRoleToInstanceProfile, "profile missing (role exists)" (IP)
        self.assertRejected(self.iam.add_role_to_instance_profile, "NoSuchEntity", 404,
                            "Instance Profile nonexistent-profile cannot be found.",
                            InstanceProfileName="nonexistent-profile", RoleName="loner")

    def test_remove_role_not_in_profile(self):
        # §1 RemoveRoleFromInstanceProfile, "role exists but not in this profile" (IP)
        self.assertRejected(self.iam.remove_role_from_instance_profile, "NoSuchEntity", 404,
                            "Role loner in Instance Profile ray-head cannot be found.",
                            InstanceProfileName="ray-head", RoleName="loner")

    def test_list_instance_profiles_for_missing_role(self):
        # §1 ListInstanceProfilesForRole (IP)
        self.assertRejected(self.iam.list_instance_profiles_for_role, "NoSuchEntity", 404,
                            "The role with name nonexistent-role cannot be found.",
                            RoleName="nonexistent-role")

    def test_get_missing_inline_policy(self):
        self.assertRejected(self.iam.get_role_policy, "NoSuchEntity", 404,
                            "The role policy with name non-existent-policy cannot be found.",
                            RoleName="ray-head", PolicyName="non-existent-policy")

    def test_delete_missing_inline_policy(self):
        self.assertRejected(self.iam.delete_role_policy, "NoSuchEntity", 404,
                            "The role policy with name non-existent-policy cannot be found.",
                            RoleName="ray-head", PolicyName="non-existent-policy")

    def test_get_inline_policy_of_missing_role(self):
        self.assertRejected(self.iam.get_role_policy, "NoSuchEntity", 404,
                            "The role with name nonexistent-role cannot be found.",
                            RoleName="nonexistent-role", PolicyName=fx.SEED_INLINE_POLICY)

    def test_put_inline_policy_on_missing_role(self):
        self.assertRejected(self.iam.put_role_policy, "NoSuchEntity", 404,
                            "The role with name nonexistent-role cannot be found.",
                            RoleName="nonexistent-role", PolicyName="p", PolicyDocument=INLINE)


class DuplicateNameTest(ErrorTestCase):
    # §1 CreateRole "same RoleName already exists" (R); §1 CreateInstanceProfile (IP);
    # §1 CreatePolicy (P). AWS-WIRE.md: names are unique regardless of case; the message names
    # the requested name, as every IAM message built from a request parameter does.

    def test_create_duplicate_role(self):
        self.assertRejected(self.iam.create_role, "EntityAlreadyExists", 409,
                            "Role with name ray-head already exists.",
                            RoleName="ray-head", AssumeRolePolicyDocument=TRUST)

    def test_create_duplicate_role_in_another_case(self):
        self.assertRejected(self.iam.create_role, "EntityAlreadyExists", 409,
                            "Role with name RAY-HEAD already exists.",
                            RoleName="RAY-HEAD", AssumeRolePolicyDocument=TRUST)

    def test_create_duplicate_role_on_another_path(self):
        self.assertRejected(self.iam.create_role, "EntityAlreadyExists", 409,
                            "Role with name Ray-Worker already exists.", Path="/other/",
                            RoleName="Ray-Worker", AssumeRolePolicyDocument=TRUST)

    def test_create_duplicate_instance_profile(self):
        self.assertRejected(self.iam.create_instance_profile, "EntityAlreadyExists", 409,
                            "Instance Profile ray-head already exists.",
                            InstanceProfileName="ray-head")

    def test_create_duplicate_instance_profile_in_another_case(self):
        self.assertRejected(self.iam.create_instance_profile, "EntityAlreadyExists", 409,
                            "Instance Profile Ray-Head already exists.",
                            InstanceProfileName="Ray-Head")

    def test_create_duplicate_policy(self):
        self.assertRejected(self.iam.create_policy, "EntityAlreadyExists", 409,
                            "A policy called local-policy already exists. "
                            "Duplicate names are not allowed.",
                            PolicyName="local-policy", PolicyDocument=identity_policy())

    def test_create_duplicate_policy_in_another_case(self):
        self.assertRejected(self.iam.create_policy, "EntityAlreadyExists", 409,
                            "A policy called LOCAL-POLICY already exists. "
                            "Duplicate names are not allowed.",
                            PolicyName="LOCAL-POLICY", PolicyDocument=identity_policy())


class ConcurrentConflictTest(ErrorTestCase):
    """Eight connections racing for the same name, profile slot or quota: the rules hold."""

    def race(self, calls):
        clients = [self.server.client() for _ in calls]
        results = [None] * len(calls)
        start = threading.Barrier(len(calls))

        def run(i):
            start.wait()
            try:
                calls[i](clients[i])
                results[i] = "ok"
            except botocore.exceptions.ClientError as e:
                results[i] = (e.response["Error"]["Code"], e.response["Error"]["Message"])

        threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        return results

    def test_eight_creates_of_one_name_one_wins(self):
        names = ["Race-Role", "race-role", "RACE-ROLE", "race-Role",
                 "Race-role", "rACE-ROLE", "race-rOLE", "RaCe-RoLe"]
        results = self.race([lambda c, n=n: c.create_role(RoleName=n,
                                                          AssumeRolePolicyDocument=TRUST)
                             for n in names])
        self.assertEqual(results.count("ok"), 1, results)
        for n, r in zip(names, results):
            if r != "ok":
                self.assertEqual(r, ("EntityAlreadyExists", "Role with name %s already exists." % n))
        listed = [r["RoleName"] for r in self.iam.list_roles(PathPrefix="/")["Roles"]
                  if r["RoleName"].lower() == "race-role"]
        self.assertEqual(len(listed), 1)

    def test_eight_roles_into_one_profile_one_wins(self):
        self.iam.create_instance_profile(InstanceProfileName="race-profile")
        roles = [self.new_role("racer-%d" % i) for i in range(8)]
        results = self.race([lambda c, r=r: c.add_role_to_instance_profile(
            InstanceProfileName="race-profile", RoleName=r) for r in roles])
        self.assertEqual(results.count("ok"), 1, results)
        for r in results:
            if r != "ok":
                self.assertEqual(r, ("LimitExceeded",
                                     "Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1"))
        profile = self.iam.get_instance_profile(InstanceProfileName="race-profile")
        self.assertEqual(len(profile["InstanceProfile"]["Roles"]), 1)

    def test_twelve_attachments_at_once_stop_at_ten(self):
        role = self.new_role("race-quota")
        arns = [self.new_policy("race-quota-%02d" % i) for i in range(12)]
        results = self.race([lambda c, a=a: c.attach_role_policy(RoleName=role, PolicyArn=a)
                             for a in arns])
        self.assertEqual(results.count("ok"), 10, results)
        attached = self.iam.list_attached_role_policies(RoleName=role)["AttachedPolicies"]
        self.assertEqual(len(attached), 10)
        counts = sum(self.iam.get_policy(PolicyArn=a)["Policy"]["AttachmentCount"] for a in arns)
        self.assertEqual(counts, 10)


class ConflictTest(ErrorTestCase):
    # §1 DeleteRole, §1 DeleteInstanceProfile, §1 AddRoleToInstanceProfile (IP, R)

    def test_delete_role_still_in_a_profile(self):
        self.assertRejected(self.iam.delete_role, "DeleteConflict", 409,
                            "Cannot delete entity, must remove roles from instance profile first.",
                            RoleName="ray-worker")

    def test_delete_profile_still_holding_a_role(self):
        self.assertRejected(self.iam.delete_instance_profile, "DeleteConflict", 409,
                            "Cannot delete entity, must remove roles from instance profile first.",
                            InstanceProfileName="ray-worker")

    def test_second_role_in_a_profile(self):
        self.assertRejected(self.iam.add_role_to_instance_profile, "LimitExceeded", 409,
                            "Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1",
                            InstanceProfileName="ray-head", RoleName="loner")

    def test_same_role_twice_in_a_profile(self):
        self.assertRejected(self.iam.add_role_to_instance_profile, "LimitExceeded", 409,
                            "Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1",
                            InstanceProfileName="ray-head", RoleName="ray-head")

    def test_delete_role_conflicts_in_aws_order(self):
        # AWS's documented order (`aws iam delete-role help`): instance profiles, then managed
        # policies, then inline policies; the messages are §1 DeleteRole's three rows (R).
        iam = self.iam
        role = self.new_role("conflicted")
        iam.create_instance_profile(InstanceProfileName="conflicted")
        iam.add_role_to_instance_profile(InstanceProfileName="conflicted", RoleName=role)
        iam.attach_role_policy(RoleName=role, PolicyArn=self.local_policy)
        iam.put_role_policy(RoleName=role, PolicyName="inline", PolicyDocument=INLINE)
        self.assertRejected(iam.delete_role, "DeleteConflict", 409,
                            "Cannot delete entity, must remove roles from instance profile first.",
                            RoleName=role)
        iam.remove_role_from_instance_profile(InstanceProfileName="conflicted", RoleName=role)
        self.assertRejected(iam.delete_role, "DeleteConflict", 409,
                            "Cannot delete entity, must detach all policies first.", RoleName=role)
        iam.detach_role_policy(RoleName=role, PolicyArn=self.local_policy)
        self.assertRejected(iam.delete_role, "DeleteConflict", 409,
                            "Cannot delete entity, must delete policies first.", RoleName=role)
        iam.delete_role_policy(RoleName=role, PolicyName="inline")
        iam.delete_role(RoleName=role)
        iam.delete_instance_profile(InstanceProfileName="conflicted")

    def test_delete_attached_policy(self):
        # Not in aws-errors.md; AWS's text as printed by the CLI in many public logs.
        arn = self.new_policy("attached-policy")
        self.iam.attach_role_policy(RoleName="loner", PolicyArn=arn)
        try:
            self.assertRejected(self.iam.delete_policy, "DeleteConflict", 409,
                                "Cannot delete a policy attached to entities.", PolicyArn=arn)
        finally:
            self.iam.detach_role_policy(RoleName="loner", PolicyArn=arn)
            self.iam.delete_policy(PolicyArn=arn)


class PolicyArnTest(ErrorTestCase):
    # §1 AttachRolePolicy / DetachRolePolicy (R)

    def test_attach_unknown_customer_policy_arn(self):
        arn = "arn:aws:iam::%s:policy/nonexistent-policy" % ACCT
        self.assertRejected(self.iam.attach_role_policy, "NoSuchEntity", 404,
                            "Policy %s does not exist or is not attachable." % arn,
                            RoleName="loner", PolicyArn=arn)

    def test_attach_unknown_aws_managed_policy_arn(self):
        arn = "arn:aws:iam::aws:policy/AmazonNoSuchFullAccess"
        self.assertRejected(self.iam.attach_role_policy, "NoSuchEntity", 404,
                            "Policy %s does not exist or is not attachable." % arn,
                            RoleName="loner", PolicyArn=arn)

    def test_attach_something_that_is_not_an_arn(self):
        self.assertRejected(self.iam.attach_role_policy, "ValidationError", 400,
                            "ARN longpolicynamebutnoarn is not valid.",
                            RoleName="loner", PolicyArn="longpolicynamebutnoarn")

    def test_attach_to_missing_role(self):
        self.assertRejected(self.iam.attach_role_policy, "NoSuchEntity", 404,
                            "The role with name nonexistent-role cannot be found.",
                            RoleName="nonexistent-role", PolicyArn=fx.SEED_POLICY_ARNS[0])

    def test_detach_policy_not_attached(self):
        arn = "arn:aws:iam::aws:policy/service-role/AmazonElasticMapReduceRole"
        self.assertRejected(self.iam.detach_role_policy, "NoSuchEntity", 404,
                            "Policy %s was not found." % arn, RoleName="loner", PolicyArn=arn)

    def test_detach_unknown_aws_managed_policy(self):
        arn = "arn:aws:iam::aws:policy/Nonexistent"
        self.assertRejected(self.iam.detach_role_policy, "NoSuchEntity", 404,
                            "Policy %s was not found." % arn, RoleName="ray-head", PolicyArn=arn)

    def test_delete_unknown_policy(self):
        # §1 DeletePolicy (I)
        arn = "arn:aws:iam::%s:policy/non-existent-policy" % ACCT
        self.assertRejected(self.iam.delete_policy, "NoSuchEntity", 404,
                            "Policy %s was not found." % arn, PolicyArn=arn)

    def test_list_entities_for_unknown_policy(self):
        # §1 ListEntitiesForPolicy (P)
        arn = "arn:aws:iam::%s:policy/NonExistentPolicy" % ACCT
        self.assertRejected(self.iam.list_entities_for_policy, "NoSuchEntity", 404,
                            "Policy %s does not exist or is not attachable." % arn, PolicyArn=arn)


class PolicyDocumentTest(ErrorTestCase):
    # §1.B #0 and §1 CreateRole/UpdateAssumeRolePolicy rows (I, R): not JSON is "Syntax errors in
    # policy." for identity policies and "This policy contains invalid Json" for trust policies.

    NOT_JSON = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",}]}'

    def test_inline_policy_not_json(self):
        self.assertRejected(self.iam.put_role_policy, "MalformedPolicyDocument", 400,
                            "Syntax errors in policy.", RoleName="loner", PolicyName="bad",
                            PolicyDocument=self.NOT_JSON)

    def test_managed_policy_not_json(self):
        self.assertRejected(self.iam.create_policy, "MalformedPolicyDocument", 400,
                            "Syntax errors in policy.", PolicyName="bad",
                            PolicyDocument="This is not a json document")

    def test_policy_version_not_json(self):
        self.assertRejected(self.iam.create_policy_version, "MalformedPolicyDocument", 400,
                            "Syntax errors in policy.", PolicyArn=self.local_policy,
                            PolicyDocument=self.NOT_JSON)

    def test_create_role_with_trust_policy_not_json(self):
        self.assertRejected(self.iam.create_role, "MalformedPolicyDocument", 400,
                            "This policy contains invalid Json", RoleName="bad-trust",
                            AssumeRolePolicyDocument=self.NOT_JSON)

    def test_update_trust_policy_not_json(self):
        self.assertRejected(self.iam.update_assume_role_policy, "MalformedPolicyDocument", 400,
                            "This policy contains invalid Json", RoleName="loner",
                            PolicyDocument="not valid json")

    def test_create_role_with_trust_policy_with_resource(self):
        # §1 UpdateAssumeRolePolicy "trust statement containing Resource" (R)
        doc = json.loads(TRUST)
        doc["Statement"][0]["Resource"] = "*"
        self.assertRejected(self.iam.create_role, "MalformedPolicyDocument", 400,
                            "Has prohibited field Resource", RoleName="bad-trust",
                            AssumeRolePolicyDocument=json.dumps(doc))

    def test_update_trust_policy_with_resource(self):
        doc = json.loads(TRUST)
        doc["Statement"][0]["Resource"] = "*"
        self.assertRejected(self.iam.update_assume_role_policy, "MalformedPolicyDocument", 400,
                            "Has prohibited field Resource", RoleName="loner",
                            PolicyDocument=json.dumps(doc))

    def test_inline_policy_statement_without_resource(self):
        # §1.B #27
        doc = json.dumps({"Version": "2012-10-17",
                          "Statement": [{"Effect": "Allow", "Action": "s3:GetObject"}]})
        self.assertRejected(self.iam.put_role_policy, "MalformedPolicyDocument", 400,
                            "Policy statement must contain resources.", RoleName="loner",
                            PolicyName="bad", PolicyDocument=doc)

    def test_managed_policy_statement_without_resource(self):
        doc = json.dumps({"Version": "2012-10-17",
                          "Statement": [{"Effect": "Allow", "Action": "s3:GetObject"}]})
        self.assertRejected(self.iam.create_policy, "MalformedPolicyDocument", 400,
                            "Policy statement must contain resources.", PolicyName="bad",
                            PolicyDocument=doc)


class ParameterValidationTest(ErrorTestCase):
    # Message form: aws-errors.md §1.C (2025-2026 IAM recordings echo no value); the constraint
    # texts and patterns are the botocore model's (roleNameType, pathType,
    # roleMaxSessionDurationType). The roleName rows of §1 CreateRole / GetRole (X) are older
    # logs of the same messages with the value echoed.

    def test_role_name_of_65_characters(self):
        self.assertRejected(self.raw_iam.create_role, "ValidationError", 400,
                            "1 validation error detected: Value at 'roleName' failed to satisfy "
                            "constraint: Member must have length less than or equal to 64",
                            RoleName="r" * 65, AssumeRolePolicyDocument=TRUST)

    def test_role_name_of_64_characters_is_fine(self):
        name = "r" * 64
        self.iam.create_role(RoleName=name, AssumeRolePolicyDocument=TRUST)
        self.assertEqual(self.iam.get_role(RoleName=name)["Role"]["RoleName"], name)
        self.iam.delete_role(RoleName=name)

    def test_role_name_with_a_space_and_bang(self):
        self.assertRejected(self.raw_iam.create_role, "ValidationError", 400,
                            "1 validation error detected: Value at 'roleName' failed to satisfy "
                            "constraint: Member must satisfy regular expression pattern: "
                            "[\\w+=,.@-]+",
                            RoleName="bad name!", AssumeRolePolicyDocument=TRUST)

    def test_path_without_slashes(self):
        self.assertRejected(self.raw_iam.create_role, "ValidationError", 400,
                            "1 validation error detected: Value at 'path' failed to satisfy "
                            "constraint: Member must satisfy regular expression pattern: "
                            "(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)",
                            RoleName="pathless", Path="abc", AssumeRolePolicyDocument=TRUST)

    def test_path_without_trailing_slash(self):
        self.assertRejected(self.raw_iam.create_instance_profile, "ValidationError", 400,
                            "1 validation error detected: Value at 'path' failed to satisfy "
                            "constraint: Member must satisfy regular expression pattern: "
                            "(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)",
                            InstanceProfileName="pathless", Path="/abc")

    def test_max_session_duration_100_on_create(self):
        self.assertRejected(self.raw_iam.create_role, "ValidationError", 400,
                            "1 validation error detected: Value at 'maxSessionDuration' failed to "
                            "satisfy constraint: Member must have value greater than or equal to "
                            "3600", RoleName="short", MaxSessionDuration=100,
                            AssumeRolePolicyDocument=TRUST)

    def test_max_session_duration_100_on_update(self):
        self.assertRejected(self.raw_iam.update_role, "ValidationError", 400,
                            "1 validation error detected: Value at 'maxSessionDuration' failed to "
                            "satisfy constraint: Member must have value greater than or equal to "
                            "3600", RoleName="loner", MaxSessionDuration=100)

    def test_max_session_duration_over_12_hours(self):
        self.assertRejected(self.raw_iam.create_role, "ValidationError", 400,
                            "1 validation error detected: Value at 'maxSessionDuration' failed to "
                            "satisfy constraint: Member must have value less than or equal to "
                            "43200", RoleName="long", MaxSessionDuration=43201,
                            AssumeRolePolicyDocument=TRUST)

    def test_validation_comes_before_existence(self):
        # §1 GetRole on a missing role with a bad name: the name is checked first (§1.C).
        self.assertRejected(self.raw_iam.get_role, "ValidationError", 400,
                            "1 validation error detected: Value at 'roleName' failed to satisfy "
                            "constraint: Member must satisfy regular expression pattern: "
                            "[\\w+=,.@-]+", RoleName="bad name!")


class QuotaTest(ErrorTestCase):

    def test_eleventh_managed_policy_on_a_role(self):
        # §1 AttachRolePolicy "11th managed policy" (X)
        role = self.new_role("ten-policies")
        arns = [self.new_policy("quota-%02d" % i) for i in range(11)]
        for arn in arns[:10]:
            self.iam.attach_role_policy(RoleName=role, PolicyArn=arn)
        self.assertRejected(self.iam.attach_role_policy, "LimitExceeded", 409,
                            "Cannot exceed quota for PoliciesPerRole: 10",
                            RoleName=role, PolicyArn=arns[10])
        self.assertEqual(len(self.iam.list_attached_role_policies(
            RoleName=role)["AttachedPolicies"]), 10)

    def test_reattaching_an_attached_policy_is_not_an_eleventh(self):
        role = self.new_role("ten-again")
        arns = [self.new_policy("again-%02d" % i) for i in range(10)]
        for arn in arns:
            self.iam.attach_role_policy(RoleName=role, PolicyArn=arn)
        self.iam.attach_role_policy(RoleName=role, PolicyArn=arns[0])  # no-op, no error
        self.assertEqual(len(self.iam.list_attached_role_policies(
            RoleName=role)["AttachedPolicies"]), 10)

    def test_inline_policies_over_10240_bytes(self):
        # §1 PutRolePolicy "aggregate inline size > 10240" (X)
        role = self.new_role("big-inline")
        self.iam.put_role_policy(RoleName=role, PolicyName="a", PolicyDocument=policy_of_size(6000))
        self.assertRejected(self.iam.put_role_policy, "LimitExceeded", 409,
                            "Maximum policy size of 10240 bytes exceeded for role big-inline",
                            RoleName=role, PolicyName="b", PolicyDocument=policy_of_size(6000))

    def test_single_inline_policy_over_10240_bytes(self):
        role = self.new_role("huge-inline")
        self.assertRejected(self.iam.put_role_policy, "LimitExceeded", 409,
                            "Maximum policy size of 10240 bytes exceeded for role huge-inline",
                            RoleName=role, PolicyName="a", PolicyDocument=policy_of_size(10300))

    def test_replacing_an_inline_policy_does_not_add_its_old_size(self):
        role = self.new_role("replaced-inline")
        self.iam.put_role_policy(RoleName=role, PolicyName="a", PolicyDocument=policy_of_size(6000))
        self.iam.put_role_policy(RoleName=role, PolicyName="a", PolicyDocument=policy_of_size(6001))
        got = self.iam.get_role_policy(RoleName=role, PolicyName="a")["PolicyDocument"]
        self.assertEqual(got, json.loads(policy_of_size(6001)))

    def test_inline_policy_white_space_does_not_count(self):
        # IAM User Guide, "IAM and AWS STS quotas": "IAM doesn't count white space when
        # calculating the size of a policy against these quotas."
        role = self.new_role("spacious-inline")
        doc = policy_of_size(9000)
        doc = doc[:-1] + "\n" + " " * 3000 + "}"  # 9,000 characters plus 3,001 of white space
        self.assertGreater(len(doc), 10240)
        self.iam.put_role_policy(RoleName=role, PolicyName="a", PolicyDocument=doc)

    def test_trust_policy_over_2048_characters(self):
        # §1 CreateRole "trust policy longer than quota (2048 chars default)" (X)
        services = ["svc%03d.amazonaws.com" % i for i in range(120)]
        doc = json.dumps({"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"Service": services}, "Action": "sts:AssumeRole"}]},
            separators=(",", ":"))
        self.assertGreater(len(doc), 2048)
        self.assertRejected(self.iam.create_role, "LimitExceeded", 409,
                            "Cannot exceed quota for ACLSizePerRole: 2048",
                            RoleName="big-trust", AssumeRolePolicyDocument=doc)

    def test_managed_policy_over_6144_characters(self):
        # §1 CreatePolicy "document > 6144 non-whitespace chars" (X)
        self.assertRejected(self.iam.create_policy, "LimitExceeded", 409,
                            "Cannot exceed quota for PolicySize: 6144",
                            PolicyName="too-big", PolicyDocument=policy_of_size(6145))

    def test_managed_policy_of_6144_characters_is_fine(self):
        arn = self.new_policy("just-fits", policy_of_size(6144))
        self.iam.delete_policy(PolicyArn=arn)

    def test_eleventh_group_of_a_user(self):
        # IAM User Guide, "IAM and AWS STS quotas": groups an IAM user can be a member of, 10;
        # the message follows AWS's "Cannot exceed quota for <Quota>: <n>" form.
        self.iam.create_user(UserName="joiner")
        for i in range(11):
            self.iam.create_group(GroupName="club-%02d" % i)
        for i in range(10):
            self.iam.add_user_to_group(GroupName="club-%02d" % i, UserName="joiner")
        self.iam.add_user_to_group(GroupName="club-00", UserName="joiner")  # already in: fine
        self.assertRejected(self.iam.add_user_to_group, "LimitExceeded", 409,
                            "Cannot exceed quota for GroupsPerUser: 10",
                            GroupName="club-10", UserName="joiner")
        self.assertEqual(len(self.iam.list_groups_for_user(UserName="joiner")["Groups"]), 10)
        self.assertEqual(self.iam.get_group(GroupName="club-10")["Users"], [])


class PolicyVersionTest(ErrorTestCase):
    # §2 "Managed-policy response shapes" and §1 CreatePolicyVersion / DeletePolicyVersion /
    # GetPolicyVersion / SetDefaultPolicyVersion (P)

    def five_versions(self, name):
        arn = self.new_policy(name)
        for i in range(4):
            self.iam.create_policy_version(PolicyArn=arn,
                                           PolicyDocument=identity_policy("arn:aws:s3:::v%d" % i))
        return arn

    def test_sixth_version(self):
        arn = self.five_versions("six-versions")
        self.assertRejected(self.iam.create_policy_version, "LimitExceeded", 409,
                            "A managed policy can have up to 5 versions. Before you create a new "
                            "version, you must delete an existing version.",
                            PolicyArn=arn, PolicyDocument=identity_policy())

    def test_versions_are_listed_newest_first(self):
        arn = self.five_versions("listed-versions")
        versions = self.iam.list_policy_versions(PolicyArn=arn)["Versions"]
        self.assertEqual([v["VersionId"] for v in versions], ["v5", "v4", "v3", "v2", "v1"])
        self.assertEqual([v["IsDefaultVersion"] for v in versions], [False] * 4 + [True])

    def test_version_ids_are_never_reused(self):
        arn = self.five_versions("never-reused")
        self.iam.delete_policy_version(PolicyArn=arn, VersionId="v5")
        created = self.iam.create_policy_version(PolicyArn=arn, PolicyDocument=identity_policy())
        self.assertEqual(created["PolicyVersion"]["VersionId"], "v6")
        self.iam.delete_policy_version(PolicyArn=arn, VersionId="v2")
        created = self.iam.create_policy_version(PolicyArn=arn, PolicyDocument=identity_policy())
        self.assertEqual(created["PolicyVersion"]["VersionId"], "v7")
        versions = self.iam.list_policy_versions(PolicyArn=arn)["Versions"]
        self.assertEqual([v["VersionId"] for v in versions], ["v7", "v6", "v4", "v3", "v1"])

    def test_version_ids_survive_set_default_and_delete_of_old_default(self):
        arn = self.new_policy("moved-default")
        self.iam.create_policy_version(PolicyArn=arn, PolicyDocument=identity_policy(),
                                       SetAsDefault=True)
        self.iam.delete_policy_version(PolicyArn=arn, VersionId="v1")
        created = self.iam.create_policy_version(PolicyArn=arn, PolicyDocument=identity_policy())
        self.assertEqual(created["PolicyVersion"]["VersionId"], "v3")
        self.assertEqual(self.iam.get_policy(PolicyArn=arn)["Policy"]["DefaultVersionId"], "v2")

    def test_delete_default_version(self):
        arn = self.new_policy("default-version")
        self.assertRejected(self.iam.delete_policy_version, "DeleteConflict", 409,
                            "Cannot delete the default version of a policy.",
                            PolicyArn=arn, VersionId="v1")

    def test_get_missing_version(self):
        self.assertRejected(self.iam.get_policy_version, "NoSuchEntity", 404,
                            "Policy %s version v9 does not exist or is not attachable."
                            % self.local_policy, PolicyArn=self.local_policy, VersionId="v9")

    def test_delete_missing_version(self):
        self.assertRejected(self.iam.delete_policy_version, "NoSuchEntity", 404,
                            "Policy %s version v9 does not exist or is not attachable."
                            % self.local_policy, PolicyArn=self.local_policy, VersionId="v9")

    def test_set_default_to_missing_version(self):
        self.assertRejected(self.iam.set_default_policy_version, "NoSuchEntity", 404,
                            "Policy %s version v4 does not exist or is not attachable."
                            % self.local_policy, PolicyArn=self.local_policy, VersionId="v4")

    def test_get_version_of_missing_policy(self):
        arn = "arn:aws:iam::%s:policy/TestNonExistingPolicy" % ACCT
        self.assertRejected(self.iam.get_policy_version, "NoSuchEntity", 404,
                            "Policy %s version v1 does not exist or is not attachable." % arn,
                            PolicyArn=arn, VersionId="v1")

    def test_malformed_version_id_on_an_aws_managed_policy(self):
        # §1 GetPolicyVersion, AWS-managed policy with VersionId v2-does-not-exist (MP)
        self.assertRejected(self.raw_iam.get_policy_version, "ValidationError", 400,
                            "1 validation error detected: Value at 'versionId' failed to satisfy "
                            "constraint: Member must satisfy regular expression pattern: "
                            "v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?",
                            PolicyArn="arn:aws:iam::aws:policy/service-role/"
                                      "AWSLambdaBasicExecutionRole",
                            VersionId="v2-does-not-exist")

    def test_malformed_version_id(self):
        self.assertRejected(self.raw_iam.set_default_policy_version, "ValidationError", 400,
                            "1 validation error detected: Value at 'versionId' failed to satisfy "
                            "constraint: Member must satisfy regular expression pattern: "
                            "v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?",
                            PolicyArn=self.local_policy, VersionId="wrong_version_id")


class TagErrorTest(ErrorTestCase):
    # §1 TagRole / UntagRole / CreatePolicy / TagPolicy / TagInstanceProfile (R, P, IP)

    def test_tag_role_with_51_tags(self):
        tags = [{"Key": "k%d" % i, "Value": "v"} for i in range(51)]
        self.assertRejected(self.raw_iam.tag_role, "ValidationError", 400,
                            "1 validation error detected: Value at 'tags' failed to satisfy "
                            "constraint: Member must have length less than or equal to 50",
                            RoleName="loner", Tags=tags)

    def test_tag_missing_role_with_51_tags_is_a_validation_error(self):
        tags = [{"Key": "k%d" % i, "Value": "v"} for i in range(51)]
        self.assertRejected(self.raw_iam.tag_role, "ValidationError", 400,
                            "1 validation error detected: Value at 'tags' failed to satisfy "
                            "constraint: Member must have length less than or equal to 50",
                            RoleName="test-nonexistent-role", Tags=tags)

    def test_tag_missing_role(self):
        self.assertRejected(self.iam.tag_role, "NoSuchEntity", 404,
                            "The role with name test-nonexistent-role cannot be found.",
                            RoleName="test-nonexistent-role", Tags=[{"Key": "k", "Value": "v"}])

    def test_tag_role_with_keys_differing_in_case(self):
        self.assertRejected(self.iam.tag_role, "InvalidInput", 400,
                            "Duplicate tag keys found. Please note that Tag keys are case "
                            "insensitive.", RoleName="loner",
                            Tags=[{"Key": "mykey", "Value": "a"}, {"Key": "MyKey", "Value": "b"}])

    def test_create_role_with_duplicate_tag_keys(self):
        self.assertRejected(self.iam.create_role, "InvalidInput", 400,
                            "Duplicate tag keys found. Please note that Tag keys are case "
                            "insensitive.", RoleName="dup-tags", AssumeRolePolicyDocument=TRUST,
                            Tags=[{"Key": "dupkey", "Value": "a"}, {"Key": "dupkey", "Value": "b"}])

    def test_tag_role_key_of_129_characters(self):
        self.assertRejected(self.raw_iam.tag_role, "ValidationError", 400,
                            "1 validation error detected: Value at 'tags.1.member.key' failed to "
                            "satisfy constraint: Member must have length less than or equal to 128",
                            RoleName="loner", Tags=[{"Key": "k" * 129, "Value": "v"}])

    def test_tag_role_value_of_257_characters(self):
        self.assertRejected(self.raw_iam.tag_role, "ValidationError", 400,
                            "1 validation error detected: Value at 'tags.1.member.value' failed "
                            "to satisfy constraint: Member must have length less than or equal to "
                            "256", RoleName="loner", Tags=[{"Key": "k", "Value": "v" * 257}])

    def test_tag_role_key_with_bang(self):
        self.assertRejected(self.raw_iam.tag_role, "ValidationError", 400,
                            "1 validation error detected: Value at 'tags.1.member.key' failed to "
                            "satisfy constraint: Member must satisfy regular expression pattern: "
                            "[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+",
                            RoleName="loner", Tags=[{"Key": "invalid!key", "Value": "v"}])

    def test_untag_role_bad_key(self):
        self.assertRejected(self.raw_iam.untag_role, "ValidationError", 400,
                            "1 validation error detected: Value at 'tagKeys' failed to satisfy "
                            "constraint: Member must satisfy constraint: [Member must have length "
                            "less than or equal to 128, Member must have length greater than or "
                            "equal to 1, Member must satisfy regular expression pattern: "
                            "[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+, Member must not be null]",
                            RoleName="loner", TagKeys=["invalid!key"])

    def test_untag_missing_role(self):
        self.assertRejected(self.iam.untag_role, "NoSuchEntity", 404,
                            "The role with name test-nonexistent-role cannot be found.",
                            RoleName="test-nonexistent-role", TagKeys=["k"])

    def test_tag_missing_instance_profile(self):
        self.assertRejected(self.iam.tag_instance_profile, "NoSuchEntity", 404,
                            "Instance Profile nonexistent-profile cannot be found.",
                            InstanceProfileName="nonexistent-profile",
                            Tags=[{"Key": "k", "Value": "v"}])

    def test_create_policy_with_duplicate_tag_keys(self):
        self.assertRejected(self.iam.create_policy, "InvalidInput", 400,
                            "Duplicate tag keys found.", PolicyName="dup-tags",
                            PolicyDocument=identity_policy(),
                            Tags=[{"Key": "0", "Value": "a"}, {"Key": "0", "Value": "b"}])

    def test_policy_tag_keys_are_case_sensitive(self):
        # §1.D "Tag-key uniqueness": policies accept `a` and `A` together.
        arn = self.new_policy("case-tags")
        self.iam.tag_policy(PolicyArn=arn, Tags=[{"Key": "a", "Value": "1"},
                                                 {"Key": "A", "Value": "2"}])
        tags = self.iam.list_policy_tags(PolicyArn=arn)["Tags"]
        self.assertEqual(sorted((t["Key"], t["Value"]) for t in tags), [("A", "2"), ("a", "1")])

    def test_tag_missing_policy(self):
        arn = "arn:aws:iam::%s:policy/NotAPolicy" % ACCT
        self.assertRejected(self.iam.tag_policy, "NoSuchEntity", 404,
                            "Policy %s was not found." % arn, PolicyArn=arn,
                            Tags=[{"Key": "k", "Value": "v"}])

    def test_retagging_a_role_updates_the_value_in_place(self):
        # §2 "ListRoleTags": re-tagging an existing key updates its value, position kept.
        role = self.new_role("retagged")
        self.iam.tag_role(RoleName=role, Tags=[{"Key": "somekey", "Value": "1"},
                                               {"Key": "someotherkey", "Value": "2"}])
        self.iam.tag_role(RoleName=role, Tags=[{"Key": "somekey", "Value": "3"}])
        self.assertEqual(self.iam.list_role_tags(RoleName=role)["Tags"],
                         [{"Key": "somekey", "Value": "3"}, {"Key": "someotherkey", "Value": "2"}])


class CliErrorTest(ErrorTestCase):
    """The same errors as the AWS CLI v2 prints them (exit code 254: the service refused)."""

    def cli_rejects(self, args, stderr):
        before = self.snapshot()
        out = self.server.run_cli(fx.AWS_CLI_V2, *args)
        self.assertEqual((out.returncode, out.stdout, out.stderr.strip()), (254, "", stderr))
        self.assertEqual(self.snapshot(), before)

    def test_cli_get_missing_role(self):
        self.cli_rejects(["iam", "get-role", "--role-name", "nope"],
                         "An error occurred (NoSuchEntity) when calling the GetRole operation: "
                         "The role with name nope cannot be found.")

    def test_cli_create_duplicate_role(self):
        self.cli_rejects(["iam", "create-role", "--role-name", "RAY-HEAD",
                          "--assume-role-policy-document", TRUST],
                         "An error occurred (EntityAlreadyExists) when calling the CreateRole "
                         "operation: Role with name RAY-HEAD already exists.")

    def test_cli_delete_role_in_profile(self):
        self.cli_rejects(["iam", "delete-role", "--role-name", "ray-head"],
                         "An error occurred (DeleteConflict) when calling the DeleteRole "
                         "operation: Cannot delete entity, must remove roles from instance "
                         "profile first.")

    def test_cli_put_inline_policy_not_json(self):
        self.cli_rejects(["iam", "put-role-policy", "--role-name", "loner", "--policy-name", "x",
                          "--policy-document", "{not json"],
                         "An error occurred (MalformedPolicyDocument) when calling the "
                         "PutRolePolicy operation: Syntax errors in policy.")


if __name__ == "__main__":
    unittest.main()
