"""The policy simulator APIs end to end (issue 3, "Simulator APIs" and the first "Done when").

The seed page is applied with AWS CLI v2, then AWS CLI v2 `aws iam simulate-principal-policy`,
`simulate-custom-policy`, `get-context-keys-for-*` and boto3 (paginator, context entries,
resource policies) ask what ray-head and ray-worker may do.

Shapes: notes/aws-errors.md "Misc. response shapes" (SimulatePrincipalPolicy items: EvalActionName,
EvalDecision, EvalResourceName, MatchedStatements with SourcePolicyId, SourcePolicyType and
Start/EndPosition, MissingContextValues, ResourceSpecificResults). Real AWS output (public CLI
captures) names a managed policy's statements SourcePolicyId = the policy's name with
SourcePolicyType "IAM Policy" (e.g. AdministratorAccess, AmazonS3ReadOnlyAccess), and the
documents of SimulateCustomPolicy "PolicyInputList.N" with "IAM Policy". For the seed's inline
policy the test follows issue 3's wording: SourcePolicyId ray-pass-role-policy, type "role".
"""

import fnmatch
import json
import subprocess
import unittest
import urllib.parse

import iamd_fixture as fx

ACCOUNT = fx.ACCOUNT_ID
HEAD = fx.arn("role", "ray-head")
WORKER = fx.arn("role", "ray-worker")
SEED_ALLOWED = {  # action -> the managed policy of ray-head that allows it
    "ec2:RunInstances": "AmazonEC2FullAccess",
    "s3:GetObject": "AmazonS3FullAccess",
    "fsx:CreateFileSystem": "AmazonFSxFullAccess",
    "ssm:SendCommand": "AmazonSSMFullAccess",
}
SLR_SPOT = "arn:aws:iam::%s:role/aws-service-role/spot.amazonaws.com/AWSServiceRoleForEC2Spot" % ACCOUNT


def context(key, value, type_="string"):
    return {"ContextKeyName": key, "ContextKeyValues": [value], "ContextKeyType": type_}


