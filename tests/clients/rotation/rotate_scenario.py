#!/usr/bin/env python3
"""Rotation end to end, driven by boto3: RotateSecret against a real rotation function (serve.py
running lambda_function.py), the failure paths, CancelRotateSecret and the built-in rotator.

Usage: rotate_scenario.py <endpoint-url> <function-url> <name-prefix> <canary>

Rotation is asynchronous (as on AWS): the script polls DescribeSecret, bounded in time, as a
client of AWS would. Prints one line per check (names and ids only, never a value) and exits 1 at
the first check that fails.
"""
import datetime
import json
import socket
import sys
import time
import traceback

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

CANNOT_INVOKE = ("Secrets Manager cannot invoke the specified Lambda function. Ensure that the function "
                 "policy grants access to the principal secretsmanager.amazonaws.com.")
NO_FUNCTION = "No Lambda rotation function ARN is associated with this secret."
IN_PROGRESS = "Previous rotation request is still in progress."


class ScenarioFailure(Exception):
    pass


def check(label, condition, detail=""):
    if not condition:
        raise ScenarioFailure(f"{label}: {detail}" if detail else label)
    print(f"ok   {label}", flush=True)


def equal(label, actual, expected):
    check(label, actual == expected, f"expected {expected!r}, got {actual!r}")


def error(label, code, message, call, **kwargs):
    try:
        call(**kwargs)
    except ClientError as e:
        err = e.response["Error"]
        equal(f"{label} -> code", err.get("Code"), code)
        equal(f"{label} -> HTTP status", e.response["ResponseMetadata"]["HTTPStatusCode"], 400)
        if message is not None:
            equal(f"{label} -> message", err.get("Message"), message)
        return
    raise ScenarioFailure(f"{label}: expected {code}, the call succeeded")


