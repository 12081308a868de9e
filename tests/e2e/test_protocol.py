"""The Query protocol on the wire (shared/AWS-WIRE.md): policy documents come back exactly as
stored, percent-encoded once with %20 for space; form values decode '+' and percent escapes;
responses carry the namespace, the Result wrapper and a RequestId; unknown actions get
InvalidAction; response shapes follow notes/aws-errors.md §2.
"""

import json
import os
import resource
import socket
import time
import unittest
import urllib.parse
import xml.etree.ElementTree as ET

import botocore.exceptions

import iamd_fixture as fx

NS = fx.IAM_NS
TRUST = fx.seed_file("ray_trust_policy.json").decode()


def stored(body, path):
    """The document in a raw response, after the one round of percent-decoding clients do."""
    raw = fx.xml_text(body, path)
    return urllib.parse.unquote_to_bytes(raw).decode("utf-8")


class DocumentRoundTripTest(fx.ServerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.iam.create_role(RoleName="docs", AssumeRolePolicyDocument=TRUST)

    def put_and_get_raw(self, name, document):
        self.iam.put_role_policy(RoleName="docs", PolicyName=name, PolicyDocument=document)
        status, _, body = self.server.raw({"Action": "GetRolePolicy", "RoleName": "docs",
                                           "PolicyName": name})
        self.assertEqual(status, 200, body)
        return body

    def test_space_is_percent_20_on_the_wire(self):
        doc = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", ' \
              '"Action": "s3:GetObject", "Resource": "*"}]}'
        raw = fx.xml_text(self.put_and_get_raw("spaces", doc), "GetRolePolicyResult/PolicyDocument")
        self.assertIn("%20", raw)
        self.assertNotIn(" ", raw)
        self.assertNotIn("+", raw)

    def test_tabs_and_crlf_are_kept(self):
        doc = '{\r\n\t"Version": "2012-10-17",\r\n\t"Statement": [{"Effect": "Allow",\t' \
              '"Action": "s3:GetObject", "Resource": "*"}]\r\n}\r\n'
        body = self.put_and_get_raw("crlf", doc)
        self.assertEqual(stored(body, "GetRolePolicyResult/PolicyDocument"), doc)

    def test_literal_percent_escapes_in_strings_survive(self):
        # aws-errors.md §2 "Misc": literal percent-encoded text inside strings stays
        # percent-encoded after the client's one round of decoding.
        doc = json.dumps({"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Action": "apigateway:GET",
            "Resource": "arn:aws:apigateway:us-east-1::/tags/arn%3Aaws%3Aapigateway%3Aus-east-1"}]})
        body = self.put_and_get_raw("percent", doc)
        self.assertEqual(stored(body, "GetRolePolicyResult/PolicyDocument"), doc)
        got = self.iam.get_role_policy(RoleName="docs", PolicyName="percent")["PolicyDocument"]
        self.assertEqual(got, json.loads(doc))

    def test_plus_ampersand_and_latin1_survive(self):
        doc = json.dumps({"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::a+b&c=d/caf\u00e9",
            "Condition": {"StringEquals": {"aws:username": "jos\u00e9 <x> \"q\""}}}]},
            ensure_ascii=False)
        body = self.put_and_get_raw("latin1", doc)
        self.assertEqual(stored(body, "GetRolePolicyResult/PolicyDocument"), doc)

    def test_key_order_and_string_forms_are_kept(self):
        # aws-errors.md §2 "AssumeRolePolicyDocument is returned ... preserving the caller's
        # structure": a lone Statement object and lists stay as sent.
        doc = '{"Statement":{"Resource":["*"],"Action":"s3:GetObject","Effect":"Allow"},' \
              '"Version":"2012-10-17"}'
        body = self.put_and_get_raw("order", doc)
        self.assertEqual(stored(body, "GetRolePolicyResult/PolicyDocument"), doc)

    def test_trust_policy_update_is_returned_as_stored(self):
        doc = '{ "Version":"2012-10-17",\n "Statement":[{"Effect":"Allow","Principal":' \
              '{"Service":["ec2.amazonaws.com"]},"Action":["sts:AssumeRole"]}]}'
        self.iam.update_assume_role_policy(RoleName="docs", PolicyDocument=doc)
        status, _, body = self.server.raw({"Action": "GetRole", "RoleName": "docs"})
        self.assertEqual(stored(body, "GetRoleResult/Role/AssumeRolePolicyDocument"), doc)

    def test_managed_policy_version_document_is_returned_as_stored(self):
        doc = '{"Version": "2012-10-17",\n  "Statement": [{"Effect": "Allow", ' \
              '"Action": "s3:*", "Resource": "*"}]}\n'
        arn = self.iam.create_policy(PolicyName="stored", PolicyDocument=doc)["Policy"]["Arn"]
        status, _, body = self.server.raw({"Action": "GetPolicyVersion", "PolicyArn": arn,
                                           "VersionId": "v1"})
        self.assertEqual(stored(body, "GetPolicyVersionResult/PolicyVersion/Document"), doc)