class SimulatorTest(fx.ServerTestCase):

    maxDiff = None
    server_seeded = True

    # ---- helpers ----------------------------------------------------------------------

    def cli(self, *args):
        out = self.server.run_cli(fx.AWS_CLI_V2, "iam", *args, "--output", "json")
        self.assertEqual(out.returncode, 0, out.stderr)
        return json.loads(out.stdout)

    def simulate_principal_cli(self, source, actions, resources=None, contexts=()):
        args = ["simulate-principal-policy", "--policy-source-arn", source, "--action-names"]
        args += list(actions)
        if resources:
            args += ["--resource-arns"] + list(resources)
        if contexts:
            args += ["--context-entries"]
            for key, value, type_ in contexts:
                args.append("ContextKeyName=%s,ContextKeyValues=%s,ContextKeyType=%s"
                            % (key, value, type_))
        results = self.cli(*args)["EvaluationResults"]
        self.assertEqual([r["EvalActionName"] for r in results], list(actions))
        return results

    def decisions(self, results):
        return {r["EvalActionName"]: r["EvalDecision"] for r in results}

    def matched(self, result):
        return sorted((m["SourcePolicyId"], m["SourcePolicyType"])
                      for m in result.get("MatchedStatements", []))

    # ---- ray-head and ray-worker through AWS CLI v2 --------------------------------------

    def test_ray_head_may_pass_ray_worker(self):
        [result] = self.simulate_principal_cli(HEAD, ["iam:PassRole"], [WORKER])
        self.assertEqual((result["EvalDecision"], result["EvalResourceName"]), ("allowed", WORKER))
        self.assertEqual(self.matched(result), [("ray-pass-role-policy", "role")])
        self.assertEqual(result["MissingContextValues"], [])
        [specific] = result["ResourceSpecificResults"]
        self.assertEqual((specific["EvalResourceName"], specific["EvalResourceDecision"]),
                         (WORKER, "allowed"))
        self.assertEqual(self.matched(specific), [("ray-pass-role-policy", "role")])

    def test_matched_statement_positions_point_at_the_statement(self):
        [result] = self.simulate_principal_cli(HEAD, ["iam:PassRole"], [WORKER])
        [statement] = result["MatchedStatements"]
        start, end = statement["StartPosition"], statement["EndPosition"]
        lines = fx.seed_file("ray_pass_role_policy.json").decode().split("\n")

        def offset(pos):  # 1-based line and column into the document as stored
            self.assertGreaterEqual(pos["Line"], 1)
            self.assertGreaterEqual(pos["Column"], 1)
            return sum(len(l) + 1 for l in lines[:pos["Line"] - 1]) + pos["Column"] - 1

        text = "\n".join(lines)
        span = text[offset(start):offset(end) + 1]
        self.assertLess(offset(start), offset(end))
        self.assertIn('"iam:PassRole"', span)
        self.assertIn("arn:aws:iam::*:role/ray-worker", span)
        self.assertNotIn('"Version"', span)

    def test_ray_head_may_not_pass_itself(self):
        [result] = self.simulate_principal_cli(HEAD, ["iam:PassRole"], [HEAD])
        self.assertEqual(result["EvalDecision"], "implicitDeny")
        self.assertEqual(result["MatchedStatements"], [])

    def test_ray_head_may_use_ec2_s3_fsx_and_ssm(self):
        results = self.simulate_principal_cli(HEAD, list(SEED_ALLOWED))
        for result in results:
            with self.subTest(action=result["EvalActionName"]):
                self.assertEqual((result["EvalDecision"], result["EvalResourceName"]),
                                 ("allowed", "*"))
                self.assertEqual(self.matched(result),
                                 [(SEED_ALLOWED[result["EvalActionName"]], "IAM Policy")])

    def test_ray_head_service_linked_roles_by_service_name(self):
        spot = self.simulate_principal_cli(HEAD, ["iam:CreateServiceLinkedRole"],
                                           contexts=[("iam:AWSServiceName", "spot.amazonaws.com",
                                                      "string")])
        self.assertEqual(spot[0]["EvalDecision"], "allowed")
        self.assertEqual(self.matched(spot[0]), [("AmazonEC2FullAccess", "IAM Policy")])
        lam = self.simulate_principal_cli(HEAD, ["iam:CreateServiceLinkedRole"],
                                          contexts=[("iam:AWSServiceName", "lambda.amazonaws.com",
                                                     "string")])
        self.assertEqual(lam[0]["EvalDecision"], "implicitDeny")
        self.assertEqual(lam[0]["MatchedStatements"], [])

    def test_ray_head_ssm_service_linked_role_needs_its_arn(self):
        ssm_role = ("arn:aws:iam::%s:role/aws-service-role/ssm.amazonaws.com/"
                    "AWSServiceRoleForAmazonSSM" % ACCOUNT)
        ctx = [("iam:AWSServiceName", "ssm.amazonaws.com", "string")]
        [on_arn] = self.simulate_principal_cli(HEAD, ["iam:CreateServiceLinkedRole"], [ssm_role],
                                               contexts=ctx)
        self.assertEqual(on_arn["EvalDecision"], "allowed")
        self.assertEqual(self.matched(on_arn), [("AmazonSSMFullAccess", "IAM Policy")])
        [elsewhere] = self.simulate_principal_cli(HEAD, ["iam:CreateServiceLinkedRole"], [SLR_SPOT],
                                                  contexts=ctx)
        self.assertEqual(elsewhere["EvalDecision"], "implicitDeny")

    def test_ray_head_may_not_create_roles(self):
        [result] = self.simulate_principal_cli(HEAD, ["iam:CreateRole"])
        self.assertEqual(result["EvalDecision"], "implicitDeny")
        self.assertEqual(result["MatchedStatements"], [])

    def test_ray_worker_may_do_none_of_it(self):
        actions = ["iam:PassRole", "ec2:RunInstances", "s3:GetObject", "fsx:CreateFileSystem",
                   "ssm:SendCommand", "iam:CreateServiceLinkedRole", "iam:CreateRole"]
        results = self.simulate_principal_cli(
            WORKER, actions, contexts=[("iam:AWSServiceName", "spot.amazonaws.com", "string")])
        self.assertEqual(self.decisions(results), {a: "implicitDeny" for a in actions})
        for result in results:
            self.assertEqual(result["MatchedStatements"], [])
        [passrole] = self.simulate_principal_cli(WORKER, ["iam:PassRole"], [WORKER])
        self.assertEqual(passrole["EvalDecision"], "implicitDeny")

    def test_simulate_principal_policy_for_a_missing_role(self):
        self.assertEqual(
            fx.error_of(self.iam.simulate_principal_policy, PolicySourceArn=fx.arn("role", "nope"),
                        ActionNames=["s3:GetObject"])[:3],
            (404, "Sender", "NoSuchEntity"))

    # ---- custom policies ------------------------------------------------------------------

    def test_custom_policy_with_a_matching_deny_is_explicit_deny(self):
        allow = fx.document(fx.allow("s3:*"))
        deny = fx.document(fx.deny("s3:DeleteObject", "arn:aws:s3:::bucket/*"))
        out = self.cli("simulate-custom-policy", "--policy-input-list", allow, deny,
                       "--action-names", "s3:DeleteObject", "s3:GetObject",
                       "--resource-arns", "arn:aws:s3:::bucket/key")
        results = {r["EvalActionName"]: r for r in out["EvaluationResults"]}
        self.assertEqual(results["s3:DeleteObject"]["EvalDecision"], "explicitDeny")
        self.assertEqual([m["SourcePolicyId"] for m in results["s3:DeleteObject"]["MatchedStatements"]],
                         ["PolicyInputList.2"])
        self.assertEqual(results["s3:GetObject"]["EvalDecision"], "allowed")
        self.assertEqual([m["SourcePolicyId"] for m in results["s3:GetObject"]["MatchedStatements"]],
                         ["PolicyInputList.1"])

    def test_custom_policy_source_policy_type(self):
        # Real AWS: SourcePolicyType "IAM Policy" for PolicyInputList.N (public captures of
        # simulate_custom_policy output; the service model's enum does not list it).
        out = self.iam.simulate_custom_policy(
            PolicyInputList=[fx.document(fx.allow("s3:*")),
                             fx.document(fx.deny("s3:DeleteObject", "arn:aws:s3:::bucket/*"))],
            ActionNames=["s3:DeleteObject", "s3:GetObject"], ResourceArns=["arn:aws:s3:::bucket/key"])
        results = {r["EvalActionName"]: r for r in out["EvaluationResults"]}
        self.assertEqual(self.matched(results["s3:DeleteObject"]),
                         [("PolicyInputList.2", "IAM Policy")])
        self.assertEqual(self.matched(results["s3:GetObject"]),
                         [("PolicyInputList.1", "IAM Policy")])

    def test_custom_policy_statement_positions(self):
        # Real AWS puts StartPosition on the statement's "{", 1-based: column 41 in a document
        # written by json.dumps ('{"Version": "2012-10-17", "Statement": [{...'), as in
        # several public captures of simulate_custom_policy output.
        out = self.iam.simulate_custom_policy(
            PolicyInputList=[fx.document(fx.allow("s3:*")),
                             fx.document(fx.deny("s3:DeleteObject", "arn:aws:s3:::bucket/*"))],
            ActionNames=["s3:DeleteObject", "s3:GetObject"], ResourceArns=["arn:aws:s3:::bucket/key"])
        results = {r["EvalActionName"]: r for r in out["EvaluationResults"]}
        for action in ("s3:DeleteObject", "s3:GetObject"):
            [statement] = results[action]["MatchedStatements"]
            self.assertEqual(statement["StartPosition"], {"Line": 1, "Column": 41}, action)
            self.assertEqual(statement["EndPosition"]["Line"], 1, action)
            self.assertGreater(statement["EndPosition"]["Column"], 41, action)

    def test_missing_context_values(self):
        policy = fx.document(fx.allow("s3:GetObject",
                                      Condition={"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}))
        out = self.iam.simulate_custom_policy(PolicyInputList=[policy],
                                              ActionNames=["s3:GetObject"])
        [result] = out["EvaluationResults"]
        self.assertEqual(result["EvalDecision"], "implicitDeny")
        self.assertEqual(result["MissingContextValues"], ["aws:SourceIp"])
        out = self.iam.simulate_custom_policy(
            PolicyInputList=[policy], ActionNames=["s3:GetObject"],
            ContextEntries=[context("aws:SourceIp", "10.1.2.3", "ip")])
        [result] = out["EvaluationResults"]
        self.assertEqual((result["EvalDecision"], result["MissingContextValues"]), ("allowed", []))
        out = self.iam.simulate_custom_policy(
            PolicyInputList=[policy], ActionNames=["s3:GetObject"],
            ContextEntries=[context("aws:SourceIp", "192.168.0.1", "ip")])
        [result] = out["EvaluationResults"]
        self.assertEqual((result["EvalDecision"], result["MissingContextValues"]),
                         ("implicitDeny", []))

    def test_permissions_boundary_decision_detail_for_custom_policies(self):
        out = self.iam.simulate_custom_policy(
            PolicyInputList=[fx.document(fx.allow("s3:*"))],
            PermissionsBoundaryPolicyInputList=[fx.document(fx.allow("s3:GetObject"))],
            ActionNames=["s3:GetObject", "s3:PutObject"])
        results = {r["EvalActionName"]: r for r in out["EvaluationResults"]}
        self.assertEqual(results["s3:GetObject"]["EvalDecision"], "allowed")
        self.assertEqual(results["s3:GetObject"]["PermissionsBoundaryDecisionDetail"],
                         {"AllowedByPermissionsBoundary": True})
        self.assertEqual(results["s3:PutObject"]["EvalDecision"], "implicitDeny")
        self.assertEqual(results["s3:PutObject"]["PermissionsBoundaryDecisionDetail"],
                         {"AllowedByPermissionsBoundary": False})

    def test_permissions_boundary_decision_detail_for_a_user(self):
        boundary = self.iam.create_policy(PolicyName="sim-get-list", PolicyDocument=fx.document(
            fx.allow(["iam:Get*", "iam:List*"])))["Policy"]["Arn"]
        self.iam.create_user(UserName="sim-bounded")
        self.iam.attach_user_policy(UserName="sim-bounded",
                                    PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
        self.iam.put_user_permissions_boundary(UserName="sim-bounded", PermissionsBoundary=boundary)
        results = self.simulate_principal_cli(fx.arn("user", "sim-bounded"),
                                              ["iam:GetRole", "iam:CreateRole"])
        by_action = {r["EvalActionName"]: r for r in results}
        self.assertEqual(by_action["iam:GetRole"]["EvalDecision"], "allowed")
        self.assertEqual(by_action["iam:GetRole"]["PermissionsBoundaryDecisionDetail"],
                         {"AllowedByPermissionsBoundary": True})
        self.assertEqual(by_action["iam:CreateRole"]["EvalDecision"], "implicitDeny")
        self.assertEqual(by_action["iam:CreateRole"]["PermissionsBoundaryDecisionDetail"],
                         {"AllowedByPermissionsBoundary": False})
        self.assertEqual(self.matched(by_action["iam:GetRole"]),
                         [("AdministratorAccess", "IAM Policy")])

    def test_user_group_policies_are_simulated(self):
        self.iam.create_group(GroupName="sim-readers")
        self.iam.attach_group_policy(GroupName="sim-readers",
                                     PolicyArn="arn:aws:iam::aws:policy/IAMReadOnlyAccess")
        self.iam.create_user(UserName="sim-member")
        self.iam.add_user_to_group(GroupName="sim-readers", UserName="sim-member")
        results = self.simulate_principal_cli(fx.arn("user", "sim-member"),
                                              ["iam:ListRoles", "iam:CreateRole"])
        self.assertEqual(self.decisions(results),
                         {"iam:ListRoles": "allowed", "iam:CreateRole": "implicitDeny"})
        group = self.simulate_principal_cli(fx.arn("group", "sim-readers"), ["iam:ListRoles"])
        self.assertEqual(group[0]["EvalDecision"], "allowed")

    # ---- resource policies ------------------------------------------------------------------

    def resource_case(self, identity, resource_policy, owner_account):
        caller = fx.arn("user", "sim-caller")
        out = self.iam.simulate_custom_policy(
            PolicyInputList=[identity], ActionNames=["s3:GetObject"],
            ResourceArns=["arn:aws:s3:::shared-bucket/key"], ResourcePolicy=resource_policy,
            CallerArn=caller, ResourceOwner="arn:aws:iam::%s:root" % owner_account)
        [result] = out["EvaluationResults"]
        return result["EvalDecision"]

    def bucket_policy(self, principal, effect="Allow"):
        return json.dumps({"Version": "2012-10-17", "Statement": [{
            "Effect": effect, "Principal": {"AWS": principal}, "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::shared-bucket/*"}]})

    def test_resource_policy_across_accounts(self):
        if "sim-caller" not in [u["UserName"] for u in self.iam.list_users()["Users"]]:
            self.iam.create_user(UserName="sim-caller")
        caller = fx.arn("user", "sim-caller")
        allows_get = fx.document(fx.allow("s3:GetObject"))
        allows_other = fx.document(fx.allow("s3:ListBucket"))
        other = "999999999999"
        # Another account's bucket: both the caller's identity policy and the bucket policy.
        self.assertEqual(self.resource_case(allows_get, self.bucket_policy(caller), other),
                         "allowed")
        self.assertEqual(self.resource_case(
            allows_get, self.bucket_policy("arn:aws:iam::%s:user/someone" % ACCOUNT), other),
            "implicitDeny")
        self.assertEqual(self.resource_case(allows_other, self.bucket_policy(caller), other),
                         "implicitDeny")
        # The caller's own account: the bucket policy naming the user is enough.
        self.assertEqual(self.resource_case(allows_other, self.bucket_policy(caller), ACCOUNT),
                         "allowed")
        # A Deny in the resource policy wins everywhere.
        self.assertEqual(self.resource_case(allows_get, self.bucket_policy(caller, "Deny"), ACCOUNT),
                         "explicitDeny")

    def test_resource_policy_matched_statement(self):
        # Named as real AWS names it: SourcePolicyId "ResourcePolicy", SourcePolicyType
        # "Resource Policy" (public capture of simulate_custom_policy output).
        if "sim-caller" not in [u["UserName"] for u in self.iam.list_users()["Users"]]:
            self.iam.create_user(UserName="sim-caller")
        caller = fx.arn("user", "sim-caller")
        allows_get = fx.document(fx.allow("s3:GetObject"))
        out = self.iam.simulate_custom_policy(
            PolicyInputList=[allows_get], ActionNames=["s3:GetObject"],
            ResourceArns=["arn:aws:s3:::shared-bucket/key"],
            ResourcePolicy=self.bucket_policy(caller, "Deny"), CallerArn=caller,
            ResourceOwner="arn:aws:iam::%s:root" % ACCOUNT)
        [result] = out["EvaluationResults"]
        self.assertIn(("ResourcePolicy", "Resource Policy"), self.matched(result))

    # ---- context keys -------------------------------------------------------------------

    def test_context_keys_for_a_custom_policy(self):
        # The AWS CLI reference's example: a variable in Resource and a condition key.
        policy = json.dumps({"Version": "2012-10-17", "Statement": {
            "Effect": "Allow", "Action": "dynamodb:*",
            "Resource": "arn:aws:dynamodb:us-west-2:%s:table/${aws:username}" % ACCOUNT,
            "Condition": {"DateGreaterThan": {"aws:CurrentTime": "2015-08-16T12:00:00Z"}}}})
        out = self.cli("get-context-keys-for-custom-policy", "--policy-input-list", policy)
        self.assertEqual(sorted(out["ContextKeyNames"]), ["aws:CurrentTime", "aws:username"])
        two = [fx.document(fx.allow("s3:*", Condition={"IpAddress": {"aws:SourceIp": "1.2.3.4/32"}})),
               fx.document(fx.allow("ec2:*", Condition={"StringEquals": {"ec2:Region": "us-east-1"},
                                                         "Bool": {"aws:SecureTransport": "true"}}))]
        out = self.iam.get_context_keys_for_custom_policy(PolicyInputList=two)
        self.assertEqual(sorted(out["ContextKeyNames"]),
                         ["aws:SecureTransport", "aws:SourceIp", "ec2:Region"])

    def policy_documents_of(self, role):
        docs = []
        for attached in self.iam.list_attached_role_policies(RoleName=role)["AttachedPolicies"]:
            policy = self.iam.get_policy(PolicyArn=attached["PolicyArn"])["Policy"]
            docs.append(self.iam.get_policy_version(
                PolicyArn=attached["PolicyArn"],
                VersionId=policy["DefaultVersionId"])["PolicyVersion"]["Document"])
        for name in self.iam.list_role_policies(RoleName=role)["PolicyNames"]:
            docs.append(self.iam.get_role_policy(RoleName=role, PolicyName=name)["PolicyDocument"])
        return [json.loads(urllib.parse.unquote(d)) if isinstance(d, str) else d for d in docs]

    def expected_context_keys(self, documents):
        import re
        keys = set()
        for doc in documents:
            statements = doc["Statement"]
            for st in statements if isinstance(statements, list) else [statements]:
                for block in st.get("Condition", {}).values():
                    keys.update(k.lower() for k in block)
                for field in ("Resource", "NotResource"):
                    for value in ([st[field]] if isinstance(st.get(field), str) else st.get(field, [])):
                        keys.update(v.lower() for v in re.findall(r"\$\{([^}]+)\}", value))
        return keys

    def test_context_keys_for_ray_head(self):
        expected = self.expected_context_keys(self.policy_documents_of("ray-head"))
        self.assertIn("iam:awsservicename", expected)
        out = self.cli("get-context-keys-for-principal-policy", "--policy-source-arn", HEAD)
        names = out.get("ContextKeyNames", [])
        self.assertEqual(len(names), len({n.lower() for n in names}), names)  # no duplicates
        self.assertEqual({n.lower() for n in names}, expected)

    def test_context_keys_for_ray_worker_are_none(self):
        out = self.iam.get_context_keys_for_principal_policy(PolicySourceArn=WORKER)
        self.assertEqual(out.get("ContextKeyNames", []), [])

    def test_context_keys_with_an_extra_policy(self):
        extra = fx.document(fx.allow("s3:*", Condition={"StringLike": {"s3:prefix": "home/*"}}))
        out = self.iam.get_context_keys_for_principal_policy(PolicySourceArn=WORKER,
                                                             PolicyInputList=[extra])
        self.assertEqual(out["ContextKeyNames"], ["s3:prefix"])

    # ---- pagination ---------------------------------------------------------------------

    ACTIONS = ["ec2:RunInstances", "s3:GetObject", "iam:CreateRole"]

    def test_paginator_page_size_one(self):
        pages = list(self.iam.get_paginator("simulate_principal_policy").paginate(
            PolicySourceArn=HEAD, ActionNames=self.ACTIONS, PaginationConfig={"PageSize": 1}))
        self.assertEqual([[r["EvalActionName"] for r in p["EvaluationResults"]] for p in pages],
                         [[a] for a in self.ACTIONS])
        self.assertEqual([p["IsTruncated"] for p in pages], [True, True, False])
        self.assertEqual([p["EvaluationResults"][0]["EvalDecision"] for p in pages],
                         ["allowed", "allowed", "implicitDeny"])

    def test_paginator_max_items_one(self):
        paginator = self.iam.get_paginator("simulate_principal_policy")
        first = paginator.paginate(PolicySourceArn=HEAD, ActionNames=self.ACTIONS,
                                   PaginationConfig={"MaxItems": 1}).build_full_result()
        self.assertEqual([r["EvalActionName"] for r in first["EvaluationResults"]],
                         self.ACTIONS[:1])
        self.assertIn("NextToken", first)
        rest = paginator.paginate(PolicySourceArn=HEAD, ActionNames=self.ACTIONS,
                                  PaginationConfig={"StartingToken": first["NextToken"]}
                                  ).build_full_result()
        self.assertEqual([r["EvalActionName"] for r in rest["EvaluationResults"]],
                         self.ACTIONS[1:])
        self.assertNotIn("NextToken", rest)

    def test_max_items_one_raw(self):
        out = self.iam.simulate_principal_policy(PolicySourceArn=HEAD, ActionNames=self.ACTIONS,
                                                 MaxItems=1)
        self.assertEqual(len(out["EvaluationResults"]), 1)
        self.assertTrue(out["IsTruncated"])
        self.assertTrue(out["Marker"])
        out = self.iam.simulate_principal_policy(PolicySourceArn=HEAD, ActionNames=self.ACTIONS,
                                                 MaxItems=5, Marker=out["Marker"])
        self.assertEqual([r["EvalActionName"] for r in out["EvaluationResults"]], self.ACTIONS[1:])
        self.assertFalse(out["IsTruncated"])
        self.assertNotIn("Marker", out)

    def test_cli_v2_paginates_on_its_own(self):
        out = self.cli("simulate-principal-policy", "--policy-source-arn", HEAD,
                       "--action-names", *self.ACTIONS, "--page-size", "1")
        self.assertEqual([r["EvalActionName"] for r in out["EvaluationResults"]], self.ACTIONS)



# ---- ListPoliciesGrantingServiceAccess ---------------------------------------------------------

def statement_list(document):
    statements = document["Statement"]
    return statements if isinstance(statements, list) else [statements]


def as_list(value):
    return value if isinstance(value, list) else [value]


def allows_some_action_of(document, service):
    """An independent reading of the rule iamd applies: an Allow statement whose Action has an
    entry for `service` ("svc:Name", "svc:*", "*:Name", "*"), or whose NotAction has none that
    excludes every action of it ("svc:*", "*:*", "*")."""
    service = service.lower()

    def names(entry):
        entry = entry.lower()
        return entry == "*" or fnmatch.fnmatchcase(service, entry.split(":", 1)[0])

    def covers_all(entry):
        entry = entry.lower()
        return entry == "*" or (names(entry) and set(entry.split(":", 1)[1]) == {"*"})

    for st in statement_list(document):
        if st["Effect"] != "Allow":
            continue
        if "Action" in st:
            if any(names(a) for a in as_list(st["Action"])):
                return True
        elif not any(covers_all(a) for a in as_list(st["NotAction"])):
            return True
    return False


class ServiceAccessTest(fx.ServerTestCase):
    """ListPoliciesGrantingServiceAccess through AWS CLI v2 and boto3, for the seed's roles, a
    user with policies of its own and of its group, and a group."""

    maxDiff = None
    server_seeded = True

    def managed_document(self, policy_arn):
        version = self.iam.get_policy(PolicyArn=policy_arn)["Policy"]["DefaultVersionId"]
        text = self.iam.get_policy_version(PolicyArn=policy_arn, VersionId=version)
        document = text["PolicyVersion"]["Document"]
        return document if isinstance(document, dict) else json.loads(urllib.parse.unquote(document))

    def expected_for_role(self, role, services):
        """What the documents of `role`'s policies say, read here without iamd's logic."""
        managed = self.iam.list_attached_role_policies(RoleName=role)["AttachedPolicies"]
        inline = self.iam.list_role_policies(RoleName=role)["PolicyNames"]
        out = []
        for service in services:
            policies = []
            for m in managed:
                if allows_some_action_of(self.managed_document(m["PolicyArn"]), service):
                    policies.append({"PolicyName": m["PolicyName"], "PolicyType": "MANAGED",
                                     "PolicyArn": m["PolicyArn"]})
            for name in inline:
                doc = self.iam.get_role_policy(RoleName=role, PolicyName=name)["PolicyDocument"]
                if allows_some_action_of(doc, service):
                    policies.append({"PolicyName": name, "PolicyType": "INLINE",
                                     "EntityType": "ROLE", "EntityName": role})
            out.append({"ServiceNamespace": service, "Policies": policies})
        return out

    def test_ray_head_through_cli_v2(self):
        services = ["ec2", "iam", "s3", "fsx", "ssm", "dynamodb", "cloudwatch"]
        out = self.iam_cli("list-policies-granting-service-access", "--arn", HEAD,
                           "--service-namespaces", *services)
        self.assertFalse(out["IsTruncated"])
        self.assertEqual(out["PoliciesGrantingServiceAccess"], self.expected_for_role("ray-head", services))
        by_service = {e["ServiceNamespace"]: e["Policies"] for e in out["PoliciesGrantingServiceAccess"]}
        # What the seed set up, spelled out: PassRole is the inline policy's; DynamoDB is none's.
        self.assertIn({"PolicyName": "ray-pass-role-policy", "PolicyType": "INLINE",
                       "EntityType": "ROLE", "EntityName": "ray-head"}, by_service["iam"])
        self.assertIn({"PolicyName": "AmazonS3FullAccess", "PolicyType": "MANAGED",
                       "PolicyArn": "arn:aws:iam::aws:policy/AmazonS3FullAccess"}, by_service["s3"])
        self.assertEqual(by_service["dynamodb"], [])
        names = {p["PolicyName"] for p in by_service["ec2"]}
        self.assertIn("AmazonEC2FullAccess", names)

    def test_ray_worker_has_no_policies(self):
        out = self.iam.list_policies_granting_service_access(Arn=WORKER, ServiceNamespaces=["ec2", "iam"])
        self.assertEqual(out["PoliciesGrantingServiceAccess"],
                         [{"ServiceNamespace": "ec2", "Policies": []},
                          {"ServiceNamespace": "iam", "Policies": []}])

    def test_a_users_own_and_its_groups_policies(self):
        iam = self.iam
        iam.create_group(GroupName="sa-group")
        iam.put_group_policy(GroupName="sa-group", PolicyName="group-not-iam",
                             PolicyDocument=fx.document({"Effect": "Allow", "NotAction": "iam:*",
                                                         "Resource": "*"}))
        read_only = "arn:aws:iam::aws:policy/IAMReadOnlyAccess"
        iam.attach_group_policy(GroupName="sa-group", PolicyArn=read_only)
        iam.create_user(UserName="sa-user")
        iam.add_user_to_group(GroupName="sa-group", UserName="sa-user")
        iam.attach_user_policy(UserName="sa-user", PolicyArn=read_only)  # also the group's
        iam.put_user_policy(UserName="sa-user", PolicyName="user-s3",
                            PolicyDocument=fx.document(fx.allow("s3:GetObject"),
                                                       fx.deny("sqs:*")))
        try:
            out = iam.list_policies_granting_service_access(
                Arn=fx.arn("user", "sa-user"), ServiceNamespaces=["s3", "iam", "sqs", "IAM"])
            managed = {"PolicyName": "IAMReadOnlyAccess", "PolicyType": "MANAGED",
                       "PolicyArn": read_only}
            user_s3 = {"PolicyName": "user-s3", "PolicyType": "INLINE", "EntityType": "USER",
                       "EntityName": "sa-user"}
            group_inline = {"PolicyName": "group-not-iam", "PolicyType": "INLINE",
                            "EntityType": "GROUP", "EntityName": "sa-group"}
            self.assertEqual(out["PoliciesGrantingServiceAccess"], [
                {"ServiceNamespace": "s3", "Policies": [user_s3, group_inline]},
                {"ServiceNamespace": "iam", "Policies": [managed]},
                {"ServiceNamespace": "sqs", "Policies": [group_inline]},  # the Deny grants nothing
                {"ServiceNamespace": "IAM", "Policies": [managed]},
            ])
            group = iam.list_policies_granting_service_access(
                Arn=fx.arn("group", "sa-group"), ServiceNamespaces=["s3", "iam"])
            self.assertEqual(group["PoliciesGrantingServiceAccess"], [
                {"ServiceNamespace": "s3", "Policies": [group_inline]},
                {"ServiceNamespace": "iam", "Policies": [managed]},
            ])
        finally:
            iam.remove_user_from_group(GroupName="sa-group", UserName="sa-user")
            iam.detach_user_policy(UserName="sa-user", PolicyArn=read_only)
            iam.delete_user_policy(UserName="sa-user", PolicyName="user-s3")
            iam.delete_user(UserName="sa-user")
            iam.detach_group_policy(GroupName="sa-group", PolicyArn=read_only)
            iam.delete_group_policy(GroupName="sa-group", PolicyName="group-not-iam")
            iam.delete_group(GroupName="sa-group")

    def test_refusals(self):
        cases = [
            (fx.arn("user", "nobody"), 404, "NoSuchEntity", "The user with name nobody cannot be found."),
            (fx.arn("role", "nope"), 404, "NoSuchEntity", "The role with name nope cannot be found."),
            (fx.arn("group", "none"), 404, "NoSuchEntity", "The group with name none cannot be found."),
            (fx.arn("role", "other-path/ray-head"), 404, "NoSuchEntity",
             "The role with name ray-head cannot be found."),
            ("arn:aws:s3:::bucket-name", 400, "InvalidInput",
             "ARN arn:aws:s3:::bucket-name is not valid."),
            (fx.arn("policy", "p"), 400, "InvalidInput",
             "ARN %s is not valid." % fx.arn("policy", "p")),
            (fx.arn("role", "ray-head", account="210987654321"), 400, "InvalidInput",
             "ARN %s is not valid." % fx.arn("role", "ray-head", account="210987654321")),
        ]
        for arn_, status, code, message in cases:
            with self.subTest(arn=arn_):
                got = fx.error_of(self.iam.list_policies_granting_service_access, Arn=arn_,
                                  ServiceNamespaces=["s3"])
                self.assertEqual(got, (status, "Sender", code, message))
        # The model's constraints, checked by the server (client-side validation off).
        status, _, code, message = fx.error_of(self.raw_iam.list_policies_granting_service_access,
                                               Arn=HEAD, ServiceNamespaces=["s3!"])
        self.assertEqual((status, code), (400, "ValidationError"))
        self.assertIn("serviceNamespaces", message)

    def test_pages_of_a_hundred_namespaces(self):
        services = ["svc%03d" % i for i in range(150)]
        services[120] = "s3"
        first = self.iam.list_policies_granting_service_access(Arn=HEAD, ServiceNamespaces=services)
        self.assertTrue(first["IsTruncated"])
        self.assertEqual([e["ServiceNamespace"] for e in first["PoliciesGrantingServiceAccess"]],
                         services[:100])
        rest = self.iam.list_policies_granting_service_access(
            Arn=HEAD, ServiceNamespaces=services, Marker=first["Marker"])
        self.assertFalse(rest["IsTruncated"])
        self.assertEqual([e["ServiceNamespace"] for e in rest["PoliciesGrantingServiceAccess"]],
                         services[100:])
        self.assertTrue(rest["PoliciesGrantingServiceAccess"][20]["Policies"])

    def test_enforced_on_the_identity_named(self):
        user = fx.create_user_with_key(self.iam, "sa-reader", inline=fx.document(
            fx.allow("iam:ListPoliciesGrantingServiceAccess", HEAD)))
        try:
            iam = self.server.client(key_id=user["key_id"], secret=user["secret"])
            out = iam.list_policies_granting_service_access(Arn=HEAD, ServiceNamespaces=["iam"])
            self.assertEqual(out["PoliciesGrantingServiceAccess"][0]["ServiceNamespace"], "iam")
            self.assertEqual(
                fx.error_of(iam.list_policies_granting_service_access, Arn=WORKER,
                            ServiceNamespaces=["iam"]),
                (403, "Sender", "AccessDenied",
                 fx.denied(user["arn"], "iam:ListPoliciesGrantingServiceAccess", WORKER)))
        finally:
            fx.delete_user_with_key(self.iam, user)

if __name__ == "__main__":
    unittest.main(verbosity=2)
