"""Every IAM and STS operation of the botocore service models, sent with hostile input: no
request gets a 5xx or a non-XML body, none stops the server, and every refused request changed
nothing (the account's state, read with GetAccountAuthorizationDetails after each request, is
what it was before it).

The input comes from the models' own shapes (botocore's data/iam/2010-05-08/service-2.json and
data/sts/2011-06-15/service-2.json, the models the AWS CLI and boto3 speak): each operation is
sent with no parameters, with every member set to a short value of the right kind, with every
string one character over its maximum length (at most 40,000 characters: a SAML metadata
document may have ten million) and lists of 21 members (of 2 for long documents), and with values of the
wrong kind. (Bodies stay under the server's 2 MiB request limit; test_protocol covers that.)
"""

import json
import os
import unittest
import xml.etree.ElementTree as ET

import botocore.loaders

import iamd_fixture as fx

TRUST = fx.seed_file("ray_trust_policy.json").decode()


def load_model(service):
    return botocore.loaders.Loader().load_service_model(service, "service-2")


ACCOUNT_ROLE_ARN = "arn:aws:iam::%s:role/a" % fx.ACCOUNT_ID
IDENTITY_POLICY = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]})


def plausible(name):
    """A valid-looking value for a string member called `name`, that names what setUpClass
    made where it can (so that handlers get past validation), or None."""
    if name.endswith("Path") or name.endswith("PathPrefix"):
        return "/"
    if name == "PolicyArn" or name == "PermissionsBoundary":
        return "arn:aws:iam::aws:policy/AmazonS3FullAccess"
    if name.endswith("Arn"):
        return ACCOUNT_ROLE_ARN
    if name == "AssumeRolePolicyDocument":
        return TRUST
    if name.endswith("Document") or name.endswith("Policy") or name.endswith("PolicyInputList"):
        return IDENTITY_POLICY
    return None


def scalar(shape, variant, name=""):
    """A form value for a scalar shape: "short" (the right kind; plausible() where it knows the
    member), "long" (over the maximum length), "wrong" (the wrong kind)."""
    kind = shape["type"]
    if variant == "wrong":
        return {"string": "\x00%zz\ud7ff<&>", "integer": "1e9999", "long": "-x",
                "boolean": "maybe", "timestamp": "yesterday", "blob": "!!not base64!!"}.get(
                    kind, "?")
    if kind == "string":
        if "enum" in shape:
            return shape["enum"][0]
        if variant == "long":
            return "a" * min(shape.get("max", 1024) + 1, 40000)
        return plausible(name) or "a" * max(1, shape.get("min", 1))
    if kind in ("integer", "long"):
        return str(shape.get("max", 1000) * 10 + 1) if variant == "long" else str(
            shape.get("min", 1))
    if kind == "boolean":
        return "true"
    if kind == "timestamp":
        return "2026-11-28T00:00:00Z"
    if kind == "blob":
        return "YQ=="
    return "a"


def flatten(model, shape_name, prefix, variant, out, depth=0):
    """Query-protocol form pairs for `shape_name` under `prefix` (AWS-WIRE.md: member.N)."""
    shape = model["shapes"][shape_name]
    kind = shape["type"]
    if depth > 4:
        return
    if kind == "structure":
        for name, member in shape.get("members", {}).items():
            flatten(model, member["shape"], prefix + ("." if prefix else "") + name, variant, out,
                    depth + 1)
    elif kind == "list":
        member = model["shapes"][shape["member"]["shape"]]
        count = 21 if variant == "long" and member.get("max", 0) < 4096 else 2
        for i in range(1, count + 1):
            flatten(model, shape["member"]["shape"], "%s.member.%d" % (prefix, i), variant, out,
                    depth + 1)
    elif kind == "map":
        flatten(model, shape["key"]["shape"], prefix + ".entry.1.key", variant, out, depth + 1)
        flatten(model, shape["value"]["shape"], prefix + ".entry.1.value", variant, out, depth + 1)
    else:
        leaf = prefix.rsplit(".", 1)[-1]
        if leaf in ("key", "value") or leaf.isdigit():  # map entries, list members
            leaf = prefix.split(".")[0]
        out.append((prefix, scalar(shape, variant, leaf)))


def requests_for(model):
    version = model["metadata"]["apiVersion"]
    for op_name, op in sorted(model["operations"].items()):
        variants = [("empty", [])]
        if "input" in op:
            for variant in ("short", "long", "wrong"):
                pairs = []
                flatten(model, op["input"]["shape"], "", variant, pairs)
                variants.append((variant, pairs))
        for variant, pairs in variants:
            yield op_name, variant, [("Action", op_name), ("Version", version)] + pairs


class HostileInputSweepTest(fx.ServerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Something to damage: the seed's shape, on a small scale.
        cls.iam.create_role(RoleName="a", AssumeRolePolicyDocument=TRUST)
        cls.iam.create_instance_profile(InstanceProfileName="a")
        cls.iam.add_role_to_instance_profile(InstanceProfileName="a", RoleName="a")
        cls.iam.attach_role_policy(RoleName="a",
                                   PolicyArn="arn:aws:iam::aws:policy/AmazonS3FullAccess")
        cls.iam.create_user(UserName="a")
        cls.iam.create_group(GroupName="a")
        cls.iam.create_open_id_connect_provider(Url="https://a.example.com", ClientIDList=["a"],
                                                Tags=[{"Key": "a", "Value": "a"}])

    def state(self):
        details = self.iam.get_account_authorization_details()
        for key in ("ResponseMetadata", "Marker", "IsTruncated"):
            details.pop(key, None)
        # OpenID Connect providers are not in GetAccountAuthorizationDetails (nor in AWS's).
        providers = {}
        for p in self.iam.list_open_id_connect_providers()["OpenIDConnectProviderList"]:
            got = self.iam.get_open_id_connect_provider(OpenIDConnectProviderArn=p["Arn"])
            got.pop("ResponseMetadata")
            providers[p["Arn"]] = got
        details["OpenIDConnectProviders"] = providers
        return json.dumps(details, sort_keys=True, default=str)

    def sweep(self, service):
        model = load_model(service)
        failures = []
        sent = 0
        current = self.state()
        for op_name, variant, pairs in requests_for(model):
            size = sum(len(k) + len(v) for k, v in pairs)
            self.assertLess(size, 1 << 20, "%s %s (%s) is too big to send" %
                            (service, op_name, variant))
            status, headers, body = self.server.raw(pairs, service=service)
            sent += 1
            where = "%s %s (%s)" % (service, op_name, variant)
            if self.server.proc.poll() is not None:
                self.fail("the server stopped after %s:\n%s" % (where, self.server.describe()))
            if status >= 500:
                failures.append("%s: HTTP %d %r" % (where, status, body[:300]))
            try:
                ET.fromstring(body)
            except ET.ParseError as e:
                failures.append("%s: HTTP %d, body is not XML (%s): %r" %
                                (where, status, e, body[:300]))
            after = self.state()
            if status >= 400 and after != current:
                failures.append("%s: refused with HTTP %d %r, yet the state changed" %
                                (where, status, body[:300]))
            current = after  # a request that succeeded may change it
        self.assertEqual(failures, [], "\n".join(failures[:20]))
        self.assertGreater(sent, 400 if service == "iam" else 20)
        self.assertEqual(self.server.healthz(), 200)

    def test_every_iam_operation(self):
        self.sweep("iam")

    def test_every_sts_operation(self):
        before = self.state()
        self.sweep("sts")
        self.assertEqual(self.state(), before, "an STS call changed IAM state")


if __name__ == "__main__":
    unittest.main()
