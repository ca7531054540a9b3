"""A rotation function written for AWS Secrets Manager's protocol, unchanged for FuncSecrets.

It follows the single-user rotation contract of AWS's rotation Lambdas: the service calls it four
times per rotation with {"SecretId", "ClientRequestToken", "Step"}; each step is idempotent and
talks back to the Secrets Manager API with boto3 (endpoint from SECRETS_MANAGER_ENDPOINT, as
AWS's templates read it). The "external system" whose password is rotated is a file per secret,
so setSecret and testSecret have something real to do.
"""
import json
import logging
import os
import pathlib

import boto3

logger = logging.getLogger()
logger.setLevel(logging.INFO)

# Where the pretend database keeps the password it accepts, one file per secret.
STATE = pathlib.Path(os.environ.get("ROTATION_STATE_DIR", "/tmp"))


def lambda_handler(event, context):
    arn = event["SecretId"]
    token = event["ClientRequestToken"]
    step = event["Step"]

    client = boto3.client("secretsmanager", endpoint_url=os.environ["SECRETS_MANAGER_ENDPOINT"])

    # The service announced the new version (AWSPENDING) before calling: check it, as AWS's
    # templates do, so a call for a rotation that is not in progress changes nothing.
    metadata = client.describe_secret(SecretId=arn)
    if not metadata.get("RotationEnabled"):
        raise ValueError(f"Secret {arn} is not enabled for rotation")
    versions = metadata["VersionIdsToStages"]
    if token not in versions:
        raise ValueError(f"Secret version {token} has no stage for rotation of secret {arn}.")
    if "AWSCURRENT" in versions[token]:
        logger.info("Secret version %s already set as AWSCURRENT for secret %s.", token, arn)
        return
    if "AWSPENDING" not in versions[token]:
        raise ValueError(f"Secret version {token} not set as AWSPENDING for rotation of secret {arn}.")

    if step == "createSecret":
        create_secret(client, arn, token)
    elif step == "setSecret":
        set_secret(client, arn, token)
    elif step == "testSecret":
        test_secret(client, arn, token)
    elif step == "finishSecret":
        finish_secret(client, arn, token)
    else:
        raise ValueError("Invalid step parameter")


def create_secret(client, arn, token):
    """Puts a new value on the AWSPENDING version, unless an earlier attempt already did."""
    current = json.loads(client.get_secret_value(SecretId=arn, VersionStage="AWSCURRENT")["SecretString"])
    try:
        client.get_secret_value(SecretId=arn, VersionId=token, VersionStage="AWSPENDING")
        logger.info("createSecret: AWSPENDING already holds a value for %s.", arn)
        return
    except client.exceptions.ResourceNotFoundException:
        pass
    exclude = os.environ.get("EXCLUDE_CHARACTERS", "/@\"'\\")
    current["password"] = client.get_random_password(ExcludeCharacters=exclude)["RandomPassword"]
    client.put_secret_value(SecretId=arn, ClientRequestToken=token, SecretString=json.dumps(current), VersionStages=["AWSPENDING"])
    logger.info("createSecret: put a new value on version %s of %s.", token, arn)


def set_secret(client, arn, token):
    """Makes the pretend database accept the new password."""
    pending = json.loads(client.get_secret_value(SecretId=arn, VersionId=token, VersionStage="AWSPENDING")["SecretString"])
    database(pending).write_text(pending["password"])


def test_secret(client, arn, token):
    """Logs in to the pretend database with the new password."""
    pending = json.loads(client.get_secret_value(SecretId=arn, VersionId=token, VersionStage="AWSPENDING")["SecretString"])
    if database(pending).read_text() != pending["password"]:
        raise ValueError("testSecret: the new password does not work")


def finish_secret(client, arn, token):
    """Moves AWSCURRENT to the new version."""
    metadata = client.describe_secret(SecretId=arn)
    current = None
    for version, stages in metadata["VersionIdsToStages"].items():
        if "AWSCURRENT" in stages:
            if version == token:
                logger.info("finishSecret: version %s already AWSCURRENT for %s.", version, arn)
                return
            current = version
            break
    client.update_secret_version_stage(SecretId=arn, VersionStage="AWSCURRENT", MoveToVersionId=token, RemoveFromVersionId=current)
    logger.info("finishSecret: moved AWSCURRENT to version %s for %s.", token, arn)


def database(secret):
    return STATE / f"{secret['username']}.password"
