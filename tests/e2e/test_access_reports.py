"""IAM's service last accessed reports end to end (GenerateServiceLastAccessedDetails,
GetServiceLastAccessedDetails, GetServiceLastAccessedDetailsWithEntities) through boto3 and AWS
CLI v2: the services a user's, group's, role's or managed policy's permissions policies allow,
sorted by namespace, with the last IAM and STS requests iamd served for the entities concerned.

AWS's behaviour (IAM API reference; botocore examples-1.json; a response recorded by
cloud-custodian, tests/data/placebo/test_iam_user_usage/iam.GetServiceLastAccessedDetails_2.json):
a service never accessed carries ServiceName, ServiceNamespace and TotalAuthenticatedEntities 0
only; only permissions policies count (not the permissions boundary); a user's report covers its
groups' policies; a group's entities are its members, a policy's the users and roles it is
attached to; only the principal that made a report may read it. The messages for an unknown
JobId and a malformed ARN are iamd's.
"""

import json
import time
import unittest

import iamd_fixture as fx

ACCOUNT = fx.ACCOUNT_ID
TRUST_ACCOUNT = fx.document({"Effect": "Allow",
                             "Principal": {"AWS": "arn:aws:iam::%s:root" % ACCOUNT},
                             "Action": "sts:AssumeRole"})


