#!/usr/bin/env bash
# Runs every test: unit, integration (Azurite, fake Key Vault), end-to-end (AWS CLI, boto3,
# AWS SDK for JavaScript v3 against the real service). Installs what it needs first.
# The last line is "N passed, M failed".
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

bash scripts/setup.sh --browser

results="$root/artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

dotnet build FuncSecrets.sln -c Release --nologo -v quiet
# The benchmark is not a test, but it must keep compiling against the code it measures.
dotnet build bench/FuncSecrets.Bench -c Release --nologo -v quiet

status=0

# The infrastructure templates: main.bicep must build and every file lint clean.
echo "== infra (Bicep)"
bash scripts/bicep.sh check || status=1

for project in tests/FuncSecrets.UnitTests tests/FuncSecrets.IntegrationTests tests/FuncSecrets.EndToEndTests; do
  name=$(basename "$project")
  echo "== $name"
  if ! dotnet test "$project" -c Release --no-build --nologo \
      --logger "trx;LogFileName=$name.trx" --results-directory "$results" \
      --logger "console;verbosity=normal" "$@"; then
    status=1
  fi
done

python3 scripts/trx_summary.py "$results" || status=1
exit $status
