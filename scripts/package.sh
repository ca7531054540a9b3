#!/usr/bin/env bash
# Builds the Azure Functions package of the isolated worker: `dotnet publish` of
# src/FuncSecrets.Functions (the worker, host.json, worker.config.json, functions.metadata and the
# SDK's .azurefunctions extension folder), then the zip that zip/one deploy uploads.
#
#   scripts/package.sh [package-dir] [zip-file]     (default: artifacts/package artifacts/funcsecrets.zip)
#
# Framework-dependent: the dotnet-isolated 10.0 runtime of the Function App supplies .NET.
# FUNCSECRETS_READY_TO_RUN=false skips ReadyToRun precompilation for linux-x64 (faster build,
# slower cold start).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

package=${1:-artifacts/package}
zipfile=${2:-artifacts/funcsecrets.zip}
case "$package" in /*) ;; *) package="$root/$package" ;; esac
case "$zipfile" in /*) ;; *) zipfile="$root/$zipfile" ;; esac
ready_to_run=${FUNCSECRETS_READY_TO_RUN:-true}

rm -rf "$package"
mkdir -p "$package" "$(dirname "$zipfile")"

r2r=()
if [ "$ready_to_run" = "true" ]; then
  # Its own artifacts path keeps the RID-specific restore out of the shared obj/ folders.
  r2r=(-r linux-x64 --self-contained false -p:PublishReadyToRun=true --artifacts-path artifacts/package-build)
fi
dotnet publish src/FuncSecrets.Functions -c Release "${r2r[@]}" -p:DebugType=embedded \
  -o "$package" --nologo -v quiet

for required in host.json functions.metadata worker.config.json FuncSecrets.Functions.dll .azurefunctions/function.deps.json; do
  [ -e "$package/$required" ] || { echo "publish produced no $required" >&2; exit 1; }
done
[ ! -e "$package/local.settings.json" ] || { echo "local.settings.json must not ship" >&2; exit 1; }

rm -f "$zipfile"
python3 - "$package" "$zipfile" <<'PY'
import os, sys, zipfile
root, target = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
    for folder, folders, files in os.walk(root):
        folders.sort()
        for name in sorted(files):
            path = os.path.join(folder, name)
            archive.write(path, os.path.relpath(path, root))
PY
functions=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$package/functions.metadata")
echo "package: $package ($functions functions), zip: $zipfile ($(du -h "$zipfile" | cut -f1))"