class AccessReportTest(fx.ServerTestCase):

    @classmethod
    def prepare_server(cls):
        iam = cls.iam
        iam.create_group(GroupName="ops")
        iam.put_group_policy(GroupName="ops", PolicyName="describe",
                             PolicyDocument=fx.document(fx.allow("ec2:Describe*")))
        cls.user = fx.create_user_with_key(
            iam, "alice", groups=("ops",),
            inline=fx.document(fx.allow(["s3:Get*", "iam:List*", "sts:GetCallerIdentity"])),
            boundary="arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess")
        cls.bob = fx.create_user_with_key(iam, "bob", groups=("ops",))
        cls.policy = iam.create_policy(
            PolicyName="shared", PolicyDocument=fx.document(fx.allow(["sts:*", "lambda:List*"])))[
                "Policy"]
        iam.attach_group_policy(GroupName="ops", PolicyArn=cls.policy["Arn"])
        cls.role = iam.create_role(RoleName="worker", Path="/jobs/",
                                   AssumeRolePolicyDocument=TRUST_ACCOUNT)["Role"]
        iam.attach_role_policy(RoleName="worker", PolicyArn=cls.policy["Arn"])
        # Requests that make last accesses: alice to IAM (us-west-2; refused by her boundary,
        # but an attempt counts: "the last time an IAM entity attempted to access"), the role
        # to STS.
        alice = cls.server.client(region="us-west-2", key_id=cls.user["key_id"],
                                  secret=cls.user["secret"])
        assert fx.error_of(alice.list_users)[2] == "AccessDenied"
        runner = fx.create_user_with_key(iam, "runner",
                                         inline=fx.document(fx.allow("sts:AssumeRole")))
        cls.runner_sts = cls.server.client("sts", key_id=runner["key_id"],
                                           secret=runner["secret"])
        cls.reporter = iam.create_role(RoleName="reporter", AssumeRolePolicyDocument=TRUST_ACCOUNT)[
            "Role"]
        iam.put_role_policy(RoleName="reporter", PolicyName="reports",
                            PolicyDocument=fx.document(fx.allow("iam:*Last*")))
        creds = cls.runner_sts.assume_role(
            RoleArn=cls.role["Arn"], RoleSessionName="run-1")["Credentials"]
        cls.server.client("sts", key_id=creds["AccessKeyId"], secret=creds["SecretAccessKey"],
                          token=creds["SessionToken"]).get_caller_identity()

    def report(self, arn, **kwargs):
        job = self.iam.generate_service_last_accessed_details(Arn=arn, **kwargs)["JobId"]
        self.assertRegex(job, r"^[0-9a-f-]{36}$")
        type(self).report_before_restart = job
        return job

    def services(self, job):
        out = self.iam.get_service_last_accessed_details(JobId=job)
        self.assertEqual(out["JobStatus"], "COMPLETED")
        self.assertLessEqual(out["JobCreationDate"], out["JobCompletionDate"])
        self.assertFalse(out["IsTruncated"])
        return {s["ServiceNamespace"]: s for s in out["ServicesLastAccessed"]}, out

    def test_user_report_covers_its_groups_not_its_boundary(self):
        services, out = self.services(self.report(self.user["arn"]))
        self.assertEqual(out["JobType"], "SERVICE_LEVEL")
        # Its own policy, its group's inline and attached ones; the boundary allows s3 only
        # but is not a permissions policy.
        self.assertEqual(list(services), ["ec2", "iam", "lambda", "s3", "sts"])
        iam = services["iam"]
        self.assertEqual(iam["ServiceName"], "AWS Identity and Access Management")
        self.assertEqual(iam["LastAuthenticatedEntity"], self.user["arn"])
        self.assertEqual(iam["LastAuthenticatedRegion"], "us-west-2")
        self.assertEqual(iam["TotalAuthenticatedEntities"], 1)
        self.assertIn("LastAuthenticated", iam)
        # Never accessed: the name, the namespace and a count of 0 only (as AWS answers).
        self.assertEqual(services["s3"], {"ServiceName": "Amazon S3", "ServiceNamespace": "s3",
                                          "TotalAuthenticatedEntities": 0})

    def test_group_report_lists_its_members(self):
        job = self.report(fx.arn("group", "ops"))
        services, _ = self.services(job)
        self.assertEqual(list(services), ["ec2", "lambda", "sts"])
        self.assertEqual(services["ec2"]["TotalAuthenticatedEntities"], 0)
        out = self.iam.get_service_last_accessed_details_with_entities(
            JobId=job, ServiceNamespace="ec2")
        names = [e["EntityInfo"]["Name"] for e in out["EntityDetailsList"]]
        self.assertEqual(sorted(names), ["alice", "bob"])
        info = next(e["EntityInfo"] for e in out["EntityDetailsList"]
                    if e["EntityInfo"]["Name"] == "alice")
        self.assertEqual(info, {"Arn": self.user["arn"], "Name": "alice", "Type": "USER",
                                "Id": self.user["id"], "Path": "/"})

    def test_role_report_shows_its_sessions_requests(self):
        services, _ = self.services(self.report(self.role["Arn"]))
        self.assertEqual(list(services), ["lambda", "sts"])
        self.assertEqual(services["sts"]["LastAuthenticatedEntity"], self.role["Arn"])
        self.assertEqual(services["sts"]["TotalAuthenticatedEntities"], 1)

    def test_policy_report_lists_the_users_and_roles_it_reaches(self):
        job = self.report(self.policy["Arn"], Granularity="ACTION_LEVEL")
        services, out = self.services(job)
        self.assertEqual(out["JobType"], "ACTION_LEVEL")
        self.assertEqual(list(services), ["lambda", "sts"])
        # The role (through its session) used STS; alice and bob (through the group) did not.
        self.assertEqual(services["sts"]["TotalAuthenticatedEntities"], 1)
        out = self.iam.get_service_last_accessed_details_with_entities(
            JobId=job, ServiceNamespace="sts")
        rows = out["EntityDetailsList"]
        self.assertEqual(rows[0]["EntityInfo"]["Arn"], self.role["Arn"])  # the latest first
        self.assertEqual(rows[0]["EntityInfo"]["Type"], "ROLE")
        self.assertEqual(rows[0]["EntityInfo"]["Path"], "/jobs/")
        self.assertIn("LastAuthenticated", rows[0])
        self.assertEqual(sorted(r["EntityInfo"]["Name"] for r in rows[1:]), ["alice", "bob"])
        self.assertTrue(all("LastAuthenticated" not in r for r in rows[1:]))

    def test_every_service_of_an_administrator_in_pages(self):
        job = self.report("arn:aws:iam::aws:policy/AdministratorAccess")
        seen, marker = [], None
        while True:
            kwargs = {"JobId": job, "MaxItems": 100}
            if marker:
                kwargs["Marker"] = marker
            out = self.iam.get_service_last_accessed_details(**kwargs)
            seen += [s["ServiceNamespace"] for s in out["ServicesLastAccessed"]]
            if not out["IsTruncated"]:
                break
            marker = out["Marker"]
        self.assertGreater(len(seen), 400)
        self.assertEqual(seen, sorted(seen))  # "sorted by service namespace"
        self.assertEqual(len(seen), len(set(seen)))
        self.assertIn("s3", seen)
        self.assertEqual(fx.error_of(self.iam.get_service_last_accessed_details, JobId=job,
                                     Marker="bogus")[2], "InvalidInput")

    def test_aws_cli_v2(self):
        out = self.iam_cli("generate-service-last-accessed-details", "--arn", self.user["arn"])
        got = self.iam_cli("get-service-last-accessed-details", "--job-id", out["JobId"])
        self.assertEqual([s["ServiceNamespace"] for s in got["ServicesLastAccessed"]],
                         ["ec2", "iam", "lambda", "s3", "sts"])

    def test_errors(self):
        self.assertEqual(
            fx.error_of(self.iam.generate_service_last_accessed_details, Arn=fx.arn("user", "nope")),
            (404, "Sender", "NoSuchEntity", "The user with name nope cannot be found."))
        # The entity must be there under exactly this path.
        self.assertEqual(
            fx.error_of(self.iam.generate_service_last_accessed_details,
                        Arn=fx.arn("role", "worker"))[2], "NoSuchEntity")
        self.assertEqual(
            fx.error_of(self.iam.generate_service_last_accessed_details,
                        Arn=fx.arn("instance-profile", "x"))[:3],
            (400, "Sender", "InvalidInput"))
        self.assertEqual(
            fx.error_of(self.iam.get_service_last_accessed_details, JobId="0" * 36)[:3],
            (404, "Sender", "NoSuchEntity"))
        job = self.report(self.user["arn"])
        self.assertEqual(
            fx.error_of(self.iam.get_service_last_accessed_details_with_entities, JobId=job,
                        ServiceNamespace="dynamodb")[:3],
            (400, "Sender", "InvalidInput"))
        # Only the principal that made a report reads it.
        bob = self.server.client(key_id=self.bob["key_id"], secret=self.bob["secret"])
        root_job = self.report(fx.arn("group", "ops"))
        self.iam.put_user_policy(UserName="bob", PolicyName="reports",
                                 PolicyDocument=fx.document(fx.allow("iam:*Last*")))
        try:
            self.assertEqual(
                fx.error_of(bob.get_service_last_accessed_details, JobId=root_job)[:3],
                (404, "Sender", "NoSuchEntity"))
            own = bob.generate_service_last_accessed_details(Arn=self.bob["arn"])["JobId"]
            self.assertEqual(bob.get_service_last_accessed_details(JobId=own)["JobStatus"],
                             "COMPLETED")
            self.assertEqual(fx.error_of(self.iam.get_service_last_accessed_details,
                                         JobId=own)[2], "NoSuchEntity")
        finally:
            self.iam.delete_user_policy(UserName="bob", PolicyName="reports")

    def test_enforced_on_the_entity(self):
        bob = self.server.client(key_id=self.bob["key_id"], secret=self.bob["secret"])
        self.assertEqual(
            fx.error_of(bob.generate_service_last_accessed_details, Arn=self.user["arn"]),
            (403, "Sender", "AccessDenied",
             fx.denied(self.bob["arn"], "iam:GenerateServiceLastAccessedDetails",
                       self.user["arn"])))

    def test_tag_conditions_see_the_entity(self):
        # A Deny on the entity's tag applies to reports about it, as to GetRole.
        carol = fx.create_user_with_key(self.iam, "carol", inline=fx.document(
            fx.allow("iam:*"),
            fx.deny(["iam:GetRole", "iam:GenerateServiceLastAccessedDetails"],
                    Condition={"StringEquals": {"aws:ResourceTag/team": "secret"}})))
        self.iam.create_role(RoleName="vault", AssumeRolePolicyDocument=TRUST_ACCOUNT,
                             Tags=[{"Key": "team", "Value": "secret"}])
        try:
            iam = self.server.client(key_id=carol["key_id"], secret=carol["secret"])
            vault = fx.arn("role", "vault")
            refused = (403, "Sender", "AccessDenied",
                       fx.denied(carol["arn"], "iam:GenerateServiceLastAccessedDetails", vault,
                                 why="explicit-identity"))
            self.assertEqual(fx.error_of(iam.generate_service_last_accessed_details, Arn=vault),
                             refused)
            self.assertEqual(iam.generate_service_last_accessed_details(
                Arn=self.role["Arn"])["ResponseMetadata"]["HTTPStatusCode"], 200)
        finally:
            self.iam.delete_role(RoleName="vault")
            fx.delete_user_with_key(self.iam, carol)

    def test_entities_page_latest_first(self):
        # Two members of a group use STS, dave before erin: erin comes first, a page each.
        self.iam.create_group(GroupName="pair")
        self.iam.put_group_policy(GroupName="pair", PolicyName="whoami",
                                  PolicyDocument=fx.document(fx.allow("sts:GetCallerIdentity")))
        users = [fx.create_user_with_key(self.iam, name, groups=("pair",))
                 for name in ("dave", "erin", "frank")]
        for user in users[:2]:
            self.server.client("sts", key_id=user["key_id"],
                               secret=user["secret"]).get_caller_identity()
            time.sleep(0.01)
        job = self.report(fx.arn("group", "pair"))
        rows, marker = [], None
        while True:
            kwargs = {"JobId": job, "ServiceNamespace": "sts", "MaxItems": 1}
            if marker:
                kwargs["Marker"] = marker
            out = self.iam.get_service_last_accessed_details_with_entities(**kwargs)
            self.assertEqual(len(out["EntityDetailsList"]), 1)
            rows += out["EntityDetailsList"]
            if not out["IsTruncated"]:
                break
            marker = out["Marker"]
        self.assertEqual([r["EntityInfo"]["Name"] for r in rows], ["erin", "dave", "frank"])
        self.assertGreaterEqual(rows[0]["LastAuthenticated"], rows[1]["LastAuthenticated"])
        self.assertNotIn("LastAuthenticated", rows[2])
        services, _ = self.services(job)
        self.assertEqual(services["sts"]["LastAuthenticatedEntity"], users[1]["arn"])
        self.assertEqual(services["sts"]["TotalAuthenticatedEntities"], 2)

    def test_a_role_sessions_report_is_its_own(self):
        runner = self.runner_sts
        session = lambda name: runner.assume_role(RoleArn=self.reporter["Arn"],
                                                  RoleSessionName=name)["Credentials"]
        one, two = session("one"), session("two")
        client = lambda c: self.server.client(key_id=c["AccessKeyId"], secret=c["SecretAccessKey"],
                                              token=c["SessionToken"])
        job = client(one).generate_service_last_accessed_details(Arn=self.role["Arn"])["JobId"]
        self.assertEqual(client(one).get_service_last_accessed_details(JobId=job)["JobStatus"],
                         "COMPLETED")
        self.assertEqual(fx.error_of(client(two).get_service_last_accessed_details,
                                     JobId=job)[2], "NoSuchEntity")

    def test_reports_follow_their_maker_not_its_name(self):
        # Owned by the maker's unique ID: a renamed user still reads its report; another user
        # made under the old name does not.
        iam = self.iam
        grace = fx.create_user_with_key(iam, "grace",
                                        inline=fx.document(fx.allow("iam:*Last*")))
        client = lambda u: self.server.client(key_id=u["key_id"], secret=u["secret"])
        job = client(grace).generate_service_last_accessed_details(Arn=grace["arn"])["JobId"]
        iam.update_user(UserName="grace", NewUserName="grace2")
        try:
            self.assertEqual(
                client(grace).get_service_last_accessed_details(JobId=job)["JobStatus"],
                "COMPLETED")
            again = fx.create_user_with_key(iam, "grace",
                                            inline=fx.document(fx.allow("iam:*Last*")))
            try:
                self.assertEqual(fx.error_of(client(again).get_service_last_accessed_details,
                                             JobId=job)[2], "NoSuchEntity")
            finally:
                fx.delete_user_with_key(iam, again)
        finally:
            iam.update_user(UserName="grace2", NewUserName="grace")
            fx.delete_user_with_key(iam, grace)

    def test_zz_last_accesses_survive_a_restart(self):
        # (Last in name order: the server restarts.) The uses are stored with the user and the
        # role when the server stops, as RoleLastUsed is.
        self.server.restart()
        iam = self.server.client()
        job = iam.generate_service_last_accessed_details(Arn=self.user["arn"])["JobId"]
        services = {s["ServiceNamespace"]: s for s in
                    iam.get_service_last_accessed_details(JobId=job)["ServicesLastAccessed"]}
        self.assertEqual(services["iam"]["LastAuthenticatedEntity"], self.user["arn"])
        self.assertEqual(services["iam"]["LastAuthenticatedRegion"], "us-west-2")
        job = iam.generate_service_last_accessed_details(Arn=self.role["Arn"])["JobId"]
        services = {s["ServiceNamespace"]: s for s in
                    iam.get_service_last_accessed_details(JobId=job)["ServicesLastAccessed"]}
        self.assertEqual(services["sts"]["LastAuthenticatedEntity"], self.role["Arn"])
        self.assertEqual(services["sts"]["TotalAuthenticatedEntities"], 1)
        # Reports themselves are not kept across restarts.
        self.assertEqual(fx.error_of(iam.get_service_last_accessed_details,
                                     JobId=self.report_before_restart)[2], "NoSuchEntity")


if __name__ == "__main__":
    unittest.main()
