#!/usr/bin/env python3
"""Times moto's own IAM policy evaluator on the seed page's ray-head policies.

Same six policies and the same three requests as bench/policy_bench.cc (iam:PassRole on
role/ray-worker, s3:GetObject, a denied iam:CreateRole). moto decides a request the way
moto.iam.access_control.IAMRequestBase.check_action_permitted does: every policy's
IAMPolicy.is_action_permitted, DENIED wins, any PERMITTED allows. Two timings per request:
  * as-moto-runs-it: IAMPolicy objects built from the stored documents for every request, as
    check_action_permitted does through collect_policies();
  * prebuilt: IAMPolicy objects built once and reused (a lower bound for moto's cost).
Prints decisions/s for each. Usage: python3 bench/moto_evaluator_bench.py [seconds-per-case]
"""
import json
import os
import sys
import time

from moto.iam.access_control import IAMPolicy, PermissionResult

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEED = os.path.join(ROOT, "tests", "policy", "seed")
FILES = [
    "AmazonEC2FullAccess.json",
    "AmazonS3FullAccess.json",
    "AmazonFSxFullAccess.json",
    "CloudWatchAgentServerPolicy.json",
    "AmazonSSMFullAccess.json",
    "ray_pass_role_policy.json",
]
REQUESTS = [
    ("RayHeadPassRoleWorker", "iam:PassRole", "arn:aws:iam::123456789012:role/ray-worker", True),
    ("RayHeadS3GetObject", "s3:GetObject", "arn:aws:s3:::ray-bucket/data/part-0000.parquet", True),
    ("RayHeadCreateRoleDenied", "iam:CreateRole", "arn:aws:iam::123456789012:role/new-role", False),
]


def decide(policies, action, resource):
    permitted = False
    for policy in policies:
        result = policy.is_action_permitted(action, resource)
        if result == PermissionResult.DENIED:
            return False
        if result == PermissionResult.PERMITTED:
            permitted = True
    return permitted


def rate(fn, seconds):
    n = 0
    start = time.perf_counter()
    deadline = start + seconds
    while True:
        for _ in range(100):
            fn()
        n += 100
        now = time.perf_counter()
        if now >= deadline:
            return n / (now - start)


def main():
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 2.0
    documents = []
    for name in FILES:
        with open(os.path.join(SEED, name)) as f:
            documents.append(f.read())
    prebuilt = [IAMPolicy(doc) for doc in documents]
    for name, action, resource, expected in REQUESTS:
        got = decide(prebuilt, action, resource)
        if got != expected:
            sys.exit(f"{name}: moto decided {got}, expected {expected}")
        per_request = rate(lambda: decide([IAMPolicy(d) for d in documents], action, resource), seconds)
        reused = rate(lambda: decide(prebuilt, action, resource), seconds)
        print(f"moto {name} as-moto-runs-it decisions/s={per_request:.0f}")
        print(f"moto {name} prebuilt decisions/s={reused:.0f}")


if __name__ == "__main__":
    main()