class FormAndEnvelopeTest(fx.ServerTestCase):

    def test_plus_in_form_value_is_a_space(self):
        # raw() encodes the form with urllib's urlencode, which sends a space as '+'.
        pairs = [("Action", "CreateRole"), ("RoleName", "plus"), ("Description", "two words"),
                 ("AssumeRolePolicyDocument", TRUST)]
        self.assertIn("Description=two+words", urllib.parse.urlencode(pairs))
        status, _, resp = self.server.raw(pairs)
        self.assertEqual(status, 200, resp)
        self.assertEqual(self.iam.get_role(RoleName="plus")["Role"]["Description"], "two words")
        self.assertEqual(self.iam.get_role(RoleName="plus")["Role"]["AssumeRolePolicyDocument"],
                         json.loads(TRUST))

    def test_response_envelope(self):
        status, headers, body = self.server.raw({"Action": "ListRoles"})
        self.assertEqual(status, 200)
        root = ET.fromstring(body)
        self.assertEqual(root.tag, NS + "ListRolesResponse")
        self.assertIsNotNone(root.find(NS + "ListRolesResult"))
        request_id = root.find(NS + "ResponseMetadata").findtext(NS + "RequestId")
        self.assertRegex(request_id, r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
        self.assertEqual({k.lower(): v for k, v in headers.items()}.get("content-type"),
                         "text/xml")

    def test_operation_without_output_has_only_response_metadata(self):
        self.iam.create_role(RoleName="deleted", AssumeRolePolicyDocument=TRUST)
        status, _, body = self.server.raw({"Action": "DeleteRole", "RoleName": "deleted"})
        self.assertEqual(status, 200, body)
        root = ET.fromstring(body)
        self.assertEqual(root.tag, NS + "DeleteRoleResponse")
        self.assertEqual([child.tag for child in root], [NS + "ResponseMetadata"])

    def test_dates_are_utc_with_z(self):
        self.iam.create_role(RoleName="dated", AssumeRolePolicyDocument=TRUST)
        status, _, body = self.server.raw({"Action": "GetRole", "RoleName": "dated"})
        self.assertRegex(fx.xml_text(body, "GetRoleResult/Role/CreateDate"),
                         r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,3})?Z$")

    def test_booleans_are_lowercase_words(self):
        status, _, body = self.server.raw({"Action": "ListRoles"})
        self.assertEqual(fx.xml_text(body, "ListRolesResult/IsTruncated"), "false")

    def test_oversized_request_is_refused_and_the_server_lives_on(self):
        # The issue asks for a request-size limit; a 3 MB form is far beyond any IAM request
        # (the largest document is 131,072 characters).
        try:
            status, _, body = self.server.raw({"Action": "ListRoles", "Junk": "x" * 3_000_000})
        except (BrokenPipeError, ConnectionResetError):
            status = "closed"
        self.assertNotEqual(status, 200)
        self.assertEqual(self.server.healthz(), 200)
        status, _, body = self.server.raw({"Action": "ListRoles"})
        self.assertEqual(status, 200, body)

    def test_a_document_of_the_maximum_length_is_accepted(self):
        # botocore model policyDocumentType: up to 131,072 characters (white space is not
        # counted against the 10,240 inline quota, IAM User Guide "IAM and AWS STS quotas").
        self.iam.create_role(RoleName="max-doc", AssumeRolePolicyDocument=TRUST)
        doc = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*",' \
              '"Resource":"*"}]}'
        doc = doc[:-1] + " " * (131072 - len(doc)) + "}"
        self.assertEqual(len(doc), 131072)
        self.iam.put_role_policy(RoleName="max-doc", PolicyName="max", PolicyDocument=doc)
        status, _, body = self.server.raw({"Action": "GetRolePolicy", "RoleName": "max-doc",
                                           "PolicyName": "max"})
        self.assertEqual(stored(body, "GetRolePolicyResult/PolicyDocument"), doc)

    def test_unknown_action_is_invalid_action(self):
        status, _, body = self.server.raw({"Action": "NoSuchAction"})
        self.assertEqual((status,) + fx.parse_error(body), (
            400, "Sender", "InvalidAction",
            "Could not find operation NoSuchAction for version 2010-05-08"))


