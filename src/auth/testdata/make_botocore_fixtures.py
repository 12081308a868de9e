#!/usr/bin/env python3
"""Writes signed IAM/STS requests from real AWS clients as fixtures for botocore_fixture_test.cc.

Each fixture is a folder under botocore/ with
  request.txt   the request exactly as the HTTP server would receive it (CRLF lines, body verbatim)
  context.json  the credentials that signed it, the time it was signed and what produced it

Two producers, both offline (nothing leaves 127.0.0.1):
  * botocore, in-process: a real boto3 client serializes and signs each call; a `before-send`
    hook captures the prepared request and answers it locally, so nothing is sent. The clock is
    pinned so the output is reproducible. Host is added as urllib3 would send it.
  * AWS CLI v2 (/usr/bin/aws, its own bundled botocore), with --cli-v2: the CLI talks to a
    one-shot socket server on 127.0.0.1 that records the raw bytes and answers with an error.
    Uses the real clock, so re-running changes those fixtures.

Usage: python3 make_botocore_fixtures.py [--cli-v2]   (run from anywhere; rewrites botocore/)
"""

import datetime
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import urllib.parse

import boto3
import botocore
import botocore.auth
from botocore.awsrequest import AWSResponse

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "botocore")
ENDPOINT = "http://127.0.0.1:4599"

ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
TEMP_ACCESS_KEY = "ASIAIOSFODNN7EXAMPLE"
TEMP_SECRET_KEY = "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY"
# Session tokens are base64: '+', '/' and '=' must survive header and query encoding.
SESSION_TOKEN = ("IQoJb3JpZ2luX2VjEXAMPLE+/TOKEN//////////wEaCXVzLWVhc3QtMSJHMEUCIQD"
                 "example+token/with+base64/characters==")
PINNED_NOW = datetime.datetime(2026, 11, 28, 0, 42, 45)

TRUST_POLICY = """{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {"Service": "ec2.amazonaws.com"},
      "Action": "sts:AssumeRole"
    }
  ]
}
"""


def write_fixture(name, raw_request, context):
    folder = os.path.join(OUT, name)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "request.txt"), "wb") as f:
        f.write(raw_request)
    with open(os.path.join(folder, "context.json"), "w") as f:
        json.dump(context, f, indent=2, sort_keys=True)
        f.write("\n")
    print("wrote", name)


def to_wire(method, url, headers, body):
    parts = urllib.parse.urlsplit(url)
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    lines = [f"{method} {target} HTTP/1.1", f"Host: {parts.netloc}"]
    for name, value in headers.items():
        if isinstance(value, bytes):
            value = value.decode("latin-1")
        lines.append(f"{name}: {value}")
    if isinstance(body, str):
        body = body.encode("utf-8")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + (body or b"")


def botocore_fixtures():
    botocore.auth.get_current_datetime = lambda remove_tzinfo=True: PINNED_NOW
    timestamp = PINNED_NOW.strftime("%Y-%m-%dT%H:%M:%SZ")

    def client(service, region, key, secret, token=None):
        session = boto3.session.Session(aws_access_key_id=key, aws_secret_access_key=secret,
                                        aws_session_token=token, region_name=region)
        return session.client(service, endpoint_url=ENDPOINT)

    def capture(name, description, service, region, key, secret, token, call):
        captured = {}

        def before_send(request, **kwargs):
            captured["wire"] = to_wire(request.method, request.url, request.headers, request.body)
            return AWSResponse(request.url, 500, {}, None)  # never sent

        c = client(service, region, key, secret, token)
        c.meta.events.register("before-send", before_send)
        try:
            call(c)
        except Exception:  # the local 500 makes the call fail; only the request matters
            pass
        write_fixture(name, captured["wire"], {
            "access_key_id": key, "secret_access_key": secret, "token": token or "",
            "region": region, "service": service, "timestamp": timestamp,
            "producer": f"botocore {botocore.__version__}", "description": description})

    capture("iam-create-role", "IAM CreateRole, policy with newlines, tags, unicode description",
            "iam", "us-west-2", ACCESS_KEY, SECRET_KEY, None,
            lambda c: c.create_role(
                RoleName="ray-head", Path="/ray/", AssumeRolePolicyDocument=TRUST_POLICY,
                Description="Ray head node — runs the autoscaler & dashboard (+GPU)",
                MaxSessionDuration=3600,
                Tags=[{"Key": "cluster name", "Value": "ray/dev = 1"}]))
    capture("iam-get-role", "IAM GetRole, the default region", "iam", "us-east-1",
            ACCESS_KEY, SECRET_KEY, None, lambda c: c.get_role(RoleName="ray-worker"))
    capture("iam-list-roles", "IAM ListRoles with a path prefix and a marker", "iam",
            "eu-central-1", ACCESS_KEY, SECRET_KEY, None,
            lambda c: c.list_roles(PathPrefix="/ray/", MaxItems=2, Marker="AAEAAQ=="))
    capture("sts-get-caller-identity-session-token",
            "STS GetCallerIdentity with temporary credentials (signed X-Amz-Security-Token)",
            "sts", "us-east-1", TEMP_ACCESS_KEY, TEMP_SECRET_KEY, SESSION_TOKEN,
            lambda c: c.get_caller_identity())

    # A presigned URL (query-string auth). botocore signs it for the operation's method, POST,
    # so that is how it must be sent: as a GET, STS itself rejects it (boto/boto3#756).
    c = client("sts", "us-east-1", TEMP_ACCESS_KEY, TEMP_SECRET_KEY, SESSION_TOKEN)
    url = c.generate_presigned_url("get_caller_identity", ExpiresIn=60)
    write_fixture("sts-presigned-get-caller-identity", to_wire("POST", url, {}, b""), {
        "access_key_id": TEMP_ACCESS_KEY, "secret_access_key": TEMP_SECRET_KEY,
        "token": SESSION_TOKEN, "region": "us-east-1", "service": "sts", "timestamp": timestamp,
        "producer": f"botocore {botocore.__version__}",
        "description": "STS GetCallerIdentity presigned URL, X-Amz-Expires=60, sent as POST"})


