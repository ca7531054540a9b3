#!/usr/bin/env python3
"""Where a FuncSecrets server process spends its CPU, from `perf script` output (issue 15).

Record the server during a benchmark run (its JIT frames resolve through the perf map):

    DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 dotnet bench/FuncSecrets.Bench/bin/Release/net10.0/FuncSecrets.Bench.dll \
        --phases reads --connections 32 --rounds 3 --seconds 8 &
    perf record -F 1999 -g -p <server pid> -o server.data -- sleep 35
    perf script -i server.data | python3 bench/profile/attribute.py 0.75   # 0.75 = the run's service CPU ms per call

That window (10-45 s after start) is mostly tiered JIT on this machine. For the steady state add
`--warm-up 60` to the bench and start perf ~80 s after the server (`sleep 82`, then `-- sleep 28`):
with `--rounds 2` the server's two measured runs are back to back then (docs/bench.md, fourth round).

Each sample goes to one part of the request path: JIT and GC threads by thread name; idle
thread-pool workers by their spin; otherwise the innermost frame that belongs to a named part.
Samples perf could not unwind to a managed frame (libc and libcrypto have no frame pointers:
socket system calls, OpenSSL) stay unattributed.
"""
import collections
import re
import sys

PARTS = [
    ("SigV4 verification", r"FuncSecrets\.(Core\.Auth\.(SigV4|CredentialScope|AccessKeyStore|SignedRequest)|Host\.Protocol\.Auth)"),
    ("authorization (policies)", r"FuncSecrets\.Core\.Auth"),
    ("audit record", r"FuncSecrets\.[A-Za-z.]*(Audit|CloudTrail)|Azure\.Storage\.Blobs"),
    ("AES-GCM envelope open", r"FuncSecrets\.Core\.Crypto"),
    ("table GET (store, Azure.Data.Tables, Azure.Core, HttpClient)", r"FuncSecrets\.Azure\.Tables|\[Azure\.Data\.Tables\]|\[Azure\.Core\]|\[System\.Net\.Http\]"),
    ("logging", r"Microsoft\.Extensions\.Logging"),
    ("JSON read/write, front door", r"FuncSecrets\.Host\.Protocol|System\.Text\.Json"),
    ("handler", r"FuncSecrets\.Core"),
    ("ASP.NET Core / Kestrel", r"Microsoft\.AspNetCore|\[System\.IO\.Pipelines\]|\[System\.Net\.Sockets\]"),
]
KESTREL = PARTS[-1][0]
COMPILED = [(name, re.compile(rx)) for name, rx in PARTS]


def part(thread, frames):
    stack = "\n".join(frames)
    if thread.startswith(".NET Tiered") or "libclrjit" in stack:
        return "tiered JIT"
    if thread.startswith((".NET Server GC", ".NET BGC", ".NET GC")):
        return "GC threads"
    if thread.startswith(".NET Sockets"):
        return KESTREL
    if re.search(r"LowLevelLifoSemaphore|sched_yield", stack) and not re.search(r"FuncSecrets|Azure\.|AspNetCore", stack):
        return "thread pool: idle workers spinning"
    for frame in frames:
        for name, rx in COMPILED:
            if rx.search(frame):
                return name
    return "unattributed (system calls, OpenSSL, runtime)"


def main():
    per_call_ms = float(sys.argv[1]) if len(sys.argv) > 1 else 0.0
    counts = collections.Counter()
    thread, frames = None, []
    for line in sys.stdin:
        if not line.strip():
            if thread is not None:
                counts[part(thread, frames)] += 1
            thread, frames = None, []
        elif line[0] in "\t ":
            fields = line.strip().split(" ", 1)
            frames.append(fields[1] if len(fields) > 1 else fields[0])
        else:
            match = re.match(r"(.+?)\s+\d+\s+[\d.]+:", line)
            thread = match.group(1).strip() if match else line[:15]
    if thread is not None:
        counts[part(thread, frames)] += 1
    total = sum(counts.values())
    print("| where | share | ms per call |\n|---|---:|---:|")
    for name, n in counts.most_common():
        print(f"| {name} | {100 * n / total:.1f} % | {per_call_ms * n / total:.3f} |")
    print(f"\n{total} samples")


if __name__ == "__main__":
    main()