class ResponseShapeTest(fx.ServerTestCase):
    # notes/aws-errors.md §2 "Role response shapes", "Managed-policy response shapes".

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.created = cls.iam.create_role(RoleName="described", AssumeRolePolicyDocument=TRUST,
                                          Description="testing role", MaxSessionDuration=7200)

    def test_create_role_response_omits_description(self):
        self.assertNotIn("Description", self.created["Role"])
        self.assertNotIn("MaxSessionDuration", self.created["Role"])
        self.assertNotIn("RoleLastUsed", self.created["Role"])

    def test_get_role_shows_description_and_max_session_duration(self):
        role = self.iam.get_role(RoleName="described")["Role"]
        self.assertEqual((role["Description"], role["MaxSessionDuration"], role["RoleLastUsed"]),
                         ("testing role", 7200, {}))
        self.assertEqual(role["RoleId"], self.created["Role"]["RoleId"])
        self.assertEqual(role["CreateDate"], self.created["Role"]["CreateDate"])

    def test_update_role_without_parameters_changes_nothing(self):
        before = self.iam.get_role(RoleName="described")["Role"]
        self.iam.update_role(RoleName="described")
        self.assertEqual(self.iam.get_role(RoleName="described")["Role"], before)

    def test_update_role_description_response_shape(self):
        self.iam.create_role(RoleName="redescribed", AssumeRolePolicyDocument=TRUST)
        role = self.iam.update_role_description(RoleName="redescribed", Description="new")["Role"]
        self.assertEqual(sorted(role), sorted(["Arn", "AssumeRolePolicyDocument", "CreateDate",
                                               "Description", "Path", "RoleId", "RoleName"]))
        self.assertEqual(role["Description"], "new")

    def test_get_role_tags_omitted_when_none_and_listed_when_set(self):
        self.iam.create_role(RoleName="tagged", AssumeRolePolicyDocument=TRUST)
        self.assertNotIn("Tags", self.iam.get_role(RoleName="tagged")["Role"])
        self.iam.tag_role(RoleName="tagged", Tags=[{"Key": "team", "Value": ""}])
        self.assertEqual(self.iam.get_role(RoleName="tagged")["Role"]["Tags"],
                         [{"Key": "team", "Value": ""}])

    def test_create_policy_response_omits_description(self):
        doc = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*",' \
              '"Resource":"*"}]}'
        created = self.iam.create_policy(PolicyName="described-policy", PolicyDocument=doc,
                                         Description="testing")["Policy"]
        self.assertNotIn("Description", created)
        self.assertNotIn("Tags", created)
        self.assertEqual((created["DefaultVersionId"], created["AttachmentCount"],
                          created["PermissionsBoundaryUsageCount"], created["IsAttachable"]),
                         ("v1", 0, 0, True))
        got = self.iam.get_policy(PolicyArn=created["Arn"])["Policy"]
        self.assertEqual((got["Description"], got["Tags"]), ("testing", []))

    def test_list_policy_tags_order(self):
        # aws-errors.md surprise 4: created abc, b, z, a -> listed a, b, z, abc.
        doc = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*",' \
              '"Resource":"*"}]}'
        arn = self.iam.create_policy(PolicyName="ordered-tags", PolicyDocument=doc, Tags=[
            {"Key": k, "Value": "v"} for k in ["abc", "b", "z", "a"]])["Policy"]["Arn"]
        tags = self.iam.list_policy_tags(PolicyArn=arn)["Tags"]
        self.assertEqual([t["Key"] for t in tags], ["a", "b", "z", "abc"])

    def test_list_entities_for_policy_local_managed_policy_filter_is_empty(self):
        # aws-errors.md §2 "ListEntitiesForPolicy": EntityFilter LocalManagedPolicy returned all
        # three lists empty even for an attached policy.
        doc = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*",' \
              '"Resource":"*"}]}'
        arn = self.iam.create_policy(PolicyName="filtered", PolicyDocument=doc)["Policy"]["Arn"]
        self.iam.attach_role_policy(RoleName="described", PolicyArn=arn)
        got = self.iam.list_entities_for_policy(PolicyArn=arn, EntityFilter="LocalManagedPolicy")
        self.assertEqual((got["PolicyRoles"], got["PolicyUsers"], got["PolicyGroups"]),
                         ([], [], []))
        got = self.iam.list_entities_for_policy(PolicyArn=arn, EntityFilter="Role")
        self.assertEqual([r["RoleName"] for r in got["PolicyRoles"]], ["described"])

    def test_permissions_boundary_shape(self):
        doc = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*",' \
              '"Resource":"*"}]}'
        arn = self.iam.create_policy(PolicyName="boundary", PolicyDocument=doc)["Policy"]["Arn"]
        self.iam.create_role(RoleName="bounded", AssumeRolePolicyDocument=TRUST)
        self.iam.put_role_permissions_boundary(RoleName="bounded", PermissionsBoundary=arn)
        role = self.iam.get_role(RoleName="bounded")["Role"]
        self.assertEqual(role["PermissionsBoundary"], {"PermissionsBoundaryArn": arn,
                                                       "PermissionsBoundaryType": "Policy"})
        listed = [r for r in self.iam.list_roles()["Roles"] if r["RoleName"] == "bounded"][0]
        self.assertNotIn("PermissionsBoundary", listed)
        self.assertEqual(self.iam.get_policy(PolicyArn=arn)["Policy"]
                         ["PermissionsBoundaryUsageCount"], 1)
        self.iam.delete_role_permissions_boundary(RoleName="bounded")
        self.assertNotIn("PermissionsBoundary", self.iam.get_role(RoleName="bounded")["Role"])


