#!/usr/bin/env bash
# End-to-end scenario of the Secrets Manager API driven by the AWS CLI (a client nobody here wrote).
# Usage: cli_scenario.sh <endpoint-url> <name-prefix> <canary>      (AWS_CLI overrides the `aws` used)
#
# Every secret value starts with <canary>, so the test that runs this can prove no value reached the
# service's logs or tables in plaintext. Prints one line per check (names and ids only, never a value)
# and exits 1 at the first failing check, saying what was expected and what came back. JSON is read
# with python3 (tests/clients/jsonq.py), so jq is not needed. With SCENARIO_KEEP_GOING=1 a failed
# check is printed and the scenario goes on (to list every mismatch in one run); the exit code is still 1.
set -uo pipefail
shopt -s nullglob

if [ $# -ne 3 ]; then
  echo "usage: $0 <endpoint-url> <name-prefix> <canary>" >&2
  exit 2
fi
EP=$1 PREFIX=$2 CANARY=$3
AWS=${AWS_CLI:-aws}
PY=python3
# A pyenv shim costs a few hundred milliseconds per start; this script starts ~150 processes.
if command -v pyenv >/dev/null 2>&1; then
  [ -n "${AWS_CLI:-}" ] || AWS=$(pyenv which aws 2>/dev/null || echo aws)
  PY=$(pyenv which python3 2>/dev/null || echo python3)
fi
HERE=$(cd "$(dirname "$0")" && pwd)
Q="$HERE/jsonq.py"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
OUT="" ERR="" RC=0 FAILED=0

ok() { echo "ok   $1"; }
fail() {
  echo "FAIL $1"
  [ "${SCENARIO_KEEP_GOING:-}" = 1 ] || exit 1
  FAILED=1
  return 1
}
# run ARGS...: one CLI call; stdout in OUT, stderr in ERR, exit status in RC.
run() {
  OUT=$("$AWS" --endpoint-url "$EP" --output json --region us-east-1 secretsmanager "$@" 2>"$TMP/err")
  RC=$?
  ERR=$(<"$TMP/err")
  return $RC
}
call() { local label=$1; shift; run "$@" || fail "$label: unexpected error (exit $RC): $ERR"; }
get() { "$PY" "$Q" get "$1" <<<"$OUT"; }
# check LABEL EXPR [LABEL EXPR ...]: python expressions over the response r (see jsonq.py).
check() {
  "$PY" "$Q" check "$@" <<<"$OUT" && return 0
  [ "${SCENARIO_KEEP_GOING:-}" = 1 ] || exit 1
  FAILED=1
  return 1
}
# expect_error LABEL CODE MESSAGE ARGS...: MESSAGE is a python expression for the exact text,
# "~text" for a substring, or "" to check the code only.
expect_error() {
  local label=$1 code=$2 message=$3 parsed got_code got_msg expected
  shift 3
  if run "$@"; then fail "$label: expected $code, but the call succeeded: $OUT"; return; fi
  parsed=$("$PY" "$Q" clierror <<<"$ERR")
  got_code=${parsed%%$'\n'*} got_msg=${parsed#*$'\n'}
  [ "$got_code" = "$code" ] || { fail "$label: expected $code, got '$got_code' (exit $RC): $ERR"; return; }
  ok "$label -> $code"
  if [[ $message == "~"* ]]; then
    [[ $got_msg == *"${message:1}"* ]] || { fail "$label: expected a message containing '${message:1}', got '$got_msg'"; return; }
    ok "$label message"
  elif [ -n "$message" ]; then
    expected=$("$PY" "$Q" get "$message" <<<"{}")
    [ "$got_msg" = "$expected" ] || { fail "$label: expected message '$expected', got '$got_msg'"; return; }
    ok "$label message"
  fi
}
# page_all KEY ARGS...: follows NextToken; OUT becomes {"items": [...], "sizes": [...]}.
page_all() {
  local key=$1 token="" n=0
  shift
  rm -f "$TMP"/page.*
  while :; do
    n=$((n + 1))
    [ $n -le 1000 ] || { fail "$key: paging did not end after 1000 pages"; break; }
    if [ -n "$token" ]; then
      call "$key page $n" "$@" --no-paginate --next-token "$token" || break
    else
      call "$key page $n" "$@" --no-paginate || break
    fi
    printf '%s' "$OUT" >"$TMP/page.$(printf '%04d' $n)"
    token=$(get 'r.get("NextToken", "")')
    [ -n "$token" ] || break
  done
  OUT=$("$PY" "$Q" merge "$key" "$TMP"/page.*)
}
filters() { "$PY" "$Q" filters "$@"; }
uuid() { cat /proc/sys/kernel/random/uuid; }

export PREFIX CANARY NAME="$PREFIX/alpha" BIN="$PREFIX/bin" MISSING="$PREFIX/missing" BASE="$PREFIX/list/"
for i in 1 2 3 4; do export "VALUE$i=$CANARY-cli-v$i"; done
printf '%s\000\377\376-binary' "$CANARY" >"$TMP/blob"
BLOB_B64=$(base64 -w0 "$TMP/blob")
export BLOB_B64

# --- errors on names that do not exist or are malformed
expect_error "describe missing" ResourceNotFoundException 'E["messages"]["NotFound"]' describe-secret --secret-id "$MISSING"
expect_error "get missing" ResourceNotFoundException 'E["messages"]["NotFound"]' get-secret-value --secret-id "$MISSING"
expect_error "create invalid name" ValidationException 'E["messages"]["InvalidName"]' create-secret --name "$PREFIX/bad name*?" --secret-string "$VALUE1"
expect_error "describe invalid name" ValidationException 'E["messages"]["InvalidName"]' describe-secret --secret-id "Inv Name"

# --- create (string with an explicit token, then binary)
TOKEN=$(uuid)
export TOKEN
call "create" create-secret --name "$NAME" --secret-string "$VALUE1" --description "alpha e2e secret" --client-request-token "$TOKEN"
check "create ARN format" 'r["ARN"].startswith("arn:aws:secretsmanager:us-east-1:") and (":secret:" + env["NAME"] + "-") in r["ARN"] and len(r["ARN"].rsplit("-", 1)[1]) == 6' \
  "create VersionId is the token" 'r["Name"] == env["NAME"] and r["VersionId"] == env["TOKEN"] and set(r) == {"ARN", "Name", "VersionId"}'
ARN=$(get 'r["ARN"]')
export ARN
call "create retried" create-secret --name "$NAME" --secret-string "$VALUE1" --description "alpha e2e secret" --client-request-token "$TOKEN"
check "create retried with same token is idempotent" 'r["VersionId"] == env["TOKEN"]'
expect_error "create existing name" ResourceExistsException 'E["messages"]["Exists"].format(name=env["NAME"])' create-secret --name "$NAME" --secret-string "$VALUE2"
call "create binary" create-secret --name "$BIN" --secret-binary "fileb://$TMP/blob"
check "create binary VersionId" 'len(r.get("VersionId", "")) >= 32'
expect_error "create with string and binary" InvalidParameterException "" create-secret --name "$PREFIX/both" --secret-string "$VALUE1" --secret-binary "fileb://$TMP/blob"

# --- describe
call "describe" describe-secret --secret-id "$NAME"
check "describe members" 'r["ARN"] == env["ARN"] and r.get("Description") == "alpha e2e secret" and "CreatedDate" in r and "LastChangedDate" in r' \
  "describe VersionIdsToStages" 'stages(r) == {env["TOKEN"]: ["AWSCURRENT"]}' \
  "describe has no Tags/DeletedDate/LastAccessedDate/RotationEnabled/KmsKeyId" 'not {"Tags", "DeletedDate", "LastAccessedDate", "RotationEnabled", "KmsKeyId"} & set(r)'
call "describe by full ARN" describe-secret --secret-id "$ARN"
check "describe by full ARN" 'r["Name"] == env["NAME"]'
call "describe by partial ARN" describe-secret --secret-id "${ARN:0:${#ARN}-7}"
check "describe by partial ARN" 'r["Name"] == env["NAME"]'

# --- get
call "get" get-secret-value --secret-id "$NAME"
check "get value, version, stages" 'r.get("SecretString") == env["VALUE1"] and r["VersionId"] == env["TOKEN"] and r["VersionStages"] == ["AWSCURRENT"]' \
  "get members" 'set(r) == {"ARN", "Name", "VersionId", "SecretString", "VersionStages", "CreatedDate"}'
call "get binary" get-secret-value --secret-id "$BIN"
check "get SecretBinary round trip" 'b64(r.get("SecretBinary", "")) == b64(env["BLOB_B64"]) and "SecretString" not in r'
call "describe after get" describe-secret --secret-id "$NAME"
check "LastAccessedDate set, day precision" '"LastAccessedDate" in r and ts(r["LastAccessedDate"]) % 86400 == 0'
expect_error "get AWSPREVIOUS of one version" ResourceNotFoundException 'E["messages"]["NoValueForStage"].format(stage="AWSPREVIOUS")' get-secret-value --secret-id "$NAME" --version-stage AWSPREVIOUS

# --- put: AWSCURRENT moves, custom stages move only themselves
call "put" put-secret-value --secret-id "$NAME" --secret-string "$VALUE2"
check "put members and stages" 'r["VersionStages"] == ["AWSCURRENT"] and set(r) == {"ARN", "Name", "VersionId", "VersionStages"}'
V2=$(get 'r["VersionId"]')
export V2
call "describe after put" describe-secret --secret-id "$NAME"
check "after put: current/previous" 'stages(r) == {env["V2"]: ["AWSCURRENT"], env["TOKEN"]: ["AWSPREVIOUS"]}'
call "get AWSPREVIOUS" get-secret-value --secret-id "$NAME" --version-stage AWSPREVIOUS
check "get AWSPREVIOUS is the first value" 'r["VersionId"] == env["TOKEN"] and r["SecretString"] == env["VALUE1"]'
call "put custom stages" put-secret-value --secret-id "$NAME" --secret-string "$VALUE3" --version-stages STAGEB STAGEA
check "put custom stages, sorted" 'r["VersionStages"] == ["STAGEA", "STAGEB"]'
V3=$(get 'r["VersionId"]')
export V3
call "get current" get-secret-value --secret-id "$NAME"
check "custom-stage put leaves AWSCURRENT" 'r["VersionId"] == env["V2"]'
call "get by VersionId" get-secret-value --secret-id "$NAME" --version-id "$V3"
check "get by VersionId" 'r["SecretString"] == env["VALUE3"] and r["VersionStages"] == ["STAGEA", "STAGEB"]'
call "get by custom stage" get-secret-value --secret-id "$NAME" --version-stage STAGEA
check "get by custom stage" 'r["VersionId"] == env["V3"]'
expect_error "get VersionId with a stage it lacks" InvalidRequestException 'E["messages"]["StageNotOnVersion"]' get-secret-value --secret-id "$NAME" --version-id "$TOKEN" --version-stage AWSCURRENT
UNKNOWN=$(uuid)
export UNKNOWN
expect_error "get unknown VersionId" ResourceNotFoundException 'E["messages"]["NoValueForVersion"].format(version=env["UNKNOWN"])' get-secret-value --secret-id "$NAME" --version-id "$UNKNOWN"
expect_error "get unknown stage" ResourceNotFoundException 'E["messages"]["NoValueForStage"].format(stage="NOPE")' get-secret-value --secret-id "$NAME" --version-stage NOPE

# --- update
call "update description" update-secret --secret-id "$NAME" --description "alpha renamed"
check "update description only: no VersionId" 'set(r) == {"ARN", "Name"}'
call "update value" update-secret --secret-id "$NAME" --secret-string "$VALUE4"
V4=$(get 'r["VersionId"]')
export V4
call "describe after update" describe-secret --secret-id "$NAME"
check "describe shows new Description" 'r.get("Description") == "alpha renamed"' \
  "after update value" 'stages(r) == {env["V4"]: ["AWSCURRENT"], env["V2"]: ["AWSPREVIOUS"], env["V3"]: ["STAGEA", "STAGEB"]}'

# --- UpdateSecretVersionStage
expect_error "move AWSCURRENT without RemoveFromVersionId" InvalidParameterException 'E["messages"]["RemoveFromRequired"].format(version=env["V4"])' \
  update-secret-version-stage --secret-id "$NAME" --version-stage AWSCURRENT --move-to-version-id "$V3"
call "move AWSCURRENT" update-secret-version-stage --secret-id "$NAME" --version-stage AWSCURRENT --move-to-version-id "$V3" --remove-from-version-id "$V4"
check "update stage members" 'set(r) == {"ARN", "Name"}'
call "describe after move" describe-secret --secret-id "$NAME"
check "after move" 'stages(r) == {env["V3"]: ["AWSCURRENT", "STAGEA", "STAGEB"], env["V4"]: ["AWSPREVIOUS"]}'
call "get after move" get-secret-value --secret-id "$NAME"
check "get follows AWSCURRENT" 'r["SecretString"] == env["VALUE3"]'
call "remove a custom stage" update-secret-version-stage --secret-id "$NAME" --version-stage STAGEB --remove-from-version-id "$V3"
call "describe after remove" describe-secret --secret-id "$NAME"
check "remove a custom stage" 'stages(r)[env["V3"]] == ["AWSCURRENT", "STAGEA"]'

# --- ListSecretVersionIds
call "list versions" list-secret-version-ids --secret-id "$NAME"
check "versions without deprecated" '{v["VersionId"] for v in r["Versions"]} == {env["V3"], env["V4"]}' \
  "version entries carry CreatedDate and KmsKeyIds" 'all("CreatedDate" in v and v.get("KmsKeyIds") == ["DefaultEncryptionKey"] for v in r["Versions"])'
call "list versions with deprecated" list-secret-version-ids --secret-id "$NAME" --include-deprecated
check "versions with deprecated" '{v["VersionId"] for v in r["Versions"]} == {env["TOKEN"], env["V2"], env["V3"], env["V4"]}' \
  "deprecated versions have no VersionStages" 'all("VersionStages" not in v for v in r["Versions"] if v["VersionId"] in (env["TOKEN"], env["V2"]))'
page_all Versions list-secret-version-ids --secret-id "$NAME" --include-deprecated --max-results 1
check "version paging MaxResults=1" 'max(r["sizes"]) <= 1 and sorted(v["VersionId"] for v in r["items"]) == sorted([env["TOKEN"], env["V2"], env["V3"], env["V4"]])'
expect_error "versions of missing" ResourceNotFoundException 'E["messages"]["NotFound"]' list-secret-version-ids --secret-id "$MISSING"

# --- tags
call "tag" tag-resource --secret-id "$NAME" --tags Key=team,Value=blue Key=env,Value=test
call "describe tagged" describe-secret --secret-id "$NAME"
check "tagged" 'sorted((t["Key"], t["Value"]) for t in r.get("Tags", [])) == [("env", "test"), ("team", "blue")]'
call "untag one" untag-resource --secret-id "$NAME" --tag-keys team
call "describe untagged" describe-secret --secret-id "$NAME"
check "untag one" 'r.get("Tags") == [{"Key": "env", "Value": "test"}]'
call "untag last" untag-resource --secret-id "$NAME" --tag-keys env
call "describe untagged" describe-secret --secret-id "$NAME"
check "untag last leaves []" 'r.get("Tags") == []'

source "$HERE/cli_scenario_lists.sh"

[ "$FAILED" = 0 ] || { echo "FAIL some checks failed"; exit 1; }
echo "PASS aws-cli scenario"
