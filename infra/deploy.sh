#!/usr/bin/env bash
# Deploys FuncSecrets to Azure: resource group, infrastructure (main.bicep), the package
# (scripts/package.sh), zip deployment. Assumes `az login` has been done and the account may
# create role assignments (Owner or User Access Administrator on the resource group).
#
#   infra/deploy.sh <resource-group> <location> [name-prefix]
#
# The access key pair comes from FUNCSECRETS_ACCESS_KEY_ID / FUNCSECRETS_SECRET_ACCESS_KEY, or is
# generated and printed once at the end. Extra `az deployment group create` parameters can be
# passed in FUNCSECRETS_DEPLOY_PARAMETERS (e.g. "awsRegion=eu-west-1 maximumInstanceCount=100"; add
# "secondaryAwsRegion=eu-west-1 secondaryLocation=westeurope" for a replicating second Region).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ $# -lt 2 ]; then
  sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi
group=$1
location=$2
prefix=${3:-funcsecrets}

command -v az >/dev/null || { echo "the Azure CLI (az) is required" >&2; exit 1; }
az account show --query id -o tsv >/dev/null || { echo "run 'az login' first" >&2; exit 1; }

generated=false
key_id=${FUNCSECRETS_ACCESS_KEY_ID:-}
secret=${FUNCSECRETS_SECRET_ACCESS_KEY:-}
if [ -z "$key_id" ] || [ -z "$secret" ]; then
  # AWS-shaped: a 20-character upper-case id and a 40-character secret.
  key_id=$(python3 -c 'import secrets,string; print("AKIA" + "".join(secrets.choice(string.ascii_uppercase + string.digits) for _ in range(16)))')
  secret=$(python3 -c 'import secrets,string; print("".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(40)))')
  generated=true
fi

echo "== resource group $group ($location)"
az group create --name "$group" --location "$location" --output none

echo "== infrastructure (infra/main.bicep)"
# The secret goes in a private parameters file, not on a command line other users can read.
secret_parameters=$(mktemp)
trap 'rm -f "$secret_parameters"' EXIT
chmod 600 "$secret_parameters"
SECRET="$secret" python3 -c 'import json,os; print(json.dumps({"secretAccessKey": {"value": os.environ["SECRET"]}}))' >"$secret_parameters"
# shellcheck disable=SC2086 # FUNCSECRETS_DEPLOY_PARAMETERS is a list of name=value words.
outputs=$(az deployment group create \
  --resource-group "$group" \
  --name funcsecrets \
  --template-file infra/main.bicep \
  --parameters "@$secret_parameters" \
  --parameters namePrefix="$prefix" accessKeyId="$key_id" ${FUNCSECRETS_DEPLOY_PARAMETERS:-} \
  --query properties.outputs --output json)
app=$(printf '%s' "$outputs" | python3 -c 'import json,sys; print(json.load(sys.stdin)["functionAppName"]["value"])')
endpoint=$(printf '%s' "$outputs" | python3 -c 'import json,sys; print(json.load(sys.stdin)["endpoint"]["value"])')
region=$(printf '%s' "$outputs" | python3 -c 'import json,sys; print(json.load(sys.stdin)["awsRegion"]["value"])')

echo "== package (scripts/package.sh)"
bash scripts/package.sh artifacts/package artifacts/funcsecrets.zip

echo "== zip deployment to $app"
az functionapp deployment source config-zip --resource-group "$group" --name "$app" --src artifacts/funcsecrets.zip --output none

# The optional second Region (secondaryAwsRegion=..., docs/replication.md) runs the same package.
secondary=$(printf '%s' "$outputs" | python3 -c 'import json,sys; o=json.load(sys.stdin); print(o.get("secondaryEndpoint", {}).get("value", ""))')
if [ -n "$secondary" ]; then
  secondary_app=${secondary#https://}
  secondary_app=${secondary_app%%.*}
  echo "== zip deployment to $secondary_app (second Region)"
  az functionapp deployment source config-zip --resource-group "$group" --name "$secondary_app" --src artifacts/funcsecrets.zip --output none
  echo "Second Region: $secondary"
fi

echo
echo "FuncSecrets is deployed: $endpoint"
if [ "$generated" = true ]; then
  echo "Access key (shown once; the secret is also in the Key Vault as 'access-key-0'):"
  echo "  AWS_ACCESS_KEY_ID=$key_id"
  echo "  AWS_SECRET_ACCESS_KEY=$secret"
fi
echo "Try: aws --endpoint-url $endpoint --region $region secretsmanager list-secrets"
