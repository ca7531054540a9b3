#!/usr/bin/env python3
"""End-to-end scenario of the Secrets Manager API driven by boto3 (a client nobody here wrote).

Usage: boto3_scenario.py <endpoint-url> <name-prefix> <canary>

Every secret value starts with <canary>, so the test that runs this can prove no value reached the
service's logs or its tables in plaintext. Prints one line per check (names and ids only, never a
value) and exits 1 at the first check that fails, saying what was expected and what came back.
With SCENARIO_KEEP_GOING=1 a failed check is printed and the scenario goes on (to list every
mismatch in one run); the exit code is still 1.
"""
import datetime
import json
import os
import pathlib
import sys
import traceback
import uuid

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

EXPECT = json.loads((pathlib.Path(__file__).resolve().parent / "expectations.json").read_text())
MSG = EXPECT["messages"]
KEEP_GOING = os.environ.get("SCENARIO_KEEP_GOING") == "1"
FAILURES = []


class ScenarioFailure(Exception):
    pass


def ok(label):
    print(f"ok   {label}", flush=True)


def check(label, condition, detail=""):
    if not condition:
        message = f"{label}: {detail}" if detail else label
        if not KEEP_GOING:
            raise ScenarioFailure(message)
        print(f"FAIL {message}", flush=True)
        FAILURES.append(message)
        return
    ok(label)


def equal(label, actual, expected):
    check(label, actual == expected, f"expected {expected!r}, got {actual!r}")


def members(response):
    return {k for k in response if k != "ResponseMetadata"}


def error(label, code, message, call, **kwargs):
    """Asserts the call fails with `code`; `message` is exact text, '~text' a substring, None unchecked."""
    try:
        call(**kwargs)
    except ClientError as e:
        err = e.response["Error"]
        status = e.response["ResponseMetadata"]["HTTPStatusCode"]
        got = (err.get("Code"), err.get("Message"))
        check(f"{label} -> {code}", got[0] == code, f"expected {code}, got {got!r} (HTTP {status})")
        check(f"{label} -> HTTP 400", status == 400, f"got HTTP {status}")
        if message is not None and message.startswith("~"):
            check(f"{label} message", message[1:] in (got[1] or ""), f"expected text containing {message[1:]!r}, got {got[1]!r}")
        elif message is not None:
            equal(f"{label} message", got[1], message)
        return err
    check(label, False, f"expected {code}, but the call succeeded")


def knows(sm, operation, member=None):
    """Whether this boto3's model has the operation (and member): Debian's python3-boto3 is from 2022."""
    model = sm.meta.service_model
    if operation not in model.operation_names:
        return False
    return member is None or member in model.operation_model(operation).input_shape.members


def skip(what, why):
    print(f"skip {what}: {why} (boto3 {boto3.__version__})", flush=True)


def stages(describe):
    return {k: sorted(v) for k, v in describe.get("VersionIdsToStages", {}).items()}


def pages(call, key, **kwargs):
    """Follows NextToken to the end; returns (items, page sizes)."""
    items, sizes, token = [], [], None
    for _ in range(1000):
        response = call(**kwargs, **({"NextToken": token} if token else {}))
        items += response.get(key, [])
        sizes.append(len(response.get(key, [])))
        token = response.get("NextToken")
        if not token:
            return items, sizes
    raise ScenarioFailure(f"{key}: paging did not end after 1000 pages")


