#!/usr/bin/env bash
# Runs the Bicep CLI that scripts/setup.sh restores from NuGet (tools/bicep/BicepCli.csproj):
#   scripts/bicep.sh build infra/main.bicep --stdout
#   scripts/bicep.sh check      (what scripts/test.sh runs: build main.bicep, lint every .bicep file)
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(sed -n 's:.*<BicepVersion>\(.*\)</BicepVersion>.*:\1:p' tools/bicep/BicepCli.csproj)
bicep="artifacts/tools/packages/azure.bicep.commandline.linux-x64/$version/tools/bicep"
if [ ! -x "$bicep" ]; then
  dotnet restore tools/bicep/BicepCli.csproj --packages artifacts/tools/packages --nologo -v quiet >&2
  chmod +x "$bicep"
fi

if [ "${1:-}" != "check" ]; then
  exec "$bicep" "$@"
fi

out=artifacts/bicep
rm -rf "$out"
mkdir -p "$out"
"$bicep" build infra/main.bicep --outdir "$out"
status=0
while IFS= read -r file; do
  # Lint findings print as "path(line,col) : Warning|Error rule: text"; any of them fails the check.
  findings=$("$bicep" lint "$file" 2>&1) || status=1
  if [ -n "$findings" ]; then
    echo "$findings" >&2
    status=1
  fi
done < <(find infra -name '*.bicep' | sort)
[ "$status" -eq 0 ] && echo "bicep: infra/main.bicep builds; $(find infra -name '*.bicep' | wc -l) files lint clean"
exit $status
