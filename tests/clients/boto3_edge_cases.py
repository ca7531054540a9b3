#!/usr/bin/env python3
"""AWS behaviours that are easy to get wrong, driven by boto3 (shares boto3_scenario.py's checks).

Usage: boto3_edge_cases.py <endpoint-url> <name-prefix> <canary>

Each expectation carries its evidence (see /work/notes/aws-behaviour.md): [AWS] recorded from real
AWS, [DOC] AWS documentation, [ISSUE] the project's issue text. Where only emulators show AWS's
wording, only the error code is checked. Prints names and ids only; exits 1 at the first failure
(SCENARIO_KEEP_GOING=1: list every failure, still exit 1).
"""
import sys
import traceback
import uuid

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

import boto3_scenario as s
from boto3_scenario import MSG, check, equal, error, members, stages


def empty_secret(sm, prefix, canary):
    name = f"{prefix}/empty"
    created = sm.create_secret(Name=name, Description="")
    equal("[AWS] create without a value returns only ARN and Name", members(created), {"ARN", "Name"})
    d = sm.describe_secret(SecretId=name)
    check("[AWS] describe without versions has no VersionIdsToStages", "VersionIdsToStages" not in d, repr(sorted(d)))
    check("[AWS] an empty Description is left out", "Description" not in d, repr(sorted(d)))
    error("[AWS] get with no versions", "ResourceNotFoundException", MSG["NoValueForStage"].format(stage="AWSCURRENT"), sm.get_secret_value, SecretId=name)
    put = sm.put_secret_value(SecretId=name, SecretString=f"{canary}-empty-1")
    equal("[AWS] first put on an empty secret gets AWSCURRENT", put["VersionStages"], ["AWSCURRENT"])


def labels(sm, prefix, canary):
    name = f"{prefix}/labels"
    v1 = sm.create_secret(Name=name, SecretString=f"{canary}-labels-1")["VersionId"]
    a = sm.put_secret_value(SecretId=name, SecretString=f"{canary}-labels-2", VersionStages=["one", "two", "three"])
    equal("[AWS] stages come back sorted", a["VersionStages"], ["one", "three", "two"])
    b = sm.put_secret_value(SecretId=name, SecretString=f"{canary}-labels-3", VersionStages=["one", "two", "four"])
    equal("[AWS] a put moves only the labels it names", stages(sm.describe_secret(SecretId=name)),
          {v1: ["AWSCURRENT"], a["VersionId"]: ["three"], b["VersionId"]: ["four", "one", "two"]})
    c = sm.put_secret_value(SecretId=name, SecretString=f"{canary}-labels-4", VersionStages=["AWSCURRENT", "PUT0"])
    equal("[AWS] a put naming AWSCURRENT moves it and sets AWSPREVIOUS", stages(sm.describe_secret(SecretId=name)),
          {v1: ["AWSPREVIOUS"], a["VersionId"]: ["three"], b["VersionId"]: ["four", "one", "two"], c["VersionId"]: ["AWSCURRENT", "PUT0"]})
    pending = sm.put_secret_value(SecretId=name, SecretString=f"{canary}-labels-5", VersionStages=["AWSPENDING"])["VersionId"]
    equal("[AWS] AWSPENDING does not move AWSCURRENT", sm.get_secret_value(SecretId=name)["VersionId"], c["VersionId"])
    equal("[AWS] get by AWSPENDING", sm.get_secret_value(SecretId=name, VersionStage="AWSPENDING")["VersionId"], pending)
    error("[EMU code] RemoveFromVersionId that does not hold the label", "InvalidParameterException", None,
          sm.update_secret_version_stage, SecretId=name, VersionStage="AWSCURRENT", MoveToVersionId=pending, RemoveFromVersionId=v1)


def idempotency(sm, prefix, canary):
    name = f"{prefix}/tokens"
    sm.create_secret(Name=name, SecretString=f"{canary}-tokens-1")
    token = str(uuid.uuid4())
    first = sm.put_secret_value(SecretId=name, SecretString=f"{canary}-tokens-2", ClientRequestToken=token)
    again = sm.put_secret_value(SecretId=name, SecretString=f"{canary}-tokens-2", ClientRequestToken=token)
    equal("[DOC] put retried with the same token and value returns the same version", again["VersionId"], first["VersionId"])
    versions = sm.list_secret_version_ids(SecretId=name, IncludeDeprecated=True)["Versions"]
    equal("[DOC] the retried put made no new version", len(versions), 2)
    error("[ISSUE] same token, different value", "ResourceExistsException", None,
          sm.put_secret_value, SecretId=name, SecretString=f"{canary}-tokens-3", ClientRequestToken=token)
    before = sm.describe_secret(SecretId=name)["LastChangedDate"]
    sm.update_secret(SecretId=name, SecretString=f"{canary}-tokens-2")
    after = sm.describe_secret(SecretId=name)["LastChangedDate"]
    check("[AWS] every value update moves LastChangedDate forward", after > before, f"{before} -> {after}")


