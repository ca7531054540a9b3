#!/usr/bin/env python3
"""JSON helper for cli_scenario.sh (the scenario must not depend on jq being installed).

  jsonq.py get EXPR          evaluate EXPR with r = the JSON on stdin; print it (strings bare)
  jsonq.py check LABEL EXPR [LABEL EXPR ...]
                             print "ok   LABEL" for each true EXPR; at a false one print "FAIL ..." and
                             exit 1 (with SCENARIO_KEEP_GOING=1: go on, exit 1 at the end)
  jsonq.py clierror          parse the AWS CLI's stderr on stdin; print the error code, a newline, the message
  jsonq.py merge KEY FILE..  join paged responses: {"items": [...KEY of every page], "sizes": [...]}
  jsonq.py filters K V [K V ...]  print ListSecrets Filters JSON, one filter per K V pair

EXPR sees: json, r (the response), E (expectations.json), env (the environment), stages(d), ts(x) (epoch
seconds of a CLI timestamp: the v1 CLI prints numbers, v2 ISO 8601), b64(s) (bytes of base64).
"""
import base64
import datetime
import json
import os
import pathlib
import re
import sys

EXPECT = json.loads((pathlib.Path(__file__).resolve().parent / "expectations.json").read_text())


def ts(value):
    if isinstance(value, (int, float)):
        return float(value)
    return datetime.datetime.fromisoformat(str(value).replace("Z", "+00:00")).timestamp()


def stages(describe):
    return {k: sorted(v) for k, v in describe.get("VersionIdsToStages", {}).items()}


def evaluate(expression, response):
    scope = {"json": json, "r": response, "E": EXPECT, "env": os.environ, "stages": stages, "ts": ts, "b64": base64.b64decode}
    return eval(expression, scope)  # noqa: S307 - expressions come from the scenario script itself


def main(argv):
    command = argv[1]
    if command == "clierror":
        text = sys.stdin.read()
        # "An error occurred (Code) when calling the Op operation[ (reached max retries: N)]: Message"
        match = re.search(r"An error occurred \(([^)]*)\) when calling the \w+ operation(?: \([^)]*\))?: (.*)", text, re.S)
        print(f"{match.group(1)}\n{match.group(2).strip()}" if match else f"\n{text.strip()}")
        return 0
    if command == "merge":
        key, items, sizes = argv[2], [], []
        for path in argv[3:]:
            page = json.loads(pathlib.Path(path).read_text())
            items += page.get(key, [])
            sizes.append(len(page.get(key, [])))
        print(json.dumps({"items": items, "sizes": sizes}))
        return 0
    if command == "filters":
        pairs = argv[2:]
        print(json.dumps([{"Key": pairs[i], "Values": [pairs[i + 1]]} for i in range(0, len(pairs), 2)]))
        return 0
    text = sys.stdin.read()
    response = json.loads(text) if text.strip() else {}
    if command == "check":
        return check(argv[2:], response, text)
    value = evaluate(argv[2], response)
    if command == "get":
        print(value if isinstance(value, str) else json.dumps(value))
        return 0
    raise SystemExit(f"unknown command {command}")


def check(pairs, response, text):
    failed = False
    for label, expression in zip(pairs[::2], pairs[1::2]):
        try:
            passed = bool(evaluate(expression, response))
            problem = "" if passed else f"expected {expression}"
        except Exception as e:  # a missing member is a failed check, not a crash
            passed, problem = False, f"{expression} raised {type(e).__name__}: {e}"
        if passed:
            print(f"ok   {label}", flush=True)
            continue
        print(f"FAIL {label}: {problem}; response: {text.strip()}", flush=True)
        failed = True
        if os.environ.get("SCENARIO_KEEP_GOING") != "1":
            return 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
