#!/bin/bash
# run-on-kernel.sh - run one command as root under another Linux kernel, in a throwaway qemu VM.
# The kernel matrix's runner (scripts/test-kernels.sh), adapted from ../shared/tools/run-on-kernel.sh:
# CI clones only this repository.
#
#   run-on-kernel.sh KERNEL_DIR -- COMMAND [ARGS...]
#
# KERNEL_DIR: an unpacked kernel package, e.g.
#     apt-get download linux-image-6.1.0-57-amd64-unsigned && dpkg-deb -x linux-image-*.deb k61
#   (needs DIR/boot/vmlinuz-* or DIR/vmlinuz, plus DIR/lib/modules/VER/ unless 9p is built in).
#   Debian's "cloud" flavour has no 9p at all: use the generic one.
# The guest sees the host's / read-only (9p) under a tmpfs overlay, so it can write anywhere
# (writes are thrown away) except the current directory, which is shared read-write: outputs
# come back. proc, sys, devtmpfs, bpffs, tracefs, debugfs, securityfs and cgroup2 are mounted;
# lo is up (no other network). COMMAND runs as root in the current directory with this shell's
# exported environment; its stdout and stderr come out on ours (not a tty); we exit with its
# status (124: timed out, 125: the VM failed before it finished).
# Env: ROK_TIMEOUT (seconds, 600), ROK_MEM (2G), ROK_SMP (1 under TCG), ROK_APPEND (kernel args),
#      ROK_CONSOLE (file to keep the guest's kernel log in; it is shown anyway on failure).
# Needs (Debian packages): qemu-system-x86 busybox-static, and xz-utils/zstd to unpack kernels.
# Uses KVM where the CPU has virtualization (vmx/svm) and /dev/kvm is writable, else TCG: a
# /dev/kvm without them (a nested sandbox) makes qemu abort or hang. ROK_ACCEL=tcg|kvm overrides. Keeps what it derives from the kernel (vmlinux, modules)
# in KERNEL_DIR/.run-on-kernel/ (else in a temporary folder, each run).
set -euo pipefail

[[ $# -ge 3 && $2 == -- && -d $1 ]] || { echo "usage: $0 KERNEL_DIR -- COMMAND [ARGS...]" >&2; exit 2; }
kdir=$1; shift 2
vmlinuz=$(ls -d "$kdir"/vmlinuz "$kdir"/boot/vmlinuz-* 2>/dev/null | head -1) || true
moddir=$(ls -d "$kdir"/lib/modules/*/ "$kdir"/usr/lib/modules/*/ 2>/dev/null | head -1) || true
[[ -n $vmlinuz ]] || { echo "run-on-kernel: no vmlinuz in $kdir" >&2; exit 2; }
busybox=$(command -v busybox) || { echo "run-on-kernel: needs busybox-static" >&2; exit 2; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cache=$kdir/.run-on-kernel; mkdir -p "$cache" 2>/dev/null || cache=$tmp/cache

exec 8> "$cache/.lock"; flock 8   # a run beside this one may be deriving the same files
if [[ ! -e $cache/done ]]; then
  mkdir -p "$cache/mods"
  # Under TCG the guest takes ~15 s to decompress a bzImage: when the kernel has a PVH entry,
  # unpack vmlinux here once, and qemu boots that ELF directly.
  if grep -qs '^CONFIG_PVH=y' "$kdir"/config "$kdir"/boot/config-*; then
    for m in 'xz:\xfd7zXZ' 'zstd:\x28\xb5\x2f\xfd' 'lz4:\x02\x21\x4c\x18' 'gzip:\x1f\x8b\x08'; do
      off=$(LC_ALL=C grep -aboP "${m#*:}" "$vmlinuz" | head -1 | cut -d: -f1) || true
      [[ -n $off ]] && command -v "${m%%:*}" >/dev/null || continue
      tail -c +$((off + 1)) "$vmlinuz" | "${m%%:*}" -dc > "$cache/vmlinux" 2>/dev/null || true
      [[ $(head -c4 "$cache/vmlinux") == $'\x7fELF' ]] && break || rm -f "$cache/vmlinux"
    done
  fi
  # The modules 9p and overlay need, each after those it depends on (read from its .modinfo).
  [[ -z $moddir ]] || find "$moddir" -name '*.ko*' > "$tmp/all"
  add_mod() {
    local n=${1//-/_} f d
    [[ -n $moddir && ! -e $cache/mods/$n.ko ]] || return 0
    f=$(grep -E "/${n//_/[_-]}\.ko(\.[a-z]+)?$" "$tmp/all" | head -1) || true
    [[ -n $f ]] || return 0                     # built in, or absent (the mount will say)
    case $f in
      *.xz) xz -dc "$f" ;; *.zst) zstd -dc "$f" ;; *.gz) gzip -dc "$f" ;; *) cat "$f" ;;
    esac > "$cache/mods/$n.ko"
    for d in $(grep -aom1 'depends=[a-z0-9_,-]*' "$cache/mods/$n.ko" | cut -d= -f2 | tr , ' '); do add_mod "$d"; done
    echo "$n" >> "$cache/mods/order"
  }
  for m in virtio_pci virtio_console 9pnet_virtio 9p overlay; do add_mod "$m"; done
  # modules.dep and modules.alias, so that the guest loads any other module on demand (veth...).
  [[ -z $moddir || -e $moddir/modules.dep ]] ||
    busybox depmod -b "${moddir%/lib/modules/*}" "$(basename "$moddir")" || true
  touch "$cache/done"
fi
exec 8>&-
[[ -e $cache/vmlinux ]] && vmlinuz=$cache/vmlinux

