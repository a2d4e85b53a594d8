#!/usr/bin/env bash
# The kernel matrix: runs a chosen set of the already-built tests (Release) inside qemu guests of
# Debian's 6.1 and 6.12 kernels (scripts/test.sh runs every test on the host's kernel).
#
#   test-kernels.sh [SERIES...]        SERIES: 6.1, 6.12 (the default: both)
#   test-kernels.sh --kernels          only fetches them, and prints their directories (for the verifier-cost benchmark)
#
# Each series is the newest Debian package named linux-image-SERIES.*-amd64-unsigned (the generic
# flavour: the cloud one has no 9p to share the root filesystem), fetched with apt-get download and
# unpacked once into $CSBPF_KERNELS (/var/cache/csharpbpf-kernels). The guests (scripts/run-on-kernel.sh)
# run side by side — TCG runs a guest on one host core — and their output is printed one kernel at a
# time, headed "== kernel VERSION ==", with each test assembly's "Total tests:" summary, which
# scripts/test.sh's closing line adds up. Exit status: 0 when every guest passed.
# Env: CSBPF_KERNELS (the cache), CSBPF_MATRIX_SERIAL=1 (one guest at a time), ROK_* (run-on-kernel.sh).
# Needs root, qemu-system-x86, busybox-static, xz-utils, zstd (scripts/setup-machine.sh installs them).
set -uo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
cache=${CSBPF_KERNELS:-/var/cache/csharpbpf-kernels}
mode=run; [[ ${1:-} == --kernels ]] && { mode=kernels; shift; }
series=("$@"); [[ ${#series[@]} -gt 0 ]] || series=(6.1 6.12)

# The newest generic package of a series, by name: linux-image-6.1.0-57-amd64-unsigned,
# linux-image-6.12.118+deb12-amd64-unsigned (not …-cloud-amd64-…, not …-rt-amd64-…).
newest_package() {
  apt-cache search --names-only "^linux-image-${1//./\\.}\." |
    awk '{ print $1 }' | grep -E "^linux-image-${1//./\\.}\.[0-9]+[-+][0-9a-z]+-amd64-unsigned$" | sort -V | tail -1
}

# Unpacks the package into $cache/NAME once; prints the directory.
fetch_kernel() {
  local pkg dir
  pkg=$(newest_package "$1")
  if [[ -z $pkg ]]; then
    ls /var/lib/apt/lists/*_Packages* >/dev/null 2>&1 || apt-get -o DPkg::Lock::Timeout=600 update -qq >&2
    pkg=$(newest_package "$1")
  fi
  [[ -n $pkg ]] || { echo "test-kernels.sh: no linux-image-$1.*-amd64-unsigned package in apt's lists" >&2; return 1; }
  dir=$cache/${pkg#linux-image-}
  mkdir -p "$cache" && exec 9> "$cache/.lock" && flock 9   # another run may be unpacking the same kernel
  if [[ ! -e $dir/.unpacked ]]; then
    echo "test-kernels.sh: fetching $pkg" >&2
    local tmp; tmp=$(mktemp -d) || return 1
    chown _apt "$tmp" 2>/dev/null || true   # apt-get download writes as _apt where that user exists
    (cd "$tmp" && apt-get download -q "$pkg" >&2) && rm -rf "$dir" && mkdir -p "$dir" &&
      dpkg-deb -x "$tmp"/linux-image-*.deb "$dir" && touch "$dir/.unpacked"
    local rc=$?; rm -rf "$tmp"; [[ $rc == 0 ]] || { exec 9>&-; return 1; }
  fi
  exec 9>&-
  echo "$dir"
}

# What runs in each guest: test assembly | --filter (empty: all of it). Under TCG a test assembly runs some 10–30
# times slower than on the host, so the set is every kind of program loaded and run, not every test: the tracing
# kinds (tracepoints, raw tracepoints, tp_btf, iterators, kprobes, uprobes, USDT, fentry/fexit, LSM) with their maps,
# ring and perf buffers; the conformance suite in the kernel; every compiler corpus object through the verifier and
# run on frames (the templates' objects are in that corpus); the sample tools run as processes, as a user runs them. Left out: tests that need no kernel
# (UsdtNoteTests compile C four ways to read ELF notes: 1.5 min under TCG; the samples' --help texts, the README
# and deployment files), and slow ones whose kind another test covers (CoreRelocationTests compile C: the tracing
# CoreTests load CO-RE objects; PerfBufferTests: the tracing SyscallCounter reads a perf buffer).
guest_tests=(
  "CSharpBpf.Tracing.Tests|FullyQualifiedName!~UsdtNoteTests&FullyQualifiedName!~PlainDotnetTests"
  "CSharpBpf.Kernel.Tests|FullyQualifiedName~KernelConformanceTests|FullyQualifiedName~RingBufferTests|FullyQualifiedName~MapAccessTests|FullyQualifiedName~LoaderTests|FullyQualifiedName~KernelFeatureProbeTests"
  "CSharpBpf.Compiler.Tests|(FullyQualifiedName~KernelLoadTests|FullyQualifiedName~BehaviourTests|FullyQualifiedName~RangeLoopTests|FullyQualifiedName~TrustRegressionTests)"
  "CSharpBpf.Samples.Tests|FullyQualifiedName!~ReadmeTests&FullyQualifiedName!~DeploymentTests&FullyQualifiedName!~SampleHostTests"
)

# Inside the guest: each assembly's tests, printed as scripts/test.sh prints them.
if [[ ${1:-} == --guest ]]; then
  echo "test-kernels.sh: in a guest of $(uname -r), LSMs $(cat /sys/kernel/security/lsm 2>/dev/null)"
  status=0
  for entry in "${guest_tests[@]}"; do
    name=${entry%%|*} filter=${entry#*|}
    dll=tests/$name/bin/Release/net10.0/$name.dll
    [[ -f $dll ]] || { echo "test-kernels.sh: $dll is not built (dotnet build CSharpBpf.sln -c Release)"; status=1; continue; }
    start=$SECONDS
    dotnet test "$dll" ${filter:+--filter "$filter"} --logger "console;verbosity=normal" || status=1
    echo "test-kernels.sh: $name took $((SECONDS - start)) s on $(uname -r)"
  done
  exit $status
fi

[[ $(id -u) == 0 ]] || { echo "test-kernels.sh: run as root (apt-get, and bpf(2) in the guests)" >&2; exit 1; }
if [[ $mode == kernels ]]; then
  for s in "${series[@]}"; do fetch_kernel "$s" || exit 1; done
  exit 0
fi
# The sample tests run the samples' built assemblies in the guests (CSBPF_PREBUILT_SAMPLES), where a build under
# TCG would take minutes: build here those scripts/test.sh has not built yet.
[[ -f artifacts/packages/CSharpBpf.0.1.0.nupkg ]] || bash scripts/pack.sh > /dev/null || exit 1
for project in samples/*/*.csproj; do
  name=$(basename "$project" .csproj)
  [[ -f $(dirname "$project")/bin/Release/net10.0/$name.dll ]] ||
    dotnet build "$project" -c Release -nologo -v q > /dev/null || { echo "test-kernels.sh: $project does not build" >&2; exit 1; }
done

dirs=()
for s in "${series[@]}"; do d=$(fetch_kernel "$s") || exit 1; dirs+=("$d"); done

# One guest per kernel, side by side (each one TCG thread); then their output, one kernel at a time.
logs=$(mktemp -d); trap 'rm -rf "$logs"' EXIT
# CSBPF_TIMEOUT_SCALE: the sample tests wait 4× longer for a tool under TCG (tests/CSharpBpf.Samples.Tests/SampleProcess.cs).
export CSBPF_PREBUILT_SAMPLES=1 CSBPF_TIMEOUT_SCALE=4 ROK_TIMEOUT=${ROK_TIMEOUT:-2400} ROK_MEM=${ROK_MEM:-3G}
pids=()
for i in "${!dirs[@]}"; do
  ( start=$SECONDS
    bash scripts/run-on-kernel.sh "${dirs[$i]}" -- bash scripts/test-kernels.sh --guest > "$logs/$i" 2>&1
    echo "$? $((SECONDS - start))" > "$logs/$i.status" ) &
  pids+=($!)
  [[ ${CSBPF_MATRIX_SERIAL:-} == 1 ]] && wait $!
done
wait "${pids[@]}"

status=0
for i in "${!dirs[@]}"; do
  read -r rc seconds < "$logs/$i.status"
  echo "== kernel ${dirs[$i]##*/} =="
  cat "$logs/$i"
  awk -v k="${dirs[$i]##*/}" -v rc="$rc" -v t="$seconds" '
         /^ +Passed: +[0-9]+ *$/ { p += $2 } /^ +Failed: +[0-9]+ *$/ { f += $2 } /^ +Skipped: +[0-9]+ *$/ { s += $2 }
         END { printf "test-kernels.sh: on %s %d passed, %d failed, %d skipped (exit status %d, %d s)\n", k, p, f, s, rc, t }' "$logs/$i"
  [[ $rc == 0 ]] || status=1
done
exit $status
