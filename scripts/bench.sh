#!/usr/bin/env bash
# The one-command benchmark: starts Azurite and FuncSecrets.Server on loopback, drives SigV4-signed
# GetSecretValue against the storage floor (raw Azurite point reads, interleaved in the same run)
# at 8/32/128 connections, then writes, start-up times (an empty ASP.NET Core app, the server,
# an empty isolated worker and the Functions worker under a stand-in host, JIT and ReadyToRun,
# interleaved), in-process counters (key unwraps and storage round trips per read), listing at
# 1,000, 10,000 and 100,000 secrets (on Azurite, which stops short of 100,000 in its time budget,
# and over the in-memory store: docs/bench.md), and the timer jobs
# at 1,000 and 10,000 secrets (100,000 takes Azurite too long: see docs/bench.md). Prints a
# markdown report on stdout and writes it to artifacts/bench/results.md. About 8 minutes on 2 cores,
# plus ~13 for the composite ReadyToRun publish of the server when the start-up phase runs.
#
#   scripts/bench.sh                 the full run
#   scripts/bench.sh --help          this text
#   scripts/bench.sh --quick         a one-minute smoke run (small sizes, 1 s runs)
#   scripts/bench.sh --phases jobs --jobs-sizes 50000     one part, other sizes: see bench/FuncSecrets.Bench/Infra/BenchOptions.cs
#   scripts/bench.sh --phases reads --connections 32 --rounds 5 --baseline-ref custom-handler-last
#                                    this build against another (a git ref, built in artifacts/baseline/<ref>),
#                                    interleaved in the reads phase (the first), the writes phase (every one: the
#                                    option repeats) and the start-up phase (its ReadyToRun server and worker);
#                                    --baseline DLL takes a build already made
#   scripts/bench.sh --phases startup --startup-runs 3 --baseline-ref 4c7716f     start-up only, 3 starts of each
#
# The ReadyToRun publishes (the composite server takes minutes) are made only when the start-up
# phase runs; FUNCSECRETS_BENCH_R2R=false skips them (and their start-up rows).
set -euo pipefail
case " $* " in
  *" --help "* | *" -h "*) sed -n '2,/^set -euo pipefail/p' "$0" | sed '$d' | sed -E 's/^# ?//'; exit 0 ;;
esac
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# Azurite (pinned in package-lock.json) is all the benchmark needs from npm.
if [ ! -x node_modules/.bin/azurite-table ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

# The service as `dotnet FuncSecrets.Server.dll` runs it...
dotnet build src/FuncSecrets.Server -c Release --nologo -v quiet >&2

# Does this run time start-up (all phases, or --phases naming it)? Only then are the ReadyToRun
# builds published (the composite server takes minutes), and a baseline's too, so the start-up
# phase compares them in the same run.
startup_phase=true
previous=""
for arg in "$@"; do
  if [ "$previous" = "--phases" ]; then
    case ",$arg," in *,startup,*) startup_phase=true ;; *) startup_phase=false ;; esac
  fi
  previous="$arg"
done
[ "${FUNCSECRETS_BENCH_R2R:-true}" != "false" ] || startup_phase=false

# ...and self-contained with ReadyToRun, as a container would ship it.
# Its own artifacts path keeps the RID-specific restore out of the shared obj/ folders.
r2r_args=()
if [ "$startup_phase" = "true" ]; then
  # Self-contained ReadyToRun is a composite image with the framework (FuncSecrets.Server.csproj
  # says why). Its own artifacts path and a clean output folder: files left by a non-composite
  # publish beside a composite one make a server that aborts at start.
  rm -rf artifacts/bench/r2r
  dotnet publish src/FuncSecrets.Server -c Release -r linux-x64 --self-contained true -p:PublishReadyToRun=true \
    --artifacts-path artifacts/bench/build-composite -o artifacts/bench/r2r --nologo -v quiet >&2
  # The worker as scripts/package.sh publishes it (framework-dependent, ReadyToRun for linux-x64).
  dotnet publish src/FuncSecrets.Functions -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
    --artifacts-path artifacts/bench/worker-build -o artifacts/bench/worker-r2r --nologo -v quiet >&2
  # The empty isolated worker (the start-up phase's worker yardstick), published the same way.
  dotnet publish bench/FuncSecrets.Bench.EmptyWorker -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
    --artifacts-path artifacts/bench/empty-worker-build -o artifacts/bench/empty-worker-r2r --nologo -v quiet >&2
  r2r_args=(--r2r artifacts/bench/r2r/FuncSecrets.Server --r2r-worker artifacts/bench/worker-r2r/FuncSecrets.Functions.dll
    --r2r-empty-worker artifacts/bench/empty-worker-r2r/FuncSecrets.Bench.EmptyWorker.dll)
fi

# --baseline-ref REF: check REF out as a worktree under artifacts/baseline/ and build its server
# there (FuncSecrets.Server, or FuncSecrets.Host before issue 10), then compare with --baseline.
bench_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --baseline-ref)
      ref="${2:?--baseline-ref needs a git ref}"
      shift 2
      dir="artifacts/baseline/$(printf '%s' "$ref" | tr -c 'A-Za-z0-9._-' '_')"
      commit="$(git rev-parse --verify "$ref^{commit}")"
      if [ ! -e "$dir/.git" ]; then
        git worktree add --detach "$dir" "$commit" >&2
      else
        git -C "$dir" checkout --detach --quiet "$commit"
      fi
      if [ -d "$dir/src/FuncSecrets.Server" ]; then project=FuncSecrets.Server; else project=FuncSecrets.Host; fi
      dotnet build "$dir/src/$project" -c Release --nologo -v quiet >&2
      bench_args+=(--baseline "$dir/src/$project/bin/Release/net10.0/$project.dll" --baseline-name "$ref (${commit:0:7})")
      if [ "$startup_phase" = "true" ] && [ -d "$dir/src/FuncSecrets.Functions" ]; then
        rm -rf "$dir/artifacts/bench/r2r"
        dotnet publish "$dir/src/FuncSecrets.Server" -c Release -r linux-x64 --self-contained true -p:PublishReadyToRun=true \
          --artifacts-path "$dir/artifacts/bench/build-$(grep -q PublishReadyToRunComposite "$dir/src/FuncSecrets.Server/FuncSecrets.Server.csproj" && echo composite || echo plain)" \
          -o "$dir/artifacts/bench/r2r" --nologo -v quiet >&2
        dotnet publish "$dir/src/FuncSecrets.Functions" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
          --artifacts-path "$dir/artifacts/bench/worker-build" -o "$dir/artifacts/bench/worker-r2r" --nologo -v quiet >&2
        bench_args+=(--baseline-r2r "$dir/artifacts/bench/r2r/FuncSecrets.Server" --baseline-r2r-worker "$dir/artifacts/bench/worker-r2r/FuncSecrets.Functions.dll")
      fi
      ;;
    *)
      bench_args+=("$1")
      shift
      ;;
  esac
done

dotnet build bench/FuncSecrets.Bench -c Release --nologo -v quiet >&2
dotnet bench/FuncSecrets.Bench/bin/Release/net10.0/FuncSecrets.Bench.dll \
  "${r2r_args[@]}" --out artifacts/bench/results.md "${bench_args[@]}"
