#!/usr/bin/env python3
"""Start-up time of a server: from spawning it to its first 200, repeated, median reported.

  startup.py --port P --reps N [--probe healthz|getpolicy] [--fresh-data DIR] -- CMD...

--probe healthz    GET /healthz (iamd's readiness endpoint)
--probe getpolicy  a signed GetPolicy of the AWS managed policy AmazonEC2FullAccess: the time
                   until the server answers an IAM request that needs its managed policies
                   (moto builds them on the first IAM request)
--fresh-data DIR   remove DIR before every start (a first start on an empty data folder)

The server is polled every 0.5 ms, then stopped with SIGTERM (SIGKILL after 10 s).
Prints one JSON line: {"runs_ms": [...], "median_ms": M, "min_ms": m, "max_ms": x}.
"""
import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def request_bytes(probe, port):
    if probe == "healthz":
        return f"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode()
    import sign  # botocore

    class A:
        endpoint = f"http://127.0.0.1:{port}"
        region = "us-east-1"
        access_key = secret_key = None

    signer = sign.Signer(A)
    headers, body = signer.sign([("Action", "GetPolicy"),
                                 ("PolicyArn", "arn:aws:iam::aws:policy/AmazonEC2FullAccess"),
                                 ("Version", "2010-05-08")])
    b = body.encode()
    head = "POST / HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers)
    return (head + f"Content-Length: {len(b)}\r\nConnection: close\r\n\r\n").encode() + b


def try_once(port, req):
    """The HTTP status of one request, or None if the server does not answer yet."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
            s.sendall(req)
            data = b""
            while b"\r\n" not in data:
                chunk = s.recv(4096)
                if not chunk:
                    return None
                data += chunk
            return int(data.split(b" ", 2)[1])
    except (ConnectionRefusedError, ConnectionResetError, socket.timeout, OSError):
        return None


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--reps", type=int, default=10)
    p.add_argument("--probe", choices=("healthz", "getpolicy"), default="healthz")
    p.add_argument("--fresh-data")
    p.add_argument("--timeout", type=float, default=120)
    p.add_argument("--log", default=os.devnull)
    p.add_argument("cmd", nargs="+")
    a = p.parse_args()
    req = request_bytes(a.probe, a.port)
    runs = []
    for _ in range(a.reps):
        if a.fresh_data:
            shutil.rmtree(a.fresh_data, ignore_errors=True)
        with open(a.log, "ab") as log:
            t0 = time.perf_counter()
            proc = subprocess.Popen(a.cmd, stdout=log, stderr=log)
            status = None
            while time.perf_counter() - t0 < a.timeout:
                status = try_once(a.port, req)
                if status == 200:
                    break
                if proc.poll() is not None:
                    sys.exit(f"startup.py: {a.cmd[0]} exited with {proc.returncode}")
                time.sleep(0.0005)
            elapsed = (time.perf_counter() - t0) * 1000
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if status != 200:
            sys.exit(f"startup.py: no 200 within {a.timeout} s (last status {status})")
        runs.append(round(elapsed, 2))
    print(json.dumps({"runs_ms": runs, "median_ms": statistics.median(runs), "min_ms": min(runs),
                      "max_ms": max(runs)}))


if __name__ == "__main__":
    main()