def read_http_request(conn):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        body += conn.recv(65536)
    return head + b"\r\n\r\n" + body


def cli_v2_fixture(name, description, args, region):
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    port = server.getsockname()[1]
    captured = {}

    def serve():
        conn, _ = server.accept()
        captured["wire"] = read_http_request(conn)
        body = (b'<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error>'
                b'<Type>Sender</Type><Code>NoSuchEntity</Code><Message>fixture</Message></Error>'
                b'<RequestId>00000000-0000-0000-0000-000000000000</RequestId></ErrorResponse>')
        conn.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Type: text/xml\r\nContent-Length: " +
                     str(len(body)).encode() + b"\r\nConnection: close\r\n\r\n" + body)
        conn.close()

    thread = threading.Thread(target=serve)
    thread.start()
    with tempfile.TemporaryDirectory() as home:
        env = {"PATH": "/usr/bin:/bin", "HOME": home, "AWS_ACCESS_KEY_ID": ACCESS_KEY,
               "AWS_SECRET_ACCESS_KEY": SECRET_KEY, "AWS_DEFAULT_REGION": region,
               "AWS_MAX_ATTEMPTS": "1", "AWS_CONFIG_FILE": os.path.join(home, "config"),
               "AWS_SHARED_CREDENTIALS_FILE": os.path.join(home, "credentials")}
        policy = os.path.join(home, "trust.json")
        with open(policy, "w") as f:
            f.write(TRUST_POLICY)
        args = [a.replace("@POLICY@", "file://" + policy) for a in args]
        subprocess.run(["/usr/bin/aws", "--endpoint-url", f"http://127.0.0.1:{port}"] + args,
                       env=env, capture_output=True, timeout=60)
    thread.join(timeout=60)
    server.close()
    wire = captured["wire"]
    amz_date = [l.split(b":", 1)[1].strip() for l in wire.split(b"\r\n")
                if l.lower().startswith(b"x-amz-date:")][0].decode()
    when = datetime.datetime.strptime(amz_date, "%Y%m%dT%H%M%SZ")
    version = subprocess.run(["/usr/bin/aws", "--version"], capture_output=True,
                             text=True).stdout.split()[0]
    write_fixture(name, wire, {
        "access_key_id": ACCESS_KEY, "secret_access_key": SECRET_KEY, "token": "",
        "region": region, "service": "iam", "timestamp": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "producer": version, "description": description})


def main():
    if "--cli-v2" in sys.argv:
        cli_v2_fixture("cli-v2-create-role",
                       "AWS CLI v2 iam create-role with a file:// trust policy, as the seed page",
                       ["iam", "create-role", "--role-name", "ray-head",
                        "--assume-role-policy-document", "@POLICY@"], "us-west-2")
        cli_v2_fixture("cli-v2-get-instance-profile",
                       "AWS CLI v2 iam get-instance-profile with --query (client side)",
                       ["iam", "get-instance-profile", "--instance-profile-name", "ray-head",
                        "--query", "InstanceProfile.Arn", "--output", "text"], "us-east-1")
    else:
        if os.path.isdir(OUT):
            for entry in os.listdir(OUT):
                if not entry.startswith("cli-v2-"):
                    shutil.rmtree(os.path.join(OUT, entry))
        botocore_fixtures()


if __name__ == "__main__":
    main()
