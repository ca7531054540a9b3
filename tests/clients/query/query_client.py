#!/usr/bin/env python3
"""A real AWS Query-protocol client for FuncSecrets, built from botocore's own parts.

botocore's QuerySerializer turns parameters into Action=...&Version=... form fields, its
SigV4Auth signs a form POST (Authorization header) and its SigV4QueryAuth presigns a GET (the
parameters move into the URL), and its QueryParser reads the XML answers. Secrets Manager's
service model is JSON-protocol only, so the model is loaded and re-labelled as a Query model
(protocol "query", a "<Op>Result" wrapper on each output), as botocore's Query services are.

Input (stdin): a JSON list of calls,
  {"op": "CreateSecret", "params": {...}, "mode": "post" | "get" | "get-header"}
where a blob parameter is {"__b64": "<base64>"}. Output (stdout): a JSON list with, per call,
  {"status": 200, "data": {...}} or {"status": 400, "error": {"Code": ..., "Message": ..., "Type": ...}}
plus "requestId", "contentType" and the raw "body". Bytes come back as {"__b64": ...}, timestamps
as ISO 8601 strings.

Usage: query_client.py --endpoint http://127.0.0.1:PORT [--access-key test --secret-key test]
       [--region us-east-1]
"""

import argparse
import base64
import copy
import datetime
import json
import sys
import urllib.error
import urllib.request

import botocore.session
from botocore.auth import SigV4Auth, SigV4QueryAuth
from botocore.awsrequest import create_request_object, prepare_request_dict
from botocore.credentials import Credentials
from botocore.model import ServiceModel
from botocore.parsers import create_parser
from botocore.serialize import create_serializer
from botocore.utils import percent_encode_sequence

SERVICE = "secretsmanager"


def query_model():
    loader = botocore.session.get_session().get_component("data_loader")
    model = copy.deepcopy(loader.load_service_model(SERVICE, "service-2"))
    model["metadata"]["protocol"] = "query"
    model["metadata"]["protocols"] = ["query"]
    for name, operation in model["operations"].items():
        if "output" in operation:
            operation["output"]["resultWrapper"] = name + "Result"
    return ServiceModel(model, service_name=SERVICE)


def to_wire(value):
    if isinstance(value, dict):
        if set(value) == {"__b64"}:
            return base64.b64decode(value["__b64"])
        return {k: to_wire(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_wire(v) for v in value]
    return value


def from_wire(value):
    if isinstance(value, (bytes, bytearray)):
        return {"__b64": base64.b64encode(value).decode("ascii")}
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.timezone.utc).isoformat()
    if isinstance(value, dict):
        return {k: from_wire(v) for k, v in value.items() if k != "ResponseMetadata"}
    if isinstance(value, list):
        return [from_wire(v) for v in value]
    return value


def send(prepared):
    body = prepared.body.encode("utf-8") if isinstance(prepared.body, str) else prepared.body
    request = urllib.request.Request(
        prepared.url,
        data=body or None,
        headers=dict(prepared.headers.items()),
        method=prepared.method,
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers.items()), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers.items()), error.read()


def call(model, args, credentials, spec):
    operation = model.operation_model(spec["op"])
    # Validation off: tests send invalid input on purpose to see the server's answer.
    serializer = create_serializer("query", include_validation=False)
    request_dict = serializer.serialize_to_request(to_wire(spec.get("params", {})), operation)
    prepare_request_dict(request_dict, endpoint_url=args.endpoint)
    request = create_request_object(request_dict)
    mode = spec.get("mode", "post")
    if mode == "get":
        # SigV4QueryAuth moves the form fields into the URL next to X-Amz-Signature.
        request.method = "GET"
        SigV4QueryAuth(credentials, SERVICE, args.region, expires=300).add_auth(request)
    elif mode == "get-header":
        # A GET signed in the Authorization header (as curl --aws-sigv4 does): parameters in the
        # URL, the hash of an empty body.
        request.url = request.url.split("?")[0] + "?" + percent_encode_sequence(request.data)
        request.data = b""
        request.method = "GET"
        del request.headers["Content-Type"]
        SigV4Auth(credentials, SERVICE, args.region).add_auth(request)
    else:
        SigV4Auth(credentials, SERVICE, args.region).add_auth(request)

    status, headers, body = send(request.prepare())
    parser = create_parser("query")
    response = {"status_code": status, "headers": headers, "body": body}
    parsed = parser.parse(response, operation.output_shape if status < 300 else None)
    result = {
        "status": status,
        "requestId": parsed.get("ResponseMetadata", {}).get("RequestId"),
        "contentType": headers.get("Content-Type") or headers.get("content-type"),
        "body": body.decode("utf-8", "replace"),
    }
    if status < 300:
        result["data"] = from_wire(parsed)
    else:
        result["error"] = parsed.get("Error", {})
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--access-key", default="test")
    parser.add_argument("--secret-key", default="test")
    parser.add_argument("--region", default="us-east-1")
    args = parser.parse_args()
    credentials = Credentials(args.access_key, args.secret_key)
    model = query_model()
    calls = json.load(sys.stdin)
    json.dump([call(model, args, credentials, spec) for spec in calls], sys.stdout)


if __name__ == "__main__":
    main()