def wait_for(label, probe, timeout=60.0):
    """Polls probe() until it returns a true value; rotation runs after RotateSecret answers."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            print(f"ok   {label}", flush=True)
            return value
        if time.monotonic() > deadline:
            raise ScenarioFailure(f"{label}: not within {timeout:.0f} s")
        time.sleep(0.2)


def stages(sm, name):
    return sm.describe_secret(SecretId=name).get("VersionIdsToStages", {})


def closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main(endpoint, function_url, prefix, canary):
    sm = boto3.client("secretsmanager", endpoint_url=endpoint, config=Config(retries={"max_attempts": 1}))

    # 1. A rotation function written for AWS rotates a JSON secret.
    name = f"{prefix}-app"
    original = sm.create_secret(Name=name, SecretString=json.dumps({"username": f"{prefix}-user", "password": f"{canary}-initial", "host": "db"}))["VersionId"]
    rotated = sm.rotate_secret(SecretId=name, RotationLambdaARN=function_url, RotationRules={"AutomaticallyAfterDays": 7})
    equal("RotateSecret members", sorted(k for k in rotated if k != "ResponseMetadata"), ["ARN", "Name", "VersionId"])
    token = rotated["VersionId"]
    check("RotateSecret returns a new version id", token != original)
    wait_for("rotation finished (LastRotatedDate set)", lambda: "LastRotatedDate" in sm.describe_secret(SecretId=name))

    value = sm.get_secret_value(SecretId=name)
    equal("AWSCURRENT is the new version", value["VersionId"], token)
    secret = json.loads(value["SecretString"])
    equal("username kept", secret["username"], f"{prefix}-user")
    check("password changed", secret["password"] != f"{canary}-initial")
    labels = stages(sm, name)
    # issue 11: a completed rotation leaves AWSPENDING on no version (LocalStack AWS-validated snapshots)
    equal("new version labels", sorted(labels[token]), ["AWSCURRENT"])
    equal("old version labels", labels[original], ["AWSPREVIOUS"])
    previous = sm.get_secret_value(SecretId=name, VersionStage="AWSPREVIOUS")
    equal("AWSPREVIOUS holds the old value", json.loads(previous["SecretString"])["password"], f"{canary}-initial")

    described = sm.describe_secret(SecretId=name)
    equal("RotationEnabled", described["RotationEnabled"], True)
    equal("RotationLambdaARN", described["RotationLambdaARN"], function_url)
    equal("RotationRules", described["RotationRules"], {"AutomaticallyAfterDays": 7})
    next_date = described["NextRotationDate"].astimezone(datetime.timezone.utc)
    equal("NextRotationDate is the end of a UTC day", (next_date.hour, next_date.minute, next_date.second), (23, 59, 59))
    last = described["LastRotatedDate"].astimezone(datetime.timezone.utc)
    equal("NextRotationDate is 7 days after the rotation", (next_date.date() - last.date()).days, 7)

    # 2. RotateSecret with no settings rotates again with the stored ones.
    again = sm.rotate_secret(SecretId=name)["VersionId"]
    wait_for("second rotation finished", lambda: sm.get_secret_value(SecretId=name)["VersionId"] == again)
    equal("first rotated version is now AWSPREVIOUS", stages(sm, name)[token], ["AWSPREVIOUS"])

    # 3. A step that fails leaves AWSPENDING; other rotations are refused until it is cancelled.
    failing = f"{prefix}-fail-at-setSecret"
    failing_original = sm.create_secret(Name=failing, SecretString=json.dumps({"username": f"{prefix}-fail", "password": f"{canary}-fail"}))["VersionId"]
    pending = sm.rotate_secret(SecretId=failing, RotationLambdaARN=function_url, RotationRules={"AutomaticallyAfterDays": 1})["VersionId"]
    wait_for("createSecret filled AWSPENDING", lambda: _has_pending_value(sm, failing, pending))
    error("RotateSecret while a rotation is pending", "InvalidRequestException", IN_PROGRESS, sm.rotate_secret, SecretId=failing)
    cancelled = sm.cancel_rotate_secret(SecretId=failing)
    equal("CancelRotateSecret names the pending version", cancelled["VersionId"], pending)
    described = sm.describe_secret(SecretId=failing)
    equal("rotation disabled", described["RotationEnabled"], False)
    equal("AWSCURRENT unchanged", sm.get_secret_value(SecretId=failing)["VersionId"], failing_original)
    equal("AWSPENDING left for the caller", described["VersionIdsToStages"][pending], ["AWSPENDING"])

    # 4. Functions that cannot be invoked, and no function at all.
    plain = f"{prefix}-plain"
    sm.create_secret(Name=plain, SecretString=f"{canary}-plain")
    error("RotateSecret without a function", "InvalidRequestException", NO_FUNCTION, sm.rotate_secret, SecretId=plain)
    error("RotateSecret with an unmapped Lambda ARN", "AccessDeniedException", CANNOT_INVOKE, sm.rotate_secret,
          SecretId=plain, RotationLambdaARN="arn:aws:lambda:us-east-1:123456789012:function:nowhere", RotationRules={"AutomaticallyAfterDays": 1})
    error("RotateSecret with an unreachable function", "AccessDeniedException", CANNOT_INVOKE, sm.rotate_secret,
          SecretId=plain, RotationLambdaARN=f"http://127.0.0.1:{closed_port()}/", RotationRules={"AutomaticallyAfterDays": 1})
    check("no rotation settings stored", "RotationEnabled" not in sm.describe_secret(SecretId=plain))
    error("CancelRotateSecret without a function", "InvalidRequestException", None, sm.cancel_rotate_secret, SecretId=plain)

    # 5. The built-in rotator needs no function.
    builtin = f"{prefix}-builtin"
    sm.create_secret(Name=builtin, SecretString=json.dumps({"username": "svc", "password": f"{canary}-builtin"}))
    token = sm.rotate_secret(SecretId=builtin, RotationLambdaARN="funcsecrets:builtin:password", RotationRules={"ScheduleExpression": "rate(30 days)"})["VersionId"]
    wait_for("built-in rotation finished", lambda: sm.get_secret_value(SecretId=builtin)["VersionId"] == token)
    secret = json.loads(sm.get_secret_value(SecretId=builtin)["SecretString"])
    equal("built-in keeps username", secret["username"], "svc")
    check("built-in changed password", secret["password"] != f"{canary}-builtin")
    equal("built-in rules reported", sm.describe_secret(SecretId=builtin)["RotationRules"], {"AutomaticallyAfterDays": 30, "ScheduleExpression": "rate(30 days)"})

    print("PASS rotation scenario", flush=True)


def _has_pending_value(sm, name, token):
    try:
        sm.get_secret_value(SecretId=name, VersionId=token, VersionStage="AWSPENDING")
        return True
    except ClientError as e:
        if e.response["Error"]["Code"] == "ResourceNotFoundException":
            return False
        raise


if __name__ == "__main__":
    try:
        main(*sys.argv[1:5])
    except ScenarioFailure as failure:
        print(f"FAIL {failure}", flush=True)
        sys.exit(1)
    except Exception:
        traceback.print_exc()
        sys.exit(1)