def scenario(sm, prefix, canary):
    name, binary_name, missing = f"{prefix}/alpha", f"{prefix}/bin", f"{prefix}/missing"
    values = {i: f"{canary}-boto3-v{i}" for i in range(1, 5)}
    blob = canary.encode() + b"\x00\xff\xfe-binary"

    # --- errors on names that do not exist or are malformed
    error("describe missing", "ResourceNotFoundException", MSG["NotFound"], sm.describe_secret, SecretId=missing)
    error("get missing", "ResourceNotFoundException", MSG["NotFound"], sm.get_secret_value, SecretId=missing)
    error("create invalid name", "ValidationException", MSG["InvalidName"], sm.create_secret, Name=f"{prefix}/bad name*?", SecretString=values[1])
    error("describe invalid name", "ValidationException", MSG["InvalidName"], sm.describe_secret, SecretId="Inv Name")

    # --- create (string with an explicit token, then binary)
    token = str(uuid.uuid4())
    created = sm.create_secret(Name=name, SecretString=values[1], Description="alpha e2e secret", ClientRequestToken=token)
    arn = created["ARN"]
    check("create ARN format", arn.startswith("arn:aws:secretsmanager:us-east-1:") and f":secret:{name}-" in arn and len(arn.rsplit("-", 1)[1]) == 6, arn)
    equal("create Name", created["Name"], name)
    equal("create VersionId is the token", created["VersionId"], token)
    equal("create members", members(created), {"ARN", "Name", "VersionId"})
    again = sm.create_secret(Name=name, SecretString=values[1], Description="alpha e2e secret", ClientRequestToken=token)
    equal("create retried with same token is idempotent", again["VersionId"], token)
    error("create existing name", "ResourceExistsException", MSG["Exists"].format(name=name), sm.create_secret, Name=name, SecretString=values[2])
    bin_created = sm.create_secret(Name=binary_name, SecretBinary=blob)
    check("create binary VersionId", len(bin_created.get("VersionId", "")) >= 32)
    error("create with string and binary", "InvalidParameterException", None, sm.create_secret, Name=f"{prefix}/both", SecretString=values[1], SecretBinary=blob)

    # --- describe
    d = sm.describe_secret(SecretId=name)
    equal("describe ARN", d["ARN"], arn)
    equal("describe Description", d.get("Description"), "alpha e2e secret")
    check("describe dates", isinstance(d.get("CreatedDate"), datetime.datetime) and isinstance(d.get("LastChangedDate"), datetime.datetime))
    equal("describe VersionIdsToStages", stages(d), {token: ["AWSCURRENT"]})
    for absent in ("Tags", "DeletedDate", "LastAccessedDate", "RotationEnabled", "KmsKeyId"):
        check(f"describe has no {absent}", absent not in d, f"{absent} present")
    equal("describe by full ARN", sm.describe_secret(SecretId=arn)["Name"], name)
    equal("describe by partial ARN", sm.describe_secret(SecretId=arn[:-7])["Name"], name)

    # --- get
    g = sm.get_secret_value(SecretId=name)
    check("get SecretString", g.get("SecretString") == values[1], "value differs")
    equal("get VersionId", g["VersionId"], token)
    equal("get VersionStages", g["VersionStages"], ["AWSCURRENT"])
    equal("get members", members(g), {"ARN", "Name", "VersionId", "SecretString", "VersionStages", "CreatedDate"})
    gb = sm.get_secret_value(SecretId=binary_name)
    check("get SecretBinary round trip", gb.get("SecretBinary") == blob and "SecretString" not in gb, "binary differs")
    accessed = sm.describe_secret(SecretId=name).get("LastAccessedDate")
    check("LastAccessedDate set, day precision", accessed is not None and accessed.timestamp() % 86400 == 0, repr(accessed))
    error("get AWSPREVIOUS of one version", "ResourceNotFoundException", MSG["NoValueForStage"].format(stage="AWSPREVIOUS"), sm.get_secret_value, SecretId=name, VersionStage="AWSPREVIOUS")

    # --- put: AWSCURRENT moves, custom stages move only themselves
    p2 = sm.put_secret_value(SecretId=name, SecretString=values[2])
    v2 = p2["VersionId"]
    equal("put VersionStages", p2["VersionStages"], ["AWSCURRENT"])
    equal("put members", members(p2), {"ARN", "Name", "VersionId", "VersionStages"})
    equal("after put: current/previous", stages(sm.describe_secret(SecretId=name)), {v2: ["AWSCURRENT"], token: ["AWSPREVIOUS"]})
    prev = sm.get_secret_value(SecretId=name, VersionStage="AWSPREVIOUS")
    check("get AWSPREVIOUS is the first value", prev["VersionId"] == token and prev["SecretString"] == values[1])
    p3 = sm.put_secret_value(SecretId=name, SecretString=values[3], VersionStages=["STAGEB", "STAGEA"])
    v3 = p3["VersionId"]
    equal("put custom stages, sorted", p3["VersionStages"], ["STAGEA", "STAGEB"])
    check("custom-stage put leaves AWSCURRENT", sm.get_secret_value(SecretId=name)["VersionId"] == v2)
    by_id = sm.get_secret_value(SecretId=name, VersionId=v3)
    check("get by VersionId", by_id["SecretString"] == values[3] and by_id["VersionStages"] == ["STAGEA", "STAGEB"])
    equal("get by custom stage", sm.get_secret_value(SecretId=name, VersionStage="STAGEA")["VersionId"], v3)
    error("get VersionId with a stage it lacks", "InvalidRequestException", MSG["StageNotOnVersion"], sm.get_secret_value, SecretId=name, VersionId=token, VersionStage="AWSCURRENT")
    unknown = str(uuid.uuid4())
    error("get unknown VersionId", "ResourceNotFoundException", MSG["NoValueForVersion"].format(version=unknown), sm.get_secret_value, SecretId=name, VersionId=unknown)
    error("get unknown stage", "ResourceNotFoundException", MSG["NoValueForStage"].format(stage="NOPE"), sm.get_secret_value, SecretId=name, VersionStage="NOPE")

    # --- update
    u = sm.update_secret(SecretId=name, Description="alpha renamed")
    equal("update description only: no VersionId", members(u), {"ARN", "Name"})
    equal("describe shows new Description", sm.describe_secret(SecretId=name).get("Description"), "alpha renamed")
    v4 = sm.update_secret(SecretId=name, SecretString=values[4])["VersionId"]
    equal("after update value", stages(sm.describe_secret(SecretId=name)), {v4: ["AWSCURRENT"], v2: ["AWSPREVIOUS"], v3: ["STAGEA", "STAGEB"]})

    # --- UpdateSecretVersionStage
    error("move AWSCURRENT without RemoveFromVersionId", "InvalidParameterException", MSG["RemoveFromRequired"].format(version=v4),
          sm.update_secret_version_stage, SecretId=name, VersionStage="AWSCURRENT", MoveToVersionId=v3)
    moved = sm.update_secret_version_stage(SecretId=name, VersionStage="AWSCURRENT", MoveToVersionId=v3, RemoveFromVersionId=v4)
    equal("update stage members", members(moved), {"ARN", "Name"})
    equal("after move", stages(sm.describe_secret(SecretId=name)), {v3: ["AWSCURRENT", "STAGEA", "STAGEB"], v4: ["AWSPREVIOUS"]})
    check("get follows AWSCURRENT", sm.get_secret_value(SecretId=name)["SecretString"] == values[3])
    sm.update_secret_version_stage(SecretId=name, VersionStage="STAGEB", RemoveFromVersionId=v3)
    equal("remove a custom stage", stages(sm.describe_secret(SecretId=name))[v3], ["AWSCURRENT", "STAGEA"])

    # --- ListSecretVersionIds
    lv = sm.list_secret_version_ids(SecretId=name)
    equal("versions without deprecated", {v["VersionId"] for v in lv["Versions"]}, {v3, v4})
    check("version entries carry CreatedDate and KmsKeyIds", all("CreatedDate" in v and v.get("KmsKeyIds") == ["DefaultEncryptionKey"] for v in lv["Versions"]), repr([sorted(v) for v in lv["Versions"]]))
    all_versions = sm.list_secret_version_ids(SecretId=name, IncludeDeprecated=True)["Versions"]
    equal("versions with deprecated", {v["VersionId"] for v in all_versions}, {token, v2, v3, v4})
    check("deprecated versions have no VersionStages", all("VersionStages" not in v for v in all_versions if v["VersionId"] in (token, v2)))
    paged, sizes = pages(sm.list_secret_version_ids, "Versions", SecretId=name, IncludeDeprecated=True, MaxResults=1)
    check("version paging MaxResults=1", max(sizes) <= 1 and sorted(v["VersionId"] for v in paged) == sorted([token, v2, v3, v4]), f"pages {sizes}")
    error("versions of missing", "ResourceNotFoundException", MSG["NotFound"], sm.list_secret_version_ids, SecretId=missing)

    # --- tags
    sm.tag_resource(SecretId=name, Tags=[{"Key": "team", "Value": "blue"}, {"Key": "env", "Value": "test"}])
    tags = sm.describe_secret(SecretId=name).get("Tags")
    equal("tagged", sorted((t["Key"], t["Value"]) for t in tags or []), [("env", "test"), ("team", "blue")])
    sm.untag_resource(SecretId=name, TagKeys=["team"])
    equal("untag one", sm.describe_secret(SecretId=name).get("Tags"), [{"Key": "env", "Value": "test"}])
    sm.untag_resource(SecretId=name, TagKeys=["env"])
    equal("untag last leaves []", sm.describe_secret(SecretId=name).get("Tags"), [])

    list_secrets(sm, prefix, canary, name)
    batch_get(sm, prefix, canary, name, binary_name, missing, values[3], blob)
    random_password(sm)
    deletion(sm, prefix, name, arn, binary_name, values[3])