# The initramfs: busybox, those modules, our init, and the command with our environment.
mkdir -p "$tmp"/init/{bin,dev,proc,sys,lower,rw,newroot}
cp "$busybox" "$tmp/init/bin/busybox"; cp -r "$cache/mods" "$tmp/init/mods"
echo "$PWD" > "$tmp/init/workdir"; [[ -z $moddir ]] || (cd "$moddir" && pwd) > "$tmp/init/moddir"
{ export -p | grep -vE '^declare -x (PWD|OLDPWD|SHLVL|_)='
  printf 'cd %q && exec' "$PWD"; printf ' %q' "$@"; echo; } > "$tmp/init/cmd"
cat > "$tmp/init/init" <<'EOF'
#!/bin/busybox sh
/bin/busybox --install -s /bin; export PATH=/bin
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
for m in $(cat /mods/order 2>/dev/null); do insmod /mods/$m.ko; done
o=trans=virtio,version=9p2000.L,msize=262144
mount -t 9p -o $o,ro,cache=loose hostroot /lower && mount -t tmpfs -o mode=755 rw /rw &&
mkdir /rw/up /rw/wk && mount -t overlay -o lowerdir=/lower,upperdir=/rw/up,workdir=/rw/wk ovl /newroot
[ -e /moddir ] && mkdir -p /lib/modules && ln -s "/lower$(cat /moddir)" /lib/modules/$(uname -r) &&
  echo /bin/modprobe > /proc/sys/kernel/modprobe    # the kernel runs it here, outside the chroot
cwd=$(cat /workdir); r=/newroot
[ "$cwd" = / ] || { mkdir -p "$r$cwd"; mount -t 9p -o $o hostcwd "$r$cwd"; }
mount -t proc proc $r/proc; mount -t sysfs sys $r/sys; mount -t devtmpfs dev $r/dev
mkdir -p $r/dev/pts $r/dev/shm; mount -t devpts pts $r/dev/pts; mount -t tmpfs shm $r/dev/shm
ln -s /proc/self/fd $r/dev/fd; ln -s fd/0 $r/dev/stdin; ln -s fd/1 $r/dev/stdout; ln -s fd/2 $r/dev/stderr
mount -t bpf bpf $r/sys/fs/bpf; mount -t tracefs tracefs $r/sys/kernel/tracing
mount -t debugfs debugfs $r/sys/kernel/debug; mount -t securityfs securityfs $r/sys/kernel/security
mount -t cgroup2 cgroup2 $r/sys/fs/cgroup; ip link set lo up
[ -x $r/bin/bash ] || { echo "run-on-kernel: could not mount the host's root" > /dev/ttyS0; reboot -f; }
chroot $r /bin/bash -c "$(cat /cmd)" </dev/null >/dev/vport0p1 2>/dev/vport0p2
echo "ROK-EXIT=$?" > /dev/ttyS0
sync; reboot -f
EOF
chmod +x "$tmp/init/init"
(cd "$tmp/init" && find . | busybox cpio -o -H newc 2>/dev/null) > "$tmp/initrd"

# ttyS0: kernel log and exit status; two virtio serial ports (no tty, faster than a UART): the
# command's stdout and stderr, through FIFOs to ours.
# Under TCG one vCPU boots and runs dotnet faster than two (measured on a 2-core host): ROK_SMP=2
# where a test needs several CPUs.
accel=tcg cpu=max smp=1
[[ -w /dev/kvm ]] && grep -qwE 'vmx|svm' /proc/cpuinfo && accel=kvm cpu=host smp=2
[[ ${ROK_ACCEL:-} == tcg ]] && accel=tcg cpu=max smp=1
[[ ${ROK_ACCEL:-} == kvm ]] && accel=kvm cpu=host smp=2
console=${ROK_CONSOLE:-$tmp/console.log}; : > "$console"
cwdshare=(); [[ $PWD == / ]] ||
  cwdshare=(-virtfs "local,path=${PWD//,/,,},mount_tag=hostcwd,security_model=none,multidevs=remap")
mkfifo "$tmp/out" "$tmp/err"; cat < "$tmp/out" & cat < "$tmp/err" >&2 &
rc=0
timeout -k 10 "${ROK_TIMEOUT:-600}" qemu-system-x86_64 -accel $accel -cpu $cpu \
  -m "${ROK_MEM:-2G}" -smp "${ROK_SMP:-$smp}" -nodefaults -no-user-config -display none -no-reboot \
  -kernel "$vmlinuz" -initrd "$tmp/initrd" \
  -append "console=ttyS0 quiet panic=-1 ${ROK_APPEND:-}" \
  -serial "file:$console" -device virtio-serial-pci \
  -chardev "file,id=out,path=$tmp/out" -device virtserialport,chardev=out \
  -chardev "file,id=err,path=$tmp/err" -device virtserialport,chardev=err \
  -virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
  "${cwdshare[@]}" </dev/null 2>"$tmp/qemu.log" || rc=$?
exec 3<>"$tmp/out" 4<>"$tmp/err" 3>&- 4>&-; wait   # lets the cats end even if qemu never opened the FIFOs

code=$(tr -d '\r' < "$console" | sed -n 's/^ROK-EXIT=\([0-9]*\)$/\1/p' | tail -1)
[[ -n $code ]] && exit "$code"
[[ $rc == 124 ]] && why="timed out after ${ROK_TIMEOUT:-600} s" || why="qemu status $rc"
echo "run-on-kernel: the VM did not finish the command ($why); the end of its logs:" >&2
tail -n 30 "$tmp/qemu.log" "$console" >&2
[[ $rc == 124 ]] && exit 124 || exit 125
