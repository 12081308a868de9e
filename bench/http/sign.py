#!/usr/bin/env python3
"""Pre-signs IAM Query API requests with botocore's SigV4Auth and writes wrk Lua scripts.

wrk's LuaJIT has no HMAC, so every signature is computed here, before the run. A signature
is valid for 15 minutes (iamd rejects older ones, as AWS does): sign right before wrk runs.

  sign.py getrole    --endpoint URL --out F.lua [--role-name ray-head]
      One fixed signed GetRole request: wrk sends the same bytes on every connection.
  sign.py createrole --endpoint URL --out F.lua --count N [--threads 2] [--prefix P]
      A pool of N distinct signed CreateRole requests (role names P-<thread>-<i>), split per
      wrk thread into F.lua.<thread>.dat; each thread cycles through its own share, so every
      request of a run creates a new role as long as the run sends fewer than N requests.
  sign.py fetch      --endpoint URL --body-out F [--headers-out F] [--role-name ray-head]
      Sends the signed GetRole once and saves the response body (and status line + headers).

Both Lua scripts print one line "WRKJSON {...}" when wrk is done: requests, duration, the
error counters and latency percentiles in microseconds, for the shell scripts to read.
The same scripts work against moto_server (which accepts any signature) and iamd.
"""
import argparse
import hashlib
import hmac
import http.client
import ssl
import os
import sys
import time
import urllib.parse

try:
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
except ImportError:  # pragma: no cover
    sys.exit("sign.py: botocore is missing (pip install botocore, or use the image's python3)")

CONTENT_TYPE = "application/x-www-form-urlencoded; charset=utf-8"
HERE = os.path.dirname(os.path.abspath(__file__))
TRUST_POLICY = os.path.join(HERE, "..", "..", "tests", "seed", "ray_trust_policy.json")

LUA_DONE = r'''
local function codes_json()
  -- Status codes counted by response() in each thread (CreateRole only), summed.
  if threads == nil then return "{}" end
  local sum = {}
  for _, t in ipairs(threads) do
    local c = t:get("status_codes")
    if c then for k, v in pairs(c) do sum[k] = (sum[k] or 0) + v end end
  end
  local parts = {}
  for k, v in pairs(sum) do parts[#parts + 1] = string.format('"%d":%d', k, v) end
  return "{" .. table.concat(parts, ",") .. "}"
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests":%d,"duration_us":%d,"bytes":%d,"connect":%d,"read":%d,"write":%d,' ..
    '"status":%d,"timeout":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,"mean_us":%.1f,' ..
    '"codes":%s}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status,
    e.timeout, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, latency.mean, codes_json()))
end
'''


def credentials(args):
    key = args.access_key or os.environ.get("AWS_ACCESS_KEY_ID")
    secret = args.secret_key or os.environ.get("AWS_SECRET_ACCESS_KEY")
    if not key or not secret:
        sys.exit("sign.py: give --access-key/--secret-key or set AWS_ACCESS_KEY_ID and "
                 "AWS_SECRET_ACCESS_KEY")
    return Credentials(key, secret)