def list_secrets(sm, prefix, canary, alpha):
    base = f"{prefix}/list/"
    for spec in EXPECT["listSecrets"]:
        sm.create_secret(Name=base + spec["suffix"], SecretString=f"{canary}-list-{spec['suffix']}", Description=spec["description"],
                         Tags=[{"Key": k, "Value": v} for k, v in spec["tags"]])
    everything = {base + s["suffix"] for s in EXPECT["listSecrets"]}

    def names(*filters, **kwargs):
        items, _ = pages(sm.list_secrets, "SecretList", Filters=[{"Key": k, "Values": v} for k, v in filters], **kwargs)
        found = [s["Name"] for s in items]
        check(f"list {filters} has no repeats", len(found) == len(set(found)), repr(found))
        return set(found)

    def expect(label, filters, suffixes):
        equal(f"list {label}", names(*filters), {base + s for s in suffixes})

    listed, _ = pages(sm.list_secrets, "SecretList", Filters=[{"Key": "name", "Values": [base]}])
    equal("list by name prefix", {s["Name"] for s in listed}, everything)
    entry = next(s for s in listed if s["Name"] == base + "k0")
    check("list entry members", {"ARN", "Name", "Description", "SecretVersionsToStages", "Tags"} <= set(entry), repr(sorted(entry)))
    expect("name k1", [("name", [base + "k1"])], ["k1"])
    negated = names(("name", ["!" + base]))
    check("list name negation", alpha in negated and not (negated & everything), "negation returned list secrets or missed alpha")
    expect("description word, case-insensitive", [("name", [base]), ("description", ["alpha"])], ["k0", "k2", "k4"])
    expect("description negation", [("name", [base]), ("description", ["!alpha"])], ["k1", "k3"])
    expect("description later word", [("name", [base]), ("description", ["cache"])], ["k1"])
    expect("tag-key", [("name", [base]), ("tag-key", ["team"])], ["k0", "k1", "k4"])
    expect("tag-key prefix", [("name", [base]), ("tag-key", ["tea"])], ["k0", "k1", "k4"])
    expect("tag-value", [("name", [base]), ("tag-value", ["blue"])], ["k0", "k4"])
    expect("tag-value is case-sensitive", [("name", [base]), ("tag-value", ["Blue"])], [])
    expect("all", [("name", [base]), ("all", ["gamma"])], ["k4"])
    for size in (1, 2):
        items, sizes = pages(sm.list_secrets, "SecretList", Filters=[{"Key": "name", "Values": [base]}], MaxResults=size)
        found = [s["Name"] for s in items]
        check(f"list paging MaxResults={size} never repeats or skips", sorted(found) == sorted(everything) and max(sizes) <= size, f"pages {sizes}: {found}")


