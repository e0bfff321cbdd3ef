#!/usr/bin/env bash
# Fuzz one harness of Router.Fuzz with afl-fuzz for a given time (loopback-free, bounded):
#   fuzz/run.sh images|json|query SECONDS
# Installs afl++ (Debian) and the SharpFuzz instrumenter (dotnet tool) when missing, publishes the
# harness, instruments Router's own assemblies, and runs afl-fuzz from the seed corpus in
# fuzz/corpus/TARGET. Findings land in fuzz/.out/TARGET/default/{crashes,hangs}; replay one with
#   dotnet fuzz/.out/bin/Router.Fuzz.dll TARGET < FILE
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
target=${1:?usage: fuzz/run.sh images|json|query SECONDS}
seconds=${2:?usage: fuzz/run.sh images|json|query SECONDS}
out="$here/.out"
export PATH="$PATH:$HOME/.dotnet/tools" DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
command -v afl-fuzz >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends afl++; }
command -v sharpfuzz >/dev/null || dotnet tool install --global SharpFuzz.CommandLine --version 2.3.0
if [ ! -f "$out/bin/.instrumented" ]; then
  rm -rf "$out/bin"
  dotnet publish "$here/Router.Fuzz/Router.Fuzz.csproj" -c Release -o "$out/bin" -nologo -v q
  # Router's own code is what is fuzzed; the framework and third-party packages are left as they are.
  for dll in router.dll Router.Models.dll Router.Abstractions.dll Router.Galleries.dll; do sharpfuzz "$out/bin/$dll"; done
  touch "$out/bin/.instrumented"
fi
mkdir -p "$out/$target"
# dotnet itself carries no AFL instrumentation (SharpFuzz's does): skip afl-fuzz's binary check.
AFL_SKIP_BIN_CHECK=1 AFL_AUTORESUME=1 AFL_NO_AFFINITY=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
  afl-fuzz -i "$here/corpus/$target" -o "$out/$target" -t 10000 -m none -V "$seconds" -- \
  dotnet "$out/bin/Router.Fuzz.dll" "$target" > "$out/$target.log" 2>&1 || true
stats="$out/$target/default/fuzzer_stats"
[ -f "$stats" ] || { echo "afl-fuzz did not start; see $out/$target.log" >&2; tail -20 "$out/$target.log" >&2; exit 1; }
grep -E '^(run_time|execs_done|execs_per_sec|corpus_count|saved_crashes|saved_hangs|bitmap_cvg|stability)' "$stats"