class Signer:
    def __init__(self, args):
        url = urllib.parse.urlsplit(args.endpoint)
        if url.scheme not in ("http", "https") or not url.hostname:
            sys.exit(f"sign.py: --endpoint must be http(s)://HOST:PORT, got {args.endpoint!r}")
        self.endpoint = f"{url.scheme}://{url.netloc}/"
        self.host = url.netloc  # what botocore signs as the Host header, and what wrk sends
        self.auth = SigV4Auth(credentials(args), "iam", args.region)
        self._key_date = None
        self._amz_date = None
        self._canonical_head = f"POST\n/\n\ncontent-type:{CONTENT_TYPE}\nhost:{self.host}\n"

    def sign(self, params):
        """Returns (headers in sending order, body) of a signed POST / Query API request."""
        body = urllib.parse.urlencode(params)
        req = AWSRequest(method="POST", url=self.endpoint, data=body,
                         headers={"Content-Type": CONTENT_TYPE})
        self.auth.add_auth(req)
        headers = [("Host", self.host), ("Content-Type", CONTENT_TYPE),
                   ("X-Amz-Date", req.headers["X-Amz-Date"]),
                   ("Authorization", req.headers["Authorization"])]
        return headers, body

    def fast(self, body, amz_date):
        """The same signature as sign(), for a form body already encoded and a given X-Amz-Date.

        botocore builds an AWSRequest and derives the signing key for every request (about
        2,000 requests/s here); a CreateRole pool needs hundreds of thousands. raw() checks
        this against botocore's SigV4Auth on the first requests of every pool, byte for byte.
        """
        date = amz_date[:8]
        if self._key_date != date:
            k = ("AWS4" + self.auth.credentials.secret_key).encode()
            for part in (date, self.auth._region_name, self.auth._service_name, "aws4_request"):
                k = hmac.new(k, part.encode(), hashlib.sha256).digest()
            self._key, self._key_date = k, date
            self._scope = f"{date}/{self.auth._region_name}/{self.auth._service_name}/aws4_request"
        canonical = (self._canonical_head + f"x-amz-date:{amz_date}\n\ncontent-type;host;x-amz-date\n"
                     + hashlib.sha256(body.encode()).hexdigest())
        to_sign = (f"AWS4-HMAC-SHA256\n{amz_date}\n{self._scope}\n"
                   + hashlib.sha256(canonical.encode()).hexdigest())
        sig = hmac.new(self._key, to_sign.encode(), hashlib.sha256).hexdigest()
        authz = (f"AWS4-HMAC-SHA256 Credential={self.auth.credentials.access_key}/{self._scope}, "
                 f"SignedHeaders=content-type;host;x-amz-date, Signature={sig}")
        return [("Host", self.host), ("Content-Type", CONTENT_TYPE),
                ("X-Amz-Date", amz_date), ("Authorization", authz)], body

    def raw(self, params, body=None, checked=False):
        """The bytes of one signed request. body, if given, is urlencode(params), prebuilt."""
        if checked or self._amz_date is None:
            # Signed by botocore; the fast path must agree with it exactly.
            headers, body0 = self.sign(params)
            if body is not None and body != body0:
                sys.exit("sign.py: prebuilt body differs from urlencode(params)")
            if self.fast(body0, headers[2][1]) != (headers, body0):
                sys.exit("sign.py: fast signer disagrees with botocore's SigV4Auth")
            self._amz_date, body = headers[2][1], body0
        else:
            headers, body = self.fast(body, self._amz_date)
        b = body.encode()
        head = "POST / HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers)
        return (head + f"Content-Length: {len(b)}\r\n\r\n").encode() + b


def lua_str(s):
    """A Lua string literal holding s verbatim (bytes outside printable ASCII as \\ddd)."""
    out = []
    for ch in s.encode():
        c = chr(ch)
        if c in '\\"':
            out.append("\\" + c)
        elif 32 <= ch < 127:
            out.append(c)
        else:
            out.append("\\%03d" % ch)
    return '"' + "".join(out) + '"'


def getrole_params(role):
    return [("Action", "GetRole"), ("RoleName", role), ("Version", "2010-05-08")]


def cmd_getrole(args):
    signer = Signer(args)
    headers, body = signer.sign(getrole_params(args.role_name))
    out = ["-- Generated by bench/http/sign.py: one signed GetRole, the same bytes on every request.",
           f"-- Signed at {time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())}; valid 15 minutes.",
           'wrk.method = "POST"', 'wrk.path = "/"']
    for k, v in headers:
        out.append(f"wrk.headers[{lua_str(k)}] = {lua_str(v)}")
    out.append(f"wrk.body = {lua_str(body)}")
    out.append(LUA_DONE)
    with open(args.out, "w") as f:
        f.write("\n".join(out))


