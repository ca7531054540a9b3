#!/usr/bin/env python3
"""What a FuncSecrets server's start is made of, up to its first signed GetSecretValue (issue 15).

    flock /work/wt/bench.lock python3 bench/profile/startup.py artifacts/bench/r2r/FuncSecrets.Server [starts] [--perf]

Starts Azurite (in memory, on a free port), seeds one secret through the server, then starts the
server `starts` times (default 3) with `DOTNET_JitDisasmSummary=1` (every method the JIT compiles,
with its tier: what ReadyToRun left out, release runtime, no tools needed) and reports per start:
the time to the first `GET /` answer, to the first signed GetSecretValue answer, and how many
methods were jitted before listening, during the first call and by the warm-up after it, plus
the first call's jitted methods grouped by namespace. `--perf` also records the last start with
`perf record -g` (JIT frames resolve through the perf map) and splits its CPU by library/thread.
A program ending in .dll runs under `dotnet`. Needs botocore (the AWS CLI's) for SigV4 signing.
"""
import collections
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
KEY_ID, SECRET = "AKIASTARTUPPROFILE01", "c3RhcnR1cC1wcm9maWxlLXNlY3JldC1rZXktMDE="
LOCAL_KEY = "c3RhcnR1cC1wcm9maWxlLXdyYXBwaW5nLWtleS0zMmI="


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def signed(port, target, body):
    url = f"http://127.0.0.1:{port}/"
    request = AWSRequest(method="POST", url=url, data=json.dumps(body).encode(),
                         headers={"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": f"secretsmanager.{target}"})
    SigV4Auth(Credentials(KEY_ID, SECRET), "secretsmanager", "us-east-1").add_auth(request)
    return urllib.request.Request(url, data=request.body, headers=dict(request.headers), method="POST")


def answer(request):
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        if error.code != 503:
            print(f"answered {error.code}: {error.read()[:300]!r}", file=sys.stderr)
        return error.code
    except OSError:
        return None


def poll(make, deadline=60):
    start = time.monotonic()
    while time.monotonic() - start < deadline:
        if answer(make()) == 200:
            return
        time.sleep(0.001)
    raise SystemExit("no 200 answer")


def jitted(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return [line for line in f if "JIT compiled" in line]
    except FileNotFoundError:
        return []


def start(program, azurite_port, blob_port, port, extra_env):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FuncSecrets", "ASPNETCORE_", "DOTNET_Jit"))}
    env.update({
        "FuncSecrets__Urls": f"http://127.0.0.1:{port}",
        "FuncSecrets__Storage__ConnectionString": "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;"
        "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;"
        f"TableEndpoint=http://127.0.0.1:{azurite_port}/devstoreaccount1;"
        f"BlobEndpoint=http://127.0.0.1:{blob_port}/devstoreaccount1;",
        "FuncSecrets__Storage__TableName": "startupprofile",
        "FuncSecrets__Storage__DueTableName": "startupprofiledue",
        "FuncSecrets__Encryption__LocalKey": LOCAL_KEY,
        "FuncSecrets__Auth__AccessKeys__0__AccessKeyId": KEY_ID,
        "FuncSecrets__Auth__AccessKeys__0__SecretAccessKey": SECRET,
    })
    env.update(extra_env)
    command = ["dotnet", program] if program.endswith(".dll") else [program]
    return subprocess.Popen(command, cwd=os.path.dirname(program), env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def group(line):
    # "JIT compiled Namespace.Type`1[...]:Method(...) [Tier0, IL size=..]"
    name = line.split("JIT compiled ", 1)[1]
    name = re.sub(r"\[[^\]]*\]", "", name.split(":", 1)[0])
    parts = name.split(".")
    return ".".join(parts[:3]) if len(parts) > 3 else name


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    program = os.path.abspath(args[0])
    starts = int(args[1]) if len(args) > 1 else 3
    perf = "--perf" in sys.argv
    azurite_port, blob_port = free_port(), free_port()
    workdir = tempfile.mkdtemp(prefix="startup-profile-")
    azurite = subprocess.Popen([os.path.join(ROOT, "node_modules/.bin/azurite"), "--inMemoryPersistence",
                                "--tableHost", "127.0.0.1", "--tablePort", str(azurite_port),
                                "--blobHost", "127.0.0.1", "--blobPort", str(blob_port),
                                "--queueHost", "127.0.0.1", "--queuePort", str(free_port()),
                                "--skipApiVersionCheck", "--loose", "--disableTelemetry"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(1.5)
        port = free_port()
        seeder = start(program, azurite_port, blob_port, port, {})
        try:
            poll(lambda: signed(port, "ListSecrets", {}))
            status = answer(signed(port, "CreateSecret", {"Name": "startup-profile", "SecretString": "x" * 1000, "ClientRequestToken": "9d0e6c5a-2f1b-4c8e-9a3d-0b7f5e2c1a64"}))
            print(f"seeded ({status})", file=sys.stderr)
        finally:
            seeder.kill()
            seeder.wait()

        for run in range(starts):
            last = perf and run == starts - 1
            jit_file = os.path.join(workdir, f"jit{run}.txt")
            env = {"DOTNET_JitStdOutFile": jit_file, "DOTNET_JitDisasmSummary": "1"}
            if last:
                env.update({"DOTNET_PerfMapEnabled": "1", "DOTNET_EnableWriteXorExecute": "0"})
            port = free_port()
            t0 = time.monotonic()
            server = start(program, azurite_port, blob_port, port, env)
            recorder = None
            if last:
                recorder = subprocess.Popen(["perf", "record", "-F", "4999", "-g", "-p", str(server.pid), "-o",
                                             os.path.join(workdir, "perf.data")], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                poll(lambda: urllib.request.Request(f"http://127.0.0.1:{port}/"))
                t1 = time.monotonic()
                before_call = len(jitted(jit_file))
                poll(lambda: signed(port, "GetSecretValue", {"SecretId": "startup-profile"}))
                t2 = time.monotonic()
                first_call = jitted(jit_file)[before_call:]
                time.sleep(3)
                total = jitted(jit_file)
                if recorder:
                    recorder.send_signal(2)
                    recorder.wait()
            finally:
                server.kill()
                server.wait()
            tiers = collections.Counter(m.group(1) for m in (re.search(r"\[([^,\]]+), IL size", l) for l in total) if m)
            print(f"start {run + 1}: GET / {1000 * (t1 - t0):.0f} ms, first signed GetSecretValue {1000 * (t2 - t0):.0f} ms; "
                  f"jitted: {before_call} before GET / answered, {len(first_call)} between it and the first signed answer, "
                  f"{len(total)} after 3 s more; tiers {dict(tiers)}")
            if run == starts - 1:
                print("first call's jitted methods by namespace (the warm-up's run at the same time):")
                for name, count in collections.Counter(group(l) for l in first_call).most_common(25):
                    print(f"  {count:4d}  {name}")
                print(f"jit list: {jit_file}")
        if perf:
            script = subprocess.run(["perf", "report", "-i", os.path.join(workdir, "perf.data"), "--no-children", "--sort", "dso", "-g", "none",
                                     "--stdio"], capture_output=True, text=True).stdout
            print("perf, the last start, CPU by library:")
            print("\n".join(l for l in script.splitlines() if l.strip() and not l.startswith("#"))[:3000])
    finally:
        azurite.kill()
        azurite.wait()


if __name__ == "__main__":
    main()
