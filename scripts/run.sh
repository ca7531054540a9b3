#!/usr/bin/env bash
# Starts FuncSecrets locally: Azurite (data kept in .azurite/, so secrets survive restarts) and
# the service on http://127.0.0.1:4584 with the development settings. Ctrl-C stops both.
#   aws --endpoint-url http://127.0.0.1:4584 secretsmanager create-secret --name demo --secret-string hi
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

bash scripts/setup.sh

mkdir -p .azurite
azurite_pid=""
if ! (exec 3<>/dev/tcp/127.0.0.1/10002) 2>/dev/null; then
  node_modules/.bin/azurite --silent --location .azurite --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 \
    --skipApiVersionCheck --loose > .azurite/azurite.log 2>&1 &
  azurite_pid=$!
  # Stop the Azurite this script started (by PID), however the script ends.
  trap '[ -n "$azurite_pid" ] && kill "$azurite_pid" 2>/dev/null || true' EXIT INT TERM
  for _ in $(seq 1 100); do
    (exec 3<>/dev/tcp/127.0.0.1/10002) 2>/dev/null && break
    sleep 0.1
  done
fi

# Development settings only: the key pair test/test and this local wrapping key are public.
export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
export FuncSecrets__Storage__ConnectionString="${FuncSecrets__Storage__ConnectionString:-UseDevelopmentStorage=true}"
export FuncSecrets__Encryption__LocalKey="${FuncSecrets__Encryption__LocalKey:-ZnVuY3NlY3JldHMtZGV2ZWxvcG1lbnQta2V5LTMyYiE=}"
# A rotation function on http://127.0.0.1:<port>/ may be given directly as RotationLambdaARN
# (production keeps the default: https only).
export FuncSecrets__Rotation__AllowHttpLoopback="${FuncSecrets__Rotation__AllowHttpLoopback:-true}"
dotnet run --project src/FuncSecrets.Server -c Release -- "$@"
