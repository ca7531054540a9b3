#!/usr/bin/env python3
"""32 parallel PutSecretValue calls on one secret, through boto3 (retries off, so a 5xx is seen).

Usage: concurrent_put.py <endpoint-url> <name-prefix> <canary>

Afterwards the secret must have exactly one AWSCURRENT and one AWSPREVIOUS, AWSCURRENT must be on a
version one of the calls created, every version a call reported is readable by VersionId with the
value that call put, and no call may have failed with a 5xx or a broken connection. A call may be
refused with a 4xx (a service may shed a lost race as a client error); that is counted and shown.
Prints counts and ids only; exits 1 on the first failed check.
"""
import collections
import sys
import traceback
from concurrent.futures import ThreadPoolExecutor

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

CALLS = 32


def main():
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    endpoint, prefix, canary = sys.argv[1:]
    sm = boto3.client("secretsmanager", endpoint_url=endpoint, region_name="us-east-1",
                      config=Config(retries={"max_attempts": 1, "mode": "standard"}, max_pool_connections=CALLS,
                                    connect_timeout=5, read_timeout=120))
    name = f"{prefix}/concurrent"
    first = sm.create_secret(Name=name, SecretString=f"{canary}-concurrent-initial")["VersionId"]

    def put(i):
        value = f"{canary}-concurrent-{i}"
        try:
            return ("ok", sm.put_secret_value(SecretId=name, SecretString=value)["VersionId"], value)
        except ClientError as e:
            return ("error", e.response["ResponseMetadata"].get("HTTPStatusCode"), e.response["Error"].get("Code"))
        except Exception as e:  # a dropped connection or a timeout: as bad as a 5xx
            return ("broken", type(e).__name__, str(e)[:200])

    with ThreadPoolExecutor(max_workers=CALLS) as pool:
        results = list(pool.map(put, range(CALLS)))

    written = {r[1]: r[2] for r in results if r[0] == "ok"}
    errors = collections.Counter((r[1], r[2]) for r in results if r[0] != "ok")
    print(f"calls {CALLS}: succeeded {len(written)}, failed {dict(errors)}", flush=True)
    failures = []
    server_errors = {k: n for k, n in errors.items() if not (isinstance(k[0], int) and 400 <= k[0] < 500)}
    if server_errors:
        failures.append(f"5xx or broken calls: {server_errors}")
    if len(written) != len([r for r in results if r[0] == "ok"]):
        failures.append("two calls reported the same VersionId")
    if not written:
        failures.append("no call succeeded")

    versions = sm.list_secret_version_ids(SecretId=name, IncludeDeprecated=True, MaxResults=100)["Versions"]
    holders = collections.defaultdict(list)
    for v in versions:
        for stage in v.get("VersionStages", []):
            holders[stage].append(v["VersionId"])
    print(f"versions listed {len(versions)}; AWSCURRENT on {holders['AWSCURRENT']}; AWSPREVIOUS on {holders['AWSPREVIOUS']}", flush=True)
    if len(holders["AWSCURRENT"]) != 1:
        failures.append(f"expected exactly one AWSCURRENT, found {len(holders['AWSCURRENT'])}")
    elif holders["AWSCURRENT"][0] not in written:
        failures.append("AWSCURRENT is not on a version a successful call created")
    if len(holders["AWSPREVIOUS"]) != 1:
        failures.append(f"expected exactly one AWSPREVIOUS, found {len(holders['AWSPREVIOUS'])}")
    listed = {v["VersionId"] for v in versions}
    if first not in listed or not set(written) <= listed:
        failures.append(f"versions missing from ListSecretVersionIds: {sorted(set(written) - listed)}")
    describe = sm.describe_secret(SecretId=name).get("VersionIdsToStages", {})
    if [k for k, v in describe.items() if "AWSCURRENT" in v] != holders["AWSCURRENT"]:
        failures.append("DescribeSecret and ListSecretVersionIds disagree on AWSCURRENT")

    unreadable = []
    for version_id, value in written.items():
        try:
            if sm.get_secret_value(SecretId=name, VersionId=version_id)["SecretString"] != value:
                unreadable.append((version_id, "wrong value"))
        except ClientError as e:
            unreadable.append((version_id, e.response["Error"].get("Code")))
    if unreadable:
        failures.append(f"successful versions not readable by VersionId: {unreadable}")
    else:
        print(f"ok   all {len(written)} successful versions readable by VersionId", flush=True)

    for failure in failures:
        print(f"FAIL {failure}", flush=True)
    if not failures:
        print("PASS concurrency", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Exception:
        traceback.print_exc()
        print("FAIL unexpected exception", flush=True)
        sys.exit(1)
