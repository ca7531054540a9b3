#!/usr/bin/env python3
"""Multi-Region replication between two FuncSecrets deployments, driven by boto3 (issue 14).

Usage: replication_scenario.py <us-east-1-endpoint> <eu-west-1-endpoint> <name-prefix>

The two endpoints are two service processes, each with its own tables and wrapping key, each
configured with the other as its replication peer. A user replicates a secret, reads the replica
through the second Region's endpoint, changes the primary and watches the replica follow, meets
what a replica refuses, promotes a replica and removes one. Error texts are those moto's
replication tests record (tests/test_secretsmanager/test_secrets_duplication.py). Prints names
and Regions only; exits 1 at the first failed check.
"""
import sys

import boto3
from botocore.config import Config

from boto3_scenario import check, equal, error, run

EAST, WEST = "us-east-1", "eu-west-1"
REFUSED = "Operation not permitted on a replica secret. Call must be made in primary secret's region."


def client(endpoint, region):
    return boto3.client("secretsmanager", endpoint_url=endpoint, region_name=region,
                        config=Config(retries={"max_attempts": 1, "mode": "standard"}, connect_timeout=5, read_timeout=60))


def replicate_and_follow(east, west, prefix):
    name = f"{prefix}/db"
    arn = east.create_secret(Name=name, SecretString="first value", Description="orders database")["ARN"]
    answer = east.replicate_secret_to_regions(SecretId=arn, AddReplicaRegions=[{"Region": WEST}])
    status = answer["ReplicationStatus"]
    equal("replicate answers the primary ARN", answer["ARN"], arn)
    equal("replicate answers one status", [(s["Region"], s["KmsKeyId"], s["Status"]) for s in status], [(WEST, "alias/aws/secretsmanager", "InSync")])

    replica_arn = arn.replace(f":{EAST}:", f":{WEST}:")
    equal("the replica reads in eu-west-1 by ARN", west.get_secret_value(SecretId=replica_arn)["SecretString"], "first value")
    described = west.describe_secret(SecretId=name)
    equal("the replica's ARN carries its Region and the same suffix", described["ARN"], replica_arn)
    equal("the replica names its primary Region", described.get("PrimaryRegion"), EAST)
    equal("the replica carries the description", described.get("Description"), "orders database")
    check("the replica shows no replication status", "ReplicationStatus" not in described, repr(sorted(described)))

    east.put_secret_value(SecretId=name, SecretString="second value")
    east.tag_resource(SecretId=name, Tags=[{"Key": "team", "Value": "payments"}])
    east.update_secret(SecretId=name, Description="orders database, moved")
    equal("a new value follows", west.get_secret_value(SecretId=name)["SecretString"], "second value")
    equal("the old value is AWSPREVIOUS there too", west.get_secret_value(SecretId=name, VersionStage="AWSPREVIOUS")["SecretString"], "first value")
    described = west.describe_secret(SecretId=name)
    equal("tags follow", described.get("Tags"), [{"Key": "team", "Value": "payments"}])
    equal("the description follows", described.get("Description"), "orders database, moved")
    equal("labels follow", described["VersionIdsToStages"], east.describe_secret(SecretId=name)["VersionIdsToStages"])
    primary = east.describe_secret(SecretId=name)
    equal("the primary shows the replica in sync", [(s["Region"], s["Status"]) for s in primary["ReplicationStatus"]], [(WEST, "InSync")])
    check("the primary names no primary Region", "PrimaryRegion" not in primary, repr(sorted(primary)))

    error("a replica refuses PutSecretValue", "InvalidParameterException", REFUSED, west.put_secret_value, SecretId=name, SecretString="nope")
    error("a replica refuses TagResource", "InvalidParameterException", REFUSED, west.tag_resource, SecretId=name, Tags=[{"Key": "k", "Value": "v"}])
    error("a replica refuses DeleteSecret", "InvalidParameterException", REFUSED, west.delete_secret, SecretId=name)
    error("a replica refuses RotateSecret", "InvalidParameterException", REFUSED, west.rotate_secret, SecretId=name, RotationLambdaARN="funcsecrets:builtin:password")
    error("a primary with replicas cannot be deleted", "InvalidParameterException",
          f"You can't delete secret {name} that still has replica regions [{WEST}]", east.delete_secret, SecretId=name)

    listed = west.list_secrets(Filters=[{"Key": "primary-region", "Values": [EAST]}, {"Key": "name", "Values": [prefix]}])["SecretList"]
    equal("primary-region lists the replica in eu-west-1", [(s["Name"], s.get("PrimaryRegion")) for s in listed], [(name, EAST)])
    return name


