#!/usr/bin/env bash
# Prepares a Debian machine for CSharpBpf's tests and tools: the reference tools the tests compare
# against, and the kernel filesystems BPF programs pin to and trace through. Run as root.
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then
  echo "setup-machine.sh: run as root (BPF needs CAP_BPF/CAP_SYS_ADMIN, and apt-get and mount need root)" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
# Another apt run (unattended upgrades at boot) may hold the dpkg lock: wait for it rather than fail.
apt_get() { apt-get -o DPkg::Lock::Timeout=600 "$@"; }
apt_get update -qq
# bpftool, ip/tc and readelf/llvm-objdump are the real tools our objects must satisfy; clang
# compiles the C fixtures; ping drives XDP tests; tcpdump (libpcap) is the reference for classic BPF;
# libseccomp for seccomp; gcc and sys/sdt.h (systemtap-sdt-dev) build the USDT fixture, python3 has USDT probes.
# The kernel matrix (scripts/test-kernels.sh) boots Debian's older kernels under qemu from a busybox
# initramfs, and unpacks their vmlinux and modules (xz, zstd).
apt_get install -y -qq bpftool clang llvm libbpf-dev iputils-ping iproute2 binutils tcpdump libpcap-dev libseccomp-dev seccomp gcc systemtap-sdt-dev python3 \
  qemu-system-x86 busybox-static xz-utils zstd >/dev/null

mountpoint -q /sys/fs/bpf || mount -t bpf bpf /sys/fs/bpf
mountpoint -q /sys/kernel/tracing || mount -t tracefs tracefs /sys/kernel/tracing
echo "setup-machine.sh: tools installed; bpffs at /sys/fs/bpf, tracefs at /sys/kernel/tracing"
