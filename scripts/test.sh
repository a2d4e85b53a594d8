#!/usr/bin/env bash
# Packs CSharpBpf, builds and runs every test project on this kernel, then a chosen set of them on Linux 6.1 and 6.12
# (scripts/test-kernels.sh), then prints one closing line that sums them all up.
set -uo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# The sample tests build samples/* against the CSharpBpf package, as a user's project does: pack it first.
bash scripts/pack.sh > /dev/null || { echo "test.sh: scripts/pack.sh failed" >&2; exit 1; }

log=$(mktemp)
dotnet test CSharpBpf.sln -c Release --logger "console;verbosity=normal" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# The kernel matrix: a chosen set of the tests just built, in guests of Linux 6.1 and 6.12 (CSBPF_KERNEL_MATRIX=0 skips it).
if [[ ${CSBPF_KERNEL_MATRIX:-1} != 0 ]]; then
  matrix_start=$SECONDS
  bash scripts/test-kernels.sh 2>&1 | tee -a "$log"
  [[ ${PIPESTATUS[0]} == 0 ]] || status=1
  echo "test.sh: the kernel matrix took $((SECONDS - matrix_start)) s"
fi

# CI keeps only the tail of this output: name the failed tests again just above the closing line.
grep -E -A3 '^ +Failed [A-Za-z_][A-Za-z0-9_.]*' "$log" | cut -c1-300

# Each test project ends with "Total tests: T" then "Passed: P", "Failed: F", "Skipped: S" lines; sum them.
awk '/^Total tests: [0-9]+/ { n++ }
     /^ +Passed: +[0-9]+ *$/  { p += $2 }
     /^ +Failed: +[0-9]+ *$/  { f += $2 }
     /^ +Skipped: +[0-9]+ *$/ { s += $2 }
  END { if (n == 0) { print "no test summary found"; exit 1 }
        printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$log" || status=1
rm -f "$log"
exit "$status"
