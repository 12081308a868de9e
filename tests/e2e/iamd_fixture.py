"""Shared fixture for iamd's end-to-end tests.

Starts a real `iamd serve` on a free port (port 0; the bound port is read from the
"iamd: serving ... at http://HOST:PORT" line) in a fresh temporary data folder, with fixed
root keys, and gives the tests what they need to drive it:

  * `Iamd.cli_env()`: an environment for the AWS CLI (v1 or v2) that ignores ~/.aws;
  * `Iamd.client()`: a boto3 client pointed at the server (retries off, optional
    client-side parameter validation off);
  * `Iamd.raw()`: a signed (or deliberately unsigned / mis-signed / old) raw HTTP request
    sent with http.client, returning status, headers and the undecoded body;
  * `Iamd.restart()` (SIGTERM, exit code 0, start again on the same data folder) and
    `Iamd.kill()` (SIGKILL);
  * `Iamd.imds`: for each `--imds HOST:0=PROFILE` argument, PROFILE -> (instance ID, URL), read
    from the "iamd: instance metadata for PROFILE (instance i-...) at http://HOST:PORT" lines;
  * other callers than root: `cli_env(key_id, secret, token)`, `run_cli(..., env=...)`,
    `client(..., key_id, secret, token)`, `raw(..., token=...)`, `Iamd(root_keys=False)` (iamd
    makes its own root keys in DATA/root-credentials), and `create_user_with_key`,
    `error_of`, `denied` (AWS's AccessDenied wording), `document`/`allow`/`deny`.

The process gets PR_SET_PDEATHSIG so that it dies with the test process, and every server
and temporary folder is also cleaned up at exit, whatever happened.

Environment: IAMD_BIN (the server binary; default <source>/build/iamd) and
IAMD_SOURCE_DIR (the repository; default two folders above this file).
"""

import atexit
import ctypes
import datetime
import glob
import http.client
import json
import os
import re
import shutil
import signal
import ssl
import subprocess
import tempfile
import time
import unittest
import urllib.parse
import xml.etree.ElementTree as ET
from unittest import mock

# Never let the machine's ~/.aws leak into boto3 or botocore in this process.
for _var in list(os.environ):
    if _var.startswith("AWS_"):
        del os.environ[_var]
os.environ["AWS_CONFIG_FILE"] = os.devnull
os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
os.environ["AWS_EC2_METADATA_DISABLED"] = "true"

import boto3  # noqa: E402  (after the environment is cleaned)
import botocore.auth  # noqa: E402
import botocore.awsrequest  # noqa: E402
import botocore.config  # noqa: E402
import botocore.credentials  # noqa: E402
import botocore.exceptions  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_DIR = os.environ.get("IAMD_SOURCE_DIR") or os.path.dirname(os.path.dirname(HERE))
IAMD_BIN = os.environ.get("IAMD_BIN") or os.path.join(SOURCE_DIR, "build", "iamd")
SEED_DIR = os.path.join(SOURCE_DIR, "tests", "seed")

ACCOUNT_ID = "123456789012"
ROOT_KEY_ID = "AKIAE2ETESTROOT00001"
ROOT_SECRET = "e2e/Root+Secret/Key/0123456789abcdefABCDEF"
REGION = "us-east-1"
AWS_CLI_V2 = "/usr/bin/aws"
IAM_NS = "{https://iam.amazonaws.com/doc/2010-05-08/}"

_SERVING = re.compile(r"iamd: serving .* at (?P<scheme>https?)://(?P<host>[^ ]+):(?P<port>\d+)")
_IMDS = re.compile(r"iamd: instance metadata for (?P<profile>\S+) \(instance (?P<instance>i-[0-9a-f]+)\)"
                   r" at (?P<url>http://[^ \n]+)")
_ECS = re.compile(r"iamd: ECS task credentials of role (?P<role>\S+) "
                  r"\(task (?P<task>[0-9a-f]{32})\): "
                  r"AWS_CONTAINER_CREDENTIALS_FULL_URI=(?P<uri>http://[^ \n]+)")
