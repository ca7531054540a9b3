#!/usr/bin/env bash
# Builds the Azure Functions package: the self-contained linux-x64 FuncSecrets.Host (ReadyToRun)
# in bin/, host.json and one folder per function (every top-level folder holding a
# function.json) beside it, then the zip that zip deployment uploads.
#
#   scripts/package.sh [package-dir] [zip-file]     (default: artifacts/package artifacts/funcsecrets.zip)
#
# FUNCSECRETS_READY_TO_RUN=false skips ReadyToRun precompilation (faster build, slower cold start).
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
mkdir -p "$package/bin" "$(dirname "$zipfile")"

# Self-contained: the Functions Linux images carry no .NET 10 runtime, and the custom handler
# must not depend on one. ReadyToRun trims the JIT work of a cold start.
dotnet publish src/FuncSecrets.Host -c Release -r linux-x64 --self-contained true \
  -p:PublishReadyToRun="$ready_to_run" -p:DebugType=embedded \
  -o "$package/bin" --nologo -v quiet

cp host.json "$package/"
found=0
for manifest in */function.json; do
  function=$(dirname "$manifest")
  mkdir -p "$package/$function"
  cp "$manifest" "$package/$function/"
  found=$((found + 1))
done
[ "$found" -gt 0 ] || { echo "no function folders found" >&2; exit 1; }

executable="$package/bin/FuncSecrets.Host"
[ -f "$executable" ] || { echo "publish produced no $executable" >&2; exit 1; }
chmod 755 "$executable"

# The zip must carry Unix modes: the Functions host starts the handler only if it is executable.
# Python's zipfile stores each file's mode (and needs no zip tool on the machine).
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
echo "package: $package ($found functions), zip: $zipfile ($(du -h "$zipfile" | cut -f1))"