def cmd_createrole(args):
    signer = Signer(args)
    with open(args.trust_policy) as f:
        trust = f.read()
    prefix = args.prefix or f"wrk{os.getpid():x}{int(time.time()) % 100000:x}"
    if len(prefix) + 12 > 64:
        sys.exit("sign.py: --prefix too long for a 64-character role name")
    per_thread = (args.count + args.threads - 1) // args.threads
    # The form body around the role name (which has only unreserved characters).
    marker = "ROLENAMEMARKER"
    head, tail = urllib.parse.urlencode(
        [("Action", "CreateRole"), ("RoleName", marker), ("AssumeRolePolicyDocument", trust),
         ("Version", "2010-05-08")]).split(marker)
    started = time.monotonic()
    for t in range(args.threads):
        path = f"{args.out}.{t}.dat"
        with open(path, "wb") as f:
            for i in range(per_thread):
                name = f"{prefix}-{t}-{i}"
                params = [("Action", "CreateRole"), ("RoleName", name),
                          ("AssumeRolePolicyDocument", trust), ("Version", "2010-05-08")]
                raw = signer.raw(params, body=f"{head}{name}{tail}", checked=i < 20)
                f.write(b"%d\n" % len(raw))
                f.write(raw)
    elapsed = time.monotonic() - started
    lua = f'''-- Generated by bench/http/sign.py: {per_thread * args.threads} distinct signed CreateRole
-- requests (role names {prefix}-<thread>-<i>), {per_thread} per wrk thread in {args.out}.<thread>.dat.
-- Signed at {time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())}; valid 15 minutes.
local base = {lua_str(os.path.abspath(args.out))}
threads = {{}}

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

status_codes = {{}}

function response(status, headers, body)
  status_codes[status] = (status_codes[status] or 0) + 1
end

local pool, n, i

local function load()
  local f = assert(io.open(base .. "." .. tid .. ".dat", "rb"))
  pool, n, i = {{}}, 0, 0
  while true do
    local len = f:read("*l")
    if not len then break end
    n = n + 1
    pool[n] = f:read(tonumber(len))
  end
  f:close()
  assert(n > 0, "empty request pool")
end

function init(args)
  if tid ~= nil then load() end
end

function request()
  if pool == nil then load() end
  i = i + 1
  if i > n then i = 1 end
  return pool[i]
end
{LUA_DONE}'''
    with open(args.out, "w") as f:
        f.write(lua)
    print(f"sign.py: signed {per_thread * args.threads} CreateRole requests in {elapsed:.1f} s "
          f"(prefix {prefix})", file=sys.stderr)
    print(prefix)


def cmd_fetch(args):
    signer = Signer(args)
    headers, body = signer.sign(getrole_params(args.role_name))
    url = urllib.parse.urlsplit(args.endpoint)
    if url.scheme == "https":  # a benchmark's own certificate: not checked
        conn = http.client.HTTPSConnection(url.hostname, url.port or 443, timeout=10,
                                           context=ssl._create_unverified_context())
    else:
        conn = http.client.HTTPConnection(url.hostname, url.port or 80, timeout=10)
    conn.request("POST", "/", body=body, headers=dict(headers))
    resp = conn.getresponse()
    data = resp.read()
    if resp.status != 200:
        sys.exit(f"sign.py: GetRole answered {resp.status}: {data[:500]!r}")
    with open(args.body_out, "wb") as f:
        f.write(data)
    if args.headers_out:
        with open(args.headers_out, "w") as f:
            f.write(f"HTTP/1.1 {resp.status} {resp.reason}\n")
            for k, v in resp.getheaders():
                f.write(f"{k}: {v}\n")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    for name in ("getrole", "createrole", "fetch"):
        s = sub.add_parser(name)
        s.add_argument("--endpoint", required=True, help="http(s)://127.0.0.1:PORT")
        s.add_argument("--region", default=os.environ.get("AWS_DEFAULT_REGION", "us-east-1"))
        s.add_argument("--access-key")
        s.add_argument("--secret-key")
        if name in ("getrole", "fetch"):
            s.add_argument("--role-name", default="ray-head")
        if name in ("getrole", "createrole"):
            s.add_argument("--out", required=True, help="the wrk Lua script to write")
        if name == "createrole":
            s.add_argument("--count", type=int, required=True)
            s.add_argument("--threads", type=int, default=2, help="wrk's -t")
            s.add_argument("--prefix", help="role name prefix (default: unique per run)")
            s.add_argument("--trust-policy", default=TRUST_POLICY)
        if name == "fetch":
            s.add_argument("--body-out", required=True)
            s.add_argument("--headers-out")
    args = p.parse_args()
    {"getrole": cmd_getrole, "createrole": cmd_createrole, "fetch": cmd_fetch}[args.cmd](args)


if __name__ == "__main__":
    main()