_live = set()  # servers not yet cleaned up, for the atexit hook


def _die_with_parent():
    # Runs in the child between fork and exec: SIGKILL it when the test process dies.
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def find_aws_cli_v1():
    """The AWS CLI v1 of the image's Python (pyenv), or None if it is genuinely absent."""
    pyenv_root = os.environ.get("PYENV_ROOT") or os.path.expanduser("~/.pyenv")
    search = os.pathsep.join(
        [os.path.join(pyenv_root, "shims"), os.path.join(pyenv_root, "bin"),
         os.environ.get("PATH", "")])
    candidates = [shutil.which("aws", path=search)]
    candidates += sorted(glob.glob(os.path.join(pyenv_root, "versions", "*", "bin", "aws")))
    for cand in candidates:
        if not cand:
            continue
        try:
            out = subprocess.run([cand, "--version"], capture_output=True, text=True,
                                 timeout=60, env=_base_env(search))
        except (OSError, subprocess.TimeoutExpired):
            continue
        if (out.stdout + out.stderr).startswith("aws-cli/1."):
            return cand
    return None


def _base_env(path=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    if path is not None:
        env["PATH"] = path
    return env


class Iamd:
    """One iamd server process on its own data folder."""

    def __init__(self, data_dir=None, extra_args=(), quiet=True, root_keys=True, env=None,
                 ca_bundle=None):
        """root_keys: pass the fixed root keys on the command line (False: none, so that iamd
        makes its own and writes them to DATA/root-credentials).
        ca_bundle: the PEM file of the CA the server's TLS certificate is checked against, for
        a server started with --tls-cert (the clients below then speak HTTPS and verify it).
        env: variables added to the server's environment (e.g. libfaketime's), for later
        starts too; set self.env to change them between restarts."""
        self.tmp = tempfile.mkdtemp(prefix="iamd-e2e-")
        self.data_dir = data_dir or os.path.join(self.tmp, "data")
        self.extra_args = list(extra_args)
        self.root_keys = root_keys
        self.quiet = quiet
        self.env = dict(env or {})
        self.ca_bundle = ca_bundle
        self.proc = None
        self.scheme = "http"
        self.host = None
        self.port = None
        self.starts = 0
        self.imds = {}  # instance profile -> (instance ID, URL), from the --imds lines
        self.ecs = {}  # role -> (task ID, credentials URI), from the --ecs lines
        _live.add(self)

    # ---- life cycle -------------------------------------------------------------------

    @property
    def endpoint(self):
        return "%s://%s:%d" % (self.scheme, self.host, self.port)

    def start(self, timeout=30.0):
        assert self.proc is None or self.proc.poll() is not None, "already running"
        if not os.path.exists(IAMD_BIN):
            raise RuntimeError("iamd binary not found at %s (set IAMD_BIN)" % IAMD_BIN)
        self.starts += 1
        self.stdout_path = os.path.join(self.tmp, "stdout.%d" % self.starts)
        self.stderr_path = os.path.join(self.tmp, "stderr.%d" % self.starts)
        args = [IAMD_BIN, "serve", "--listen", "127.0.0.1:0", "--data", self.data_dir,
                "--account-id", ACCOUNT_ID]
        if self.root_keys:
            args += ["--root-access-key-id", ROOT_KEY_ID, "--root-secret-access-key", ROOT_SECRET]
        args += self.extra_args
        if self.quiet:
            args.append("--quiet")
        with open(self.stdout_path, "wb") as out, open(self.stderr_path, "wb") as err:
            self.proc = subprocess.Popen(args, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                                         preexec_fn=_die_with_parent,
                                         env=dict(_base_env(), **self.env))
        deadline = time.monotonic() + timeout
        imds_wanted = sum(1 for a in self.extra_args
                          if a == "--imds" or a.startswith("--imds="))
        ecs_wanted = sum(1 for a in self.extra_args if a == "--ecs" or a.startswith("--ecs="))
        while True:
            with open(self.stdout_path, "r", errors="replace") as f:
                printed = f.read()
            m = _SERVING.search(printed)
            listeners = list(_IMDS.finditer(printed))
            tasks = list(_ECS.finditer(printed))
            if m and len(listeners) >= imds_wanted and len(tasks) >= ecs_wanted:
                self.scheme = m.group("scheme")
                self.host, self.port = m.group("host"), int(m.group("port"))
                self.imds = {l.group("profile"): (l.group("instance"), l.group("url"))
                             for l in listeners}
                # ECS task listeners: role -> (task ID, AWS_CONTAINER_CREDENTIALS_FULL_URI)
                self.ecs = {t.group("role"): (t.group("task"), t.group("uri")) for t in tasks}
                break
            if self.proc.poll() is not None:
                raise RuntimeError("iamd exited with %s before serving:\n%s" %
                                   (self.proc.returncode, self.logs()))
            if time.monotonic() > deadline:
                raise RuntimeError("iamd did not print its serving line:\n" + self.logs())
            time.sleep(0.01)
        while True:  # the serving line should mean ready; still wait for /healthz
            try:
                if self.healthz() == 200:
                    return self
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("iamd /healthz never answered 200:\n" + self.logs())
            time.sleep(0.01)

    def connection(self, timeout):
        """An http.client connection to the API endpoint: HTTPS, verified against ca_bundle,
        when the server serves HTTPS."""
        if self.scheme == "https":
            return http.client.HTTPSConnection(
                self.host, self.port, timeout=timeout,
                context=ssl.create_default_context(cafile=self.ca_bundle))
        return http.client.HTTPConnection(self.host, self.port, timeout=timeout)

    def healthz(self):
        conn = self.connection(timeout=5)
        try:
            conn.request("GET", "/healthz")
            return conn.getresponse().status
        finally:
            conn.close()

    def stop(self, timeout=30.0):
        """SIGTERM; returns the exit code (the caller asserts it is 0)."""
        if self.proc is None or self.proc.poll() is not None:
            return self.proc.returncode if self.proc else None
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise RuntimeError("iamd did not exit within %.0fs of SIGTERM" % timeout)

    def kill(self):
        """SIGKILL, no drain."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def restart(self):
        code = self.stop()
        if code != 0:
            raise AssertionError("iamd exited with %r on SIGTERM, not 0:\n%s" %
                                 (code, self.logs()))
        return self.start()

    def close(self):
        try:
            self.kill()
        finally:
            shutil.rmtree(self.tmp, ignore_errors=True)
            _live.discard(self)

    def describe(self):
        """One line on the process (running, exit code or signal), then its recent output."""
        if self.proc is None:
            state = "never started"
        elif self.proc.poll() is None:
            state = "pid %d running" % self.proc.pid
        elif self.proc.returncode < 0:
            state = "pid %d killed by signal %d" % (self.proc.pid, -self.proc.returncode)
        else:
            state = "pid %d exited with code %d" % (self.proc.pid, self.proc.returncode)
        return "iamd at %s: %s\n%s" % (self.endpoint if self.port else "-", state, self.logs())

    def logs(self):
        text = []
        for p in (getattr(self, "stdout_path", None), getattr(self, "stderr_path", None)):
            if p and os.path.exists(p):
                with open(p, "r", errors="replace") as f:
                    text.append(f.read()[-4000:])
        return "\n".join(text)

    # ---- clients ----------------------------------------------------------------------

    def cli_env(self, key_id=ROOT_KEY_ID, secret=ROOT_SECRET, token=None):
        """Environment for the AWS CLI (either major version): only our keys, no ~/.aws.

        key_id/secret/token: other credentials than root's (token: a session token)."""
        pyenv_root = os.environ.get("PYENV_ROOT") or os.path.expanduser("~/.pyenv")
        path = os.pathsep.join([os.path.join(pyenv_root, "shims"), os.environ.get("PATH", "")])
        env = _base_env(path)
        empty = os.path.join(self.tmp, "empty-aws-config")
        open(empty, "a").close()
        env.update({
            "AWS_ACCESS_KEY_ID": key_id,
            "AWS_SECRET_ACCESS_KEY": secret,
            "AWS_DEFAULT_REGION": REGION,
            "AWS_PAGER": "",
            "AWS_CONFIG_FILE": empty,
            "AWS_SHARED_CREDENTIALS_FILE": empty,
            "AWS_EC2_METADATA_DISABLED": "true",
            "ENDPOINT": self.endpoint,
        })
        if token is not None:
            env["AWS_SESSION_TOKEN"] = token
        if self.ca_bundle:
            env["AWS_CA_BUNDLE"] = self.ca_bundle
        return env

    def run_cli(self, cli, *args, timeout=120, env=None):
        """Runs `cli --endpoint-url ENDPOINT args...`; returns the CompletedProcess.

        env: the environment to run in (default: cli_env(), root's keys)."""
        return subprocess.run([cli, "--endpoint-url", self.endpoint] + list(args),
                              env=self.cli_env() if env is None else env,
                              capture_output=True, text=True, timeout=timeout)

    def client(self, service="iam", validate=True, region=REGION, key_id=ROOT_KEY_ID,
               secret=ROOT_SECRET, token=None, **config):
        settings = dict(parameter_validation=validate, retries={"total_max_attempts": 1},
                        connect_timeout=10, read_timeout=60)
        settings.update(config)
        cfg = botocore.config.Config(**settings)
        return boto3.session.Session().client(
            service, endpoint_url=self.endpoint, region_name=region,
            aws_access_key_id=key_id, aws_secret_access_key=secret, aws_session_token=token,
            config=cfg, verify=self.ca_bundle if self.ca_bundle else None)

    def raw(self, params, method="POST", region=REGION, service="iam", key_id=ROOT_KEY_ID,
            secret=ROOT_SECRET, sign=True, at=None, tamper=None, headers=None, token=None):
        """Sends one Query API request with http.client; returns (status, headers, body bytes).

        params: dict or list of pairs (Version=2010-05-08 is added if absent).
        at: a naive UTC datetime to sign at instead of now.  tamper: a function that gets the
        signed headers dict, may change it, and may return a new body (bytes) to send.
        token: a session token (sent, and signed, as X-Amz-Security-Token)."""
        pairs = list(params.items()) if isinstance(params, dict) else list(params)
        if not any(k == "Version" for k, _ in pairs):
            pairs.append(("Version", "2011-06-15" if service == "sts" else "2010-05-08"))
        body = urllib.parse.urlencode(pairs)
        if method == "GET":
            url, data = self.endpoint + "/?" + body, None
            hdrs = {}
        else:
            url, data = self.endpoint + "/", body.encode()
            hdrs = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
        hdrs.update(headers or {})
        req = botocore.awsrequest.AWSRequest(method=method, url=url, data=data, headers=hdrs)
        if sign:
            creds = botocore.credentials.Credentials(key_id, secret, token)
            signer = botocore.auth.SigV4Auth(creds, service, region)
            if at is None:
                signer.add_auth(req)
            else:
                with mock.patch.object(botocore.auth, "get_current_datetime", lambda: at):
                    signer.add_auth(req)
        prepared = req.prepare()
        out_headers = dict(prepared.headers)
        body = prepared.body
        if tamper:
            new_body = tamper(out_headers)
            if new_body is not None:
                body = new_body
                out_headers["Content-Length"] = str(len(body))
        parsed = urllib.parse.urlsplit(prepared.url)
        target = parsed.path + ("?" + parsed.query if parsed.query else "")
        conn = self.connection(timeout=30)
        try:
            conn.request(method, target, body=body, headers=out_headers)
            resp = conn.getresponse()
            return resp.status, dict(resp.getheaders()), resp.read()
        finally:
            conn.close()


def utcnow():
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


def parse_error(body):
    """(Type, Code, Message) of an IAM ErrorResponse body (namespaced or not)."""
    root = ET.fromstring(body)

    def find(node, tag):
        found = node.find(IAM_NS + tag)
        return found if found is not None else node.find(tag)

    err = find(root, "Error")
    if err is None:
        raise AssertionError("not an ErrorResponse:\n" + body.decode(errors="replace"))
    text = lambda tag: find(err, tag).text if find(err, tag) is not None else None
    return text("Type"), text("Code"), text("Message")


def xml_text(body, path):
    """Text of the first element at `path` (tags without namespace, '/'-separated)."""
    root = ET.fromstring(body)
    node = root
    for tag in path.split("/"):
        nxt = node.find(IAM_NS + tag)
        if nxt is None:
            raise AssertionError("no <%s> in response:\n%s" % (path, body.decode(errors="replace")))
        node = nxt
    return node.text or ""


def error_of(call, *args, **kwargs):
    """Runs a boto3 call that must fail; returns (HTTP status, Type, Code, Message).

    Raises AssertionError (with the response) when the call succeeds."""
    try:
        result = call(*args, **kwargs)
    except botocore.exceptions.ClientError as e:
        err = e.response.get("Error", {})
        return (e.response["ResponseMetadata"]["HTTPStatusCode"], err.get("Type"),
                err.get("Code"), err.get("Message"))
    raise AssertionError("the call succeeded, expected an error: %r" % (result,))


# How AWS ends an AccessDenied message, by why the request was refused (shared/AWS-WIRE.md
# "AccessDenied", notes/aws-errors.md "Any IAM operation -- AccessDenied").
DENIED_BECAUSE = {
    "identity": "because no identity-based policy allows the {action} action",
    "explicit-identity": "with an explicit deny in an identity-based policy",
    "boundary": "because no permissions boundary allows the {action} action",
    "explicit-boundary": "with an explicit deny in a permissions boundary",
    "session": "because no session policy allows the {action} action",
}


def denied(caller_arn, action, resource, why="identity", policy_arn=None):
    """AWS's AccessDenied message for `caller_arn` refused `action` on `resource`.

    policy_arn: for an explicit deny by a managed policy (identity-based or the permissions
    boundary), AWS names the policy after a colon: "... in a permissions boundary: ARN"."""
    message = "User: %s is not authorized to perform: %s on resource: %s %s" % (
        caller_arn, action, resource, DENIED_BECAUSE[why].format(action=action))
    if policy_arn is not None:
        message += ": " + policy_arn
    return message


def arn(kind, name, account=ACCOUNT_ID):
    """arn:aws:iam::ACCOUNT:KIND/NAME (name may carry a path)."""
    return "arn:aws:iam::%s:%s/%s" % (account, kind, name)


def document(*statements, version="2012-10-17"):
    """A policy document (JSON text) holding the given statements."""
    return json.dumps({"Version": version, "Statement": list(statements)})


def allow(action, resource="*", **extra):
    statement = {"Effect": "Allow", "Action": action, "Resource": resource}
    statement.update(extra)
    return statement


def deny(action, resource="*", **extra):
    statement = {"Effect": "Deny", "Action": action, "Resource": resource}
    statement.update(extra)
    return statement


def create_user_with_key(iam, name, managed=(), inline=None, boundary=None, groups=()):
    """Creates user `name` (as the caller of `iam`, normally root) with one access key.

    managed: policy ARNs to attach; inline: a policy document for an inline policy named
    "inline"; boundary: a policy ARN to set as the permissions boundary; groups: group names
    to join. Returns a dict with name, arn, id, key_id and secret."""
    user = iam.create_user(UserName=name)["User"]
    for policy_arn in managed:
        iam.attach_user_policy(UserName=name, PolicyArn=policy_arn)
    if inline is not None:
        iam.put_user_policy(UserName=name, PolicyName="inline", PolicyDocument=inline)
    if boundary is not None:
        iam.put_user_permissions_boundary(UserName=name, PermissionsBoundary=boundary)
    for group in groups:
        iam.add_user_to_group(GroupName=group, UserName=name)
    key = iam.create_access_key(UserName=name)["AccessKey"]
    return {"name": name, "arn": user["Arn"], "id": user["UserId"],
            "key_id": key["AccessKeyId"], "secret": key["SecretAccessKey"]}



def delete_user_with_key(iam, user):
    """Undoes create_user_with_key for `user` (its returned dict): the access key, the inline
    policy if there is one, then the user."""
    name = user["name"]
    iam.delete_access_key(UserName=name, AccessKeyId=user["key_id"])
    for policy in iam.list_user_policies(UserName=name)["PolicyNames"]:
        iam.delete_user_policy(UserName=name, PolicyName=policy)
    iam.delete_user(UserName=name)

SEED_POLICY_ARNS = [  # in the order the seed attaches them
    "arn:aws:iam::aws:policy/AmazonEC2FullAccess",
    "arn:aws:iam::aws:policy/AmazonS3FullAccess",
    "arn:aws:iam::aws:policy/AmazonFSxFullAccess",
    "arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy",
    "arn:aws:iam::aws:policy/AmazonSSMFullAccess",
]
SEED_INLINE_POLICY = "ray-pass-role-policy"


def oidc_keygen(directory, alg, kid):
    """`iamd oidc keygen`: a signing key and its JSON Web Key Set (what an OpenID Connect
    provider publishes at its jwks_uri) in `directory`; returns (key path, key set path)."""
    key = os.path.join(directory, "signing.pem")
    jwks = os.path.join(directory, "jwks.json")
    done = subprocess.run([IAMD_BIN, "oidc", "keygen", "--alg", alg, "--kid", kid, "--key", key,
                           "--jwks", jwks], capture_output=True, text=True, timeout=60)
    if done.returncode != 0:
        raise RuntimeError("iamd oidc keygen failed: " + done.stderr)
    return key, jwks


def oidc_token(key, kid, iss, sub, aud, *extra):
    """`iamd oidc token`: an ID token signed with `key`, valid for 10 minutes; extra: more
    command-line arguments (--claims JSON, ...)."""
    done = subprocess.run([IAMD_BIN, "oidc", "token", "--key", key, "--kid", kid, "--iss", iss,
                           "--sub", sub, "--aud", aud, "--lifetime", "600"] + list(extra),
                          capture_output=True, text=True, timeout=60)
    if done.returncode != 0:
        raise AssertionError("iamd oidc token failed: " + done.stderr)
    return done.stdout.strip()


def seed_file(name):
    with open(os.path.join(SEED_DIR, name), "rb") as f:
        return f.read()


def run_seed(server, cli=AWS_CLI_V2, timeout=600):
    """Runs tests/seed/run-seed.sh unmodified against `server` with the given AWS CLI."""
    env = server.cli_env()
    env["AWS_CLI"] = cli
    return subprocess.run(["bash", os.path.join(SEED_DIR, "run-seed.sh")], env=env,
                          capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL)


def seed_failure(seed, server):
    """What to print when run_seed failed: its output and the server's state."""
    return "seed failed with exit code %d\n--- stdout (tail)\n%s\n--- stderr\n%s\n--- %s" % (
        seed.returncode, seed.stdout[-3000:], seed.stderr, server.describe())


@atexit.register
def _cleanup_all():
    for server in list(_live):
        server.close()


class ServerTestCase(unittest.TestCase):
    """A TestCase with one fresh server for the whole class (cls.server; cls.iam, a boto3 IAM
    client as root; cls.raw_iam, the same without client-side validation, for requests that
    only the server should refuse).

    Class attributes: server_args (extra command-line arguments), server_root_keys (False: iamd
    makes its own root keys), server_seeded (run the seed page with AWS CLI v2 first).
    prepare_server(): a class hook run once the server answers, to make what the tests share;
    if anything in set-up fails, the server is closed before the error goes on."""

    server_args = ()
    server_root_keys = True
    server_seeded = False

    @classmethod
    def setUpClass(cls):
        cls.server = Iamd(extra_args=cls.server_args, root_keys=cls.server_root_keys)
        try:
            cls.server.start()
            if cls.server_seeded:
                seed = run_seed(cls.server)
                if seed.returncode != 0:
                    raise RuntimeError(seed_failure(seed, cls.server))
            cls.iam = cls.server.client()
            cls.raw_iam = cls.server.client(validate=False)
            cls.prepare_server()
        except BaseException:
            cls.server.close()
            raise

    @classmethod
    def prepare_server(cls):
        """Runs once the server answers (and is seeded, if asked); nothing by default."""

    def iam_cli(self, *args):
        """`aws iam ARGS --output json` with AWS CLI v2 as root; its parsed output (None when it
        prints nothing). The test fails if the CLI does."""
        done = self.server.run_cli(AWS_CLI_V2, "iam", *args, "--output", "json")
        self.assertEqual(done.returncode, 0, done.stderr)
        return json.loads(done.stdout) if done.stdout.strip() else None

    @classmethod
    def tearDownClass(cls):
        cls.server.close()


# An OpenID Connect issuer of the tests' own (`iamd oidc keygen` / `iamd oidc token`), as an
# EKS cluster's service account issuer is to IAM roles for service accounts.
EKS_ISSUER = "https://oidc.eks.example.com/id/CLUSTER1"
EKS_ISSUER_ARN = "arn:aws:iam::%s:oidc-provider/oidc.eks.example.com/id/CLUSTER1" % ACCOUNT_ID
EKS_SERVICE_ACCOUNT = "system:serviceaccount:default:app"


class SdkTestCase(ServerTestCase):
    """A server for tests that run another SDK in a subprocess and let its credential providers
    find credentials as they would on AWS: instance metadata of one instance with profile
    ray-head (`imds`), the container endpoint of one task with role `task_role` (`ecs`), and a
    web identity token file for role irsa-app, trusted by an EKS-style issuer
    (`web_identity_token_file`). The subclass makes ray-head (the seed page) and `task_role`."""

    task_role = None

    @classmethod
    def setUpClass(cls):
        cls.keys = tempfile.mkdtemp(prefix="iamd-sdk-")
        atexit.register(shutil.rmtree, cls.keys, True)
        cls.signing_key, jwks = oidc_keygen(cls.keys, "RS256", "k1")
        cls.server_args = ("--imds", "127.0.0.1:0=ray-head", "--ecs",
                           "127.0.0.1:0=" + cls.task_role,
                           "--oidc-jwks", "%s=%s" % (EKS_ISSUER, jwks))
        super().setUpClass()

    @classmethod
    def create_irsa_role(cls):
        """Role irsa-app, assumable with a token of EKS_ISSUER for EKS_SERVICE_ACCOUNT."""
        cls.iam.create_open_id_connect_provider(Url=EKS_ISSUER,
                                                ClientIDList=["sts.amazonaws.com"])
        cls.iam.create_role(RoleName="irsa-app", AssumeRolePolicyDocument=json.dumps({
            "Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Action": "sts:AssumeRoleWithWebIdentity",
                "Principal": {"Federated": EKS_ISSUER_ARN},
                "Condition": {"StringEquals": {
                    "oidc.eks.example.com/id/CLUSTER1:sub": EKS_SERVICE_ACCOUNT,
                    "oidc.eks.example.com/id/CLUSTER1:aud": "sts.amazonaws.com"}}}]}))

    @classmethod
    def sdk_env(cls, **extra):
        """An environment with only what the SDK is told here: no ~/.aws, no instance metadata,
        IAMD_ENDPOINT, and `extra` (a None value removes the variable)."""
        empty = os.path.join(cls.server.tmp, "empty-aws-file")
        open(empty, "a").close()
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update({"HOME": cls.server.tmp, "AWS_CONFIG_FILE": empty,
                    "AWS_SHARED_CREDENTIALS_FILE": empty, "AWS_EC2_METADATA_DISABLED": "true",
                    "IAMD_ENDPOINT": cls.server.endpoint, "IAMD_SEED_DIR": SEED_DIR})
        env.update(extra)
        return {k: v for k, v in env.items() if v is not None}

    def web_identity_token_file(self, name):
        """A file holding a fresh token for EKS_SERVICE_ACCOUNT (audience sts.amazonaws.com)."""
        path = os.path.join(self.keys, name)
        with open(path, "w") as f:
            f.write(oidc_token(self.signing_key, "k1", EKS_ISSUER, EKS_SERVICE_ACCOUNT,
                               "sts.amazonaws.com"))
        return path