class ServiceLinkedRoleTest(fx.ServerTestCase):
    # notes/aws-errors.md §2 "Service-linked roles" and §1 CreateServiceLinkedRole (I).

    def test_create_service_linked_role_for_batch(self):
        role = self.iam.create_service_linked_role(AWSServiceName="batch.amazonaws.com")["Role"]
        self.assertEqual((role["RoleName"], role["Path"], role["Arn"]), (
            "AWSServiceRoleForBatch", "/aws-service-role/batch.amazonaws.com/",
            "arn:aws:iam::%s:role/aws-service-role/batch.amazonaws.com/AWSServiceRoleForBatch"
            % fx.ACCOUNT_ID))
        self.assertEqual(role["AssumeRolePolicyDocument"], {"Version": "2012-10-17", "Statement": [
            {"Action": "sts:AssumeRole", "Effect": "Allow",
             "Principal": {"Service": "batch.amazonaws.com"}}]})
        attached = self.iam.list_attached_role_policies(RoleName="AWSServiceRoleForBatch")
        self.assertEqual(attached["AttachedPolicies"], [{
            "PolicyName": "BatchServiceRolePolicy",
            "PolicyArn": "arn:aws:iam::aws:policy/aws-service-role/BatchServiceRolePolicy"}])

    def test_second_service_linked_role_is_invalid_input(self):
        self.iam.create_service_linked_role(AWSServiceName="ecs.amazonaws.com")
        with self.assertRaises(botocore.exceptions.ClientError) as ctx:
            self.iam.create_service_linked_role(AWSServiceName="ecs.amazonaws.com")
        err = ctx.exception.response
        self.assertEqual((err["ResponseMetadata"]["HTTPStatusCode"], err["Error"]["Code"],
                          err["Error"]["Message"]), (
            400, "InvalidInput", "Service role name AWSServiceRoleForECS has been taken in this "
            "account, please try a different suffix."))

    def test_custom_suffix_not_allowed(self):
        with self.assertRaises(botocore.exceptions.ClientError) as ctx:
            self.iam.create_service_linked_role(AWSServiceName="ops.apigateway.amazonaws.com",
                                                CustomSuffix="testsuffix")
        err = ctx.exception.response
        self.assertEqual((err["ResponseMetadata"]["HTTPStatusCode"], err["Error"]["Code"],
                          err["Error"]["Message"]), (
            400, "InvalidInput", "Custom suffix is not allowed for ops.apigateway.amazonaws.com"))

    def test_custom_suffix_where_allowed(self):
        role = self.iam.create_service_linked_role(AWSServiceName="autoscaling.amazonaws.com",
                                                   CustomSuffix="mine")["Role"]
        self.assertEqual(role["RoleName"], "AWSServiceRoleForAutoScaling_mine")

    def test_delete_service_linked_role_task(self):
        self.iam.create_service_linked_role(AWSServiceName="elasticache.amazonaws.com")
        task = self.iam.delete_service_linked_role(
            RoleName="AWSServiceRoleForElastiCache")["DeletionTaskId"]
        self.assertRegex(task, r"^task/aws-service-role/elasticache\.amazonaws\.com/"
                               r"AWSServiceRoleForElastiCache/[0-9a-f-]{36}$")
        status = self.iam.get_service_linked_role_deletion_status(DeletionTaskId=task)
        self.assertEqual(status["Status"], "SUCCEEDED")
        self.assertNotIn("Reason", status)
        with self.assertRaises(botocore.exceptions.ClientError):
            self.iam.get_role(RoleName="AWSServiceRoleForElastiCache")


