"""LookupEvents through boto3's own CloudTrail client (issue 16): the audit trail of one secret,
newest first, page by page with the SDK's paginator, and a modeled CloudTrail error.
Usage: cloudtrail_lookup.py ENDPOINT SECRET_NAME. Prints a JSON summary; exit 0 on success."""
import datetime
import json
import sys
import time

import boto3

endpoint, name = sys.argv[1], sys.argv[2]
trail = boto3.client("cloudtrail", endpoint_url=endpoint, region_name="us-east-1")
start = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(hours=1)

# Audit records reach the table a moment after the call; poll briefly for them.
names = []
for _ in range(50):
    pages = trail.get_paginator("lookup_events").paginate(
        LookupAttributes=[{"AttributeKey": "ResourceName", "AttributeValue": name}],
        StartTime=start,
        PaginationConfig={"PageSize": 1},
    )
    events = [event for page in pages for event in page["Events"]]
    names = [event["EventName"] for event in events]
    if "GetSecretValue" in names and "CreateSecret" in names:
        break
    time.sleep(0.2)

first = events[0]
detail = json.loads(first["CloudTrailEvent"])
try:
    trail.lookup_events(LookupAttributes=[
        {"AttributeKey": "EventName", "AttributeValue": "a"},
        {"AttributeKey": "EventName", "AttributeValue": "b"},
    ])
    error = None
except trail.exceptions.InvalidLookupAttributesException as raised:
    error = raised.response["Error"]["Code"]

print(json.dumps({
    "names": names,
    "eventTimeType": type(first["EventTime"]).__name__,
    "resource": first["Resources"][0]["ResourceName"],
    "detailEventName": detail["eventName"],
    "error": error,
}))