def batch_get(sm, prefix, canary, alpha, binary_name, missing, alpha_value, blob):
    if not knows(sm, "BatchGetSecretValue"):
        # The client's gap (botocore 1.32, late 2023), not the service's; the JS scenario covers it.
        skip("BatchGetSecretValue", "this client predates the operation")
        return
    b = sm.batch_get_secret_value(SecretIdList=[alpha, binary_name, missing])
    got = {v["Name"]: v for v in b["SecretValues"]}
    equal("batch names", set(got), {alpha, binary_name})
    check("batch values", got[alpha].get("SecretString") == alpha_value and got[binary_name].get("SecretBinary") == blob, "values differ")
    check("batch entry members", {"ARN", "Name", "VersionId", "VersionStages", "CreatedDate"} <= set(got[alpha]), repr(sorted(got[alpha])))
    equal("batch errors", [(e.get("SecretId"), e.get("ErrorCode")) for e in b.get("Errors", [])], [(missing, "ResourceNotFoundException")])
    base = f"{prefix}/list/"
    items, sizes = pages(sm.batch_get_secret_value, "SecretValues", Filters=[{"Key": "name", "Values": [base]}], MaxResults=2)
    found = sorted(v["Name"] for v in items)
    check("batch by filter, paged", found == sorted(base + s["suffix"] for s in EXPECT["listSecrets"]) and max(sizes) <= 2, f"pages {sizes}: {found}")
    check("batch by filter values", all(v["SecretString"] == f"{canary}-list-{v['Name'][len(base):]}" for v in items), "values differ")


