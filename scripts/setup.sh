#!/usr/bin/env bash
# Installs what running and testing need, only where it is missing: the pinned npm tools
# (Azurite, the AWS SDK for JavaScript v3), the AWS CLI and boto3, and the Bicep CLI; with --browser
# also Chromium and chromium-driver (the console's browser test).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x node_modules/.bin/azurite ] || [ ! -d node_modules/@aws-sdk/client-secrets-manager ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

need_apt=()
command -v aws >/dev/null 2>&1 && aws --version >/dev/null 2>&1 || need_apt+=(awscli)
python3 -c "import boto3" >/dev/null 2>&1 || need_apt+=(python3-boto3)
command -v jq >/dev/null 2>&1 || need_apt+=(jq)
# --browser (test.sh): Debian's Chromium and its driver for the web console's browser test (issue 16).
if [ "${1:-}" = "--browser" ]; then
  command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
  command -v chromedriver >/dev/null 2>&1 || need_apt+=(chromium-driver)
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing ${need_apt[*]} from Debian"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
  else
    echo "missing: ${need_apt[*]} (install them with apt-get)" >&2
    exit 1
  fi
fi

# The Bicep CLI, from NuGet: scripts/bicep.sh restores it on first use (tools/bicep/BicepCli.csproj).
bash scripts/bicep.sh --version >/dev/null