def invalid_input(east, prefix):
    name = f"{prefix}/input"
    east.create_secret(Name=name, SecretString="v")
    error("a Region no peer serves", "InvalidParameterException", "Invalid replica region.",
          east.replicate_secret_to_regions, SecretId=name, AddReplicaRegions=[{"Region": "ap-south-1"}])
    error("the primary's own Region", "InvalidParameterException", "Invalid replica region.",
          east.replicate_secret_to_regions, SecretId=name, AddReplicaRegions=[{"Region": EAST}])
    error("a malformed Region", "ValidationException", "~addReplicaRegions.1.member.region",
          east.replicate_secret_to_regions, SecretId=name, AddReplicaRegions=[{"Region": "EU-WEST-1"}])
    error("a KmsKeyId eu-west-1 does not know", "InvalidParameterException", None,
          east.replicate_secret_to_regions, SecretId=name, AddReplicaRegions=[{"Region": WEST, "KmsKeyId": "alias/nobody"}])
    check("nothing was replicated", "ReplicationStatus" not in east.describe_secret(SecretId=name))


def promote(east, west, prefix):
    name = f"{prefix}/promote"
    created = east.create_secret(Name=name, SecretString="shared", AddReplicaRegions=[{"Region": WEST}])
    equal("CreateSecret with AddReplicaRegions answers the status", [(s["Region"], s["Status"]) for s in created["ReplicationStatus"]], [(WEST, "InSync")])
    error("StopReplicationToReplica on the primary", "InvalidRequestException", None, east.stop_replication_to_replica, SecretId=name)

    answer = west.stop_replication_to_replica(SecretId=name)
    equal("promotion answers the replica's ARN", answer["ARN"], created["ARN"].replace(f":{EAST}:", f":{WEST}:"))
    check("the promoted secret names no primary", "PrimaryRegion" not in west.describe_secret(SecretId=name))
    check("the primary forgot the replica", "ReplicationStatus" not in east.describe_secret(SecretId=name))
    west.put_secret_value(SecretId=name, SecretString="west only")
    equal("the promoted secret takes writes", west.get_secret_value(SecretId=name)["SecretString"], "west only")
    equal("the primary keeps its own value", east.get_secret_value(SecretId=name)["SecretString"], "shared")


def remove(east, west, name):
    answer = east.remove_regions_from_replication(SecretId=name, RemoveReplicaRegions=[WEST])
    equal("removal answers no replicas", answer["ReplicationStatus"], [])
    error("the replica is gone", "ResourceNotFoundException", "Secrets Manager can't find the specified secret.", west.describe_secret, SecretId=name)
    east.remove_regions_from_replication(SecretId=name, RemoveReplicaRegions=[WEST])
    east.delete_secret(SecretId=name, ForceDeleteWithoutRecovery=True)
    error("the primary is gone too", "ResourceNotFoundException", None, east.describe_secret, SecretId=name)


def main():
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    east_endpoint, west_endpoint, prefix = sys.argv[1:]
    east, west = client(east_endpoint, EAST), client(west_endpoint, WEST)

    def steps():
        name = replicate_and_follow(east, west, prefix)
        invalid_input(east, prefix)
        promote(east, west, prefix)
        remove(east, west, name)

    return run("replication scenario", steps)


if __name__ == "__main__":
    sys.exit(main())