def random_password(sm):
    p = sm.get_random_password(PasswordLength=40, ExcludeCharacters="abcdefABCDEF0123456")["RandomPassword"]
    check("password length 40 without excluded", len(p) == 40 and not set(p) & set("abcdefABCDEF0123456"), f"length {len(p)}")
    p = sm.get_random_password()["RandomPassword"]
    has = [any(c.isupper() for c in p), any(c.islower() for c in p), any(c.isdigit() for c in p), any(c in EXPECT["punctuation"] for c in p)]
    check("default password: 32 chars, every type", len(p) == 32 and all(has) and " " not in p, f"length {len(p)}, types {has}")
    p = sm.get_random_password(PasswordLength=20, ExcludePunctuation=True, ExcludeNumbers=True)["RandomPassword"]
    check("letters-only password", len(p) == 20 and p.isalpha() and p.isascii(), f"length {len(p)}")


def deletion(sm, prefix, name, arn, binary_name, current_value):
    now = datetime.datetime.now(datetime.timezone.utc)
    deleted = sm.delete_secret(SecretId=name, RecoveryWindowInDays=7)
    equal("delete members", members(deleted), {"ARN", "Name", "DeletionDate"})
    check("DeletionDate is in 7 days", abs((deleted["DeletionDate"] - now).total_seconds() - 7 * 86400) < 86400, repr(deleted["DeletionDate"]))
    error("get deleted", "InvalidRequestException", MSG["MarkedForDeletion"], sm.get_secret_value, SecretId=name)
    error("put deleted", "InvalidRequestException", MSG["MarkedForDeletion"], sm.put_secret_value, SecretId=name, SecretString="x-not-stored")
    check("describe deleted shows DeletedDate", "DeletedDate" in sm.describe_secret(SecretId=name))
    hidden, _ = pages(sm.list_secrets, "SecretList", Filters=[{"Key": "name", "Values": [name]}])
    check("list hides deleted", name not in {s["Name"] for s in hidden})
    if knows(sm, "ListSecrets", "IncludePlannedDeletion"):
        shown, _ = pages(sm.list_secrets, "SecretList", Filters=[{"Key": "name", "Values": [name]}], IncludePlannedDeletion=True)
        check("list IncludePlannedDeletion shows it", any(s["Name"] == name and "DeletedDate" in s for s in shown))
    else:
        skip("ListSecrets IncludePlannedDeletion", "this client predates the member")
    error("create over deleted name", "InvalidRequestException", MSG["CreateScheduled"], sm.create_secret, Name=name, SecretString="x-not-stored")
    error("force and window together", "InvalidParameterException", "~ForceDeleteWithoutRecovery", sm.delete_secret, SecretId=binary_name, ForceDeleteWithoutRecovery=True, RecoveryWindowInDays=7)
    error("recovery window 6", "InvalidParameterException", "~RecoveryWindowInDays", sm.delete_secret, SecretId=binary_name, RecoveryWindowInDays=6)
    restored = sm.restore_secret(SecretId=name)
    equal("restore members", (members(restored), restored["ARN"]), ({"ARN", "Name"}, arn))
    check("get after restore", sm.get_secret_value(SecretId=name)["SecretString"] == current_value)
    check("describe after restore has no DeletedDate", "DeletedDate" not in sm.describe_secret(SecretId=name))
    forced = sm.delete_secret(SecretId=name, ForceDeleteWithoutRecovery=True)
    equal("force delete members", members(forced), {"ARN", "Name", "DeletionDate"})
    error("describe after force delete", "ResourceNotFoundException", MSG["NotFound"], sm.describe_secret, SecretId=name)
    never = f"{prefix}/never"
    equal("force delete of a missing secret succeeds", sm.delete_secret(SecretId=never, ForceDeleteWithoutRecovery=True)["Name"], never)
    error("restore missing", "ResourceNotFoundException", MSG["NotFound"], sm.restore_secret, SecretId=f"{prefix}/missing")


def main():
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    endpoint, prefix, canary = sys.argv[1:]
    sm = boto3.client("secretsmanager", endpoint_url=endpoint, region_name="us-east-1",
                      config=Config(retries={"max_attempts": 1, "mode": "standard"}, connect_timeout=5, read_timeout=60))
    return run("boto3 scenario", lambda: scenario(sm, prefix, canary))


def run(label, body):
    """Runs body() and reports: PASS <label> and 0, or FAIL and 1 at the first failed check or unexpected error."""
    try:
        body()
    except ScenarioFailure as failure:
        print(f"FAIL {failure}", flush=True)
        return 1
    except ClientError as e:
        print(f"FAIL unexpected {e.response['Error'].get('Code')} (HTTP {e.response['ResponseMetadata']['HTTPStatusCode']}): {e}", flush=True)
        traceback.print_exc()
        return 1
    if FAILURES:
        print(f"FAIL {len(FAILURES)} checks failed", flush=True)
        return 1
    print(f"PASS {label}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