def ready_line(server):
    with open(server.stdout_path, "r", errors="replace") as f:
        return next((line for line in f if line.startswith("iamd: serving IAM and STS")), "")


class IoLoopTest(fx.ServerTestCase):
    """The server says which event loop it runs on: io_uring where the kernel allows it, else
    Asio's epoll reactor (see EpollLoopTest for the seed page on the latter)."""

    def test_ready_line_names_the_event_loop(self):
        line = ready_line(self.server)
        self.assertRegex(line, r", (io_uring|epoll), ready in ", line)


class EpollLoopTest(fx.ServerTestCase):
    """The seed page, verbatim through AWS CLI v2, on the fallback loop (--no-io-uring: what a
    kernel or sandbox without io_uring gets); every other end-to-end test runs on the default."""

    server_args = ("--no-io-uring",)
    server_seeded = True

    def test_ready_line_says_epoll(self):
        self.assertIn(", epoll, ready in ", ready_line(self.server))

    def test_seed_state_is_there(self):
        for name in ("ray-head", "ray-worker"):
            profile = self.iam.get_instance_profile(InstanceProfileName=name)["InstanceProfile"]
            self.assertEqual(profile["Arn"],
                             "arn:aws:iam::123456789012:instance-profile/" + name)
            self.assertEqual([r["RoleName"] for r in profile["Roles"]], [name])
        attached = self.iam.list_attached_role_policies(RoleName="ray-head")["AttachedPolicies"]
        self.assertEqual(len(attached), 5)


class OutOfDescriptorsTest(unittest.TestCase):
    """A server out of file descriptors (EMFILE) keeps serving the connections it has, does not
    spin on accept meanwhile, and accepts again once descriptors are free: on both loops."""

    def test_both_loops(self):
        for args in ((), ("--no-io-uring",)):
            with self.subTest(args=args):
                self.check(args)

    def check(self, args):
        server = fx.Iamd(extra_args=args).start()
        try:
            pid = server.proc.pid
            used = len(os.listdir("/proc/%d/fd" % pid))
            resource.prlimit(pid, resource.RLIMIT_NOFILE, (used + 8, used + 8))
            held = []
            for _ in range(40):  # more than the server can take
                held.append(socket.create_connection((server.host, server.port), timeout=5))
            time.sleep(0.5)  # let the accepts fail
            before = cpu_seconds(pid)
            time.sleep(2.0)
            spent = cpu_seconds(pid) - before
            # A loop retrying accept at once burns a core (2 s of CPU here); pausing costs none.
            self.assertLess(spent, 0.5, "iamd spun on accept while out of descriptors")
            for s in held:
                s.close()
            deadline = time.monotonic() + 10
            while True:
                try:
                    if server.healthz() == 200:
                        break
                except OSError:
                    pass
                self.assertLess(time.monotonic(), deadline, "no accept after descriptors freed")
                time.sleep(0.1)
            self.assertIsNone(server.proc.poll())
        finally:
            server.close()


def cpu_seconds(pid):
    """User + system CPU time of process `pid` (all its threads), in seconds."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


if __name__ == "__main__":
    unittest.main()