def names_and_arns(sm, prefix, canary):
    bad = " Inv*Name? "
    for operation, kwargs in [
        ("get_secret_value", {"SecretId": bad}),
        ("put_secret_value", {"SecretId": bad, "SecretString": "x-not-stored"}),
        ("update_secret", {"SecretId": bad, "Description": "d"}),
        ("delete_secret", {"SecretId": bad, "ForceDeleteWithoutRecovery": True}),
        ("tag_resource", {"SecretId": bad, "Tags": [{"Key": "k", "Value": "v"}]}),
        ("untag_resource", {"SecretId": bad, "TagKeys": ["k"]}),
        ("list_secret_version_ids", {"SecretId": bad, "IncludeDeprecated": True}),
    ]:
        error(f"[AWS] {operation} with an invalid name", "ValidationException", MSG["InvalidName"], getattr(sm, operation), **kwargs)

    tricky = f"{prefix}/Valid/_+=.@-Name-a1b2c3"
    arn = sm.create_secret(Name=tricky, SecretString=f"{canary}-tricky")["ARN"]
    equal("[AWS] a name of every allowed character, by full ARN", sm.describe_secret(SecretId=arn)["Name"], tricky)
    error("[AWS] partial ARN of a name ending in -XXXXXX reads as a full ARN", "ResourceNotFoundException", MSG["NotFound"],
          sm.describe_secret, SecretId=arn[:-7])

    name = f"{prefix}/recreated"
    old = sm.create_secret(Name=name, SecretString=f"{canary}-recreated-1")["ARN"]
    sm.delete_secret(SecretId=name, ForceDeleteWithoutRecovery=True)
    new = sm.create_secret(Name=name, SecretString=f"{canary}-recreated-2")["ARN"]
    check("[AWS] a name re-created after force delete gets a new ARN suffix", new != old and new[:-6] == old[:-6], f"{old} -> {new}")


def deleted_secret(sm, prefix, canary):
    name = f"{prefix}/deleted"
    sm.create_secret(Name=name, SecretString=f"{canary}-deleted-1", Tags=[{"Key": "b", "Value": "2"}, {"Key": "a", "Value": "1"}])
    equal("[AWS] tags keep insertion order", [t["Key"] for t in sm.describe_secret(SecretId=name)["Tags"]], ["b", "a"])
    current = sm.get_secret_value(SecretId=name)["VersionId"]
    sm.delete_secret(SecretId=name, RecoveryWindowInDays=30)
    for operation, kwargs in [
        ("update_secret", {"SecretId": name, "Description": "d"}),
        ("tag_resource", {"SecretId": name, "Tags": [{"Key": "k", "Value": "v"}]}),
        ("untag_resource", {"SecretId": name, "TagKeys": ["a"]}),
        ("update_secret_version_stage", {"SecretId": name, "VersionStage": "X", "MoveToVersionId": current}),
    ]:
        error(f"[AWS] {operation} on a deleted secret", "InvalidRequestException", MSG["MarkedForDeletion"], getattr(sm, operation), **kwargs)
    forced = sm.delete_secret(SecretId=name, ForceDeleteWithoutRecovery=True)
    equal("[AWS] force delete of a secret already scheduled succeeds", forced["Name"], name)
    error("[AWS] gone after force delete", "ResourceNotFoundException", MSG["NotFound"], sm.get_secret_value, SecretId=name)
    error("delete (with a window) of a missing secret", "ResourceNotFoundException", MSG["NotFound"], sm.delete_secret, SecretId=f"{prefix}/missing")


def limits(sm, prefix, canary):
    name = f"{prefix}/big"
    sm.create_secret(Name=name, SecretString=canary + "x" * (65536 - len(canary)))
    check("[MODEL] a 65,536-character value is accepted", len(sm.get_secret_value(SecretId=name)["SecretString"]) == 65536)
    error("[MODEL] a 65,537-character value is refused", "ValidationException", None,
          sm.put_secret_value, SecretId=name, SecretString=canary + "x" * (65537 - len(canary)))
    error("[MODEL] ListSecrets MaxResults 101", "ValidationException", None, sm.list_secrets, MaxResults=101)
    if s.knows(sm, "BatchGetSecretValue"):  # boto3 from before late 2023 lacks it
        error("[EMU code] BatchGetSecretValue with both SecretIdList and Filters", "InvalidParameterException", None,
              sm.batch_get_secret_value, SecretIdList=[name], Filters=[{"Key": "name", "Values": [prefix]}])
    error("[EMU code] RotateSecret without a rotation function", "InvalidRequestException", None, sm.rotate_secret, SecretId=name)
    check("[AWS] a failed RotateSecret stores no rotation settings", "RotationEnabled" not in sm.describe_secret(SecretId=name))


def main():
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    endpoint, prefix, canary = sys.argv[1:]
    sm = boto3.client("secretsmanager", endpoint_url=endpoint, region_name="us-east-1",
                      config=Config(retries={"max_attempts": 1, "mode": "standard"}, connect_timeout=5, read_timeout=60))
    for section in (empty_secret, labels, idempotency, names_and_arns, deleted_secret, limits):
        try:
            section(sm, prefix, canary)
        except s.ScenarioFailure as failure:
            print(f"FAIL {failure}", flush=True)
            return 1
        except ClientError as e:
            print(f"FAIL {section.__name__}: unexpected {e.response['Error'].get('Code')} (HTTP {e.response['ResponseMetadata']['HTTPStatusCode']}): {e}", flush=True)
            traceback.print_exc()
            if not s.KEEP_GOING:
                return 1
            s.FAILURES.append(section.__name__)
    if s.FAILURES:
        print(f"FAIL {len(s.FAILURES)} checks failed", flush=True)
        return 1
    print("PASS boto3 edge cases", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
