#!/usr/bin/env bash
# Real-kernel tests of the kernel target. Compiles examples/assistant, builds its BPF object with `aarm bpf
# build`, builds the static loader and the guest's test program, packs them with busybox into an initramfs and
# boots the current Debian cloud kernel under qemu (software emulation, so it runs anywhere): once with the bpf
# LSM active (every enforcement case, then the measurements) and once without it (the loader must refuse).
# Prints one line per case and ends with "KERNEL TESTS: ALL PASS" or exits non-zero.
#
# Needs the toolchain (scripts/kernel/install-toolchain.sh) and the compiled CLI (npm run build).
# Environment: AARM_KERNEL_CACHE (where install-toolchain.sh put the kernel), AARM_KERNEL_TIMEOUT (s, default 300).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
W=${AARM_KERNEL_WORK:-out/kernel-test}
TIMEOUT=${AARM_KERNEL_TIMEOUT:-300}
rm -rf "$W" && mkdir -p "$W/rootfs/bin" "$W/rootfs/usr/bin"

VMLINUZ=$(scripts/kernel/install-toolchain.sh | tail -1)
echo "kernel: $VMLINUZ"

# 1. The policy: compile the example to a signed bundle, and its BPF object with `aarm bpf build`.
node bin/aarm.js keygen --out "$W/keys" --name test >/dev/null
KEY=$(ls "$W"/keys/*.key.json | head -1)
node bin/aarmc.js compile examples/assistant/policy.aarm -o "$W/bundle" --key "$KEY" 2>"$W/compile.err" >/dev/null
grep -h "AARM4006" "$W/compile.err" | sed 's/^/compile: /' || true
node bin/aarm.js bpf build "$W/bundle" -o "$W/policy.bpf.o" --trust "$W/keys"

# 2. The loader (static) and the guest's programs.
AARM_KERNEL_BUILD="$W/build" scripts/kernel/build-loader.sh >/dev/null
gcc -O2 -Wall -static -o "$W/rootfs/bin/kops" test/kernel/guest/kops.c
gcc -O2 -Wall -static -o "$W/rootfs/bin/hello" test/kernel/guest/hello.c
cp "$W/build/aarm-bpf-static" "$W/rootfs/bin/aarm-bpf"
cp "$(command -v busybox)" "$W/rootfs/bin/busybox"
cp "$W/policy.bpf.o" "$W/rootfs/policy.bpf.o"
cp "$W/bundle/kernel/maps.bin" "$W/rootfs/maps.bin"
cp test/kernel/guest/init.sh "$W/rootfs/init" && chmod +x "$W/rootfs/init"
(cd "$W/rootfs" && find . | cpio -o -H newc --quiet | gzip -1 > ../initrd.gz)

# 3. Boot: with the bpf LSM, then without it.
boot() { # boot MODE LSM
  local log="$W/serial-$1.log"
  local t0=$(date +%s.%N)
  set +e
  timeout "$TIMEOUT" qemu-system-x86_64 -m 512 -smp 1 -nographic -no-reboot -nic none \
    -kernel "$VMLINUZ" -initrd "$W/initrd.gz" \
    -append "console=ttyS0 lsm=$2 panic=-1 quiet aarm_mode=$1" > "$log" 2>&1
  local rc=$?
  set -e
  local t1=$(date +%s.%N)
  tr -d '\r' < "$log" | sed 's/\x1b[^A-Za-z]*[A-Za-z]//g; s/\x1bc//g' | grep -aE '^(GUEST|PASS|FAIL|RESULT|BENCH|EVENT|---)' || true
  echo "boot $1: qemu exit $rc, $(awk "BEGIN{printf \"%.1f\", $t1 - $t0}") s"
  grep -aq 'RESULT: ALL PASS' "$log"
}
status=0
boot enforce lockdown,capability,bpf || status=1
boot nolsm lockdown,capability || status=1
if [ $status = 0 ]; then echo "KERNEL TESTS: ALL PASS"; else echo "KERNEL TESTS: FAILED (serial logs in $W)"; fi
echo "$(date -u +%FT%TZ) $([ $status = 0 ] && echo "ALL PASS" || echo FAILED)" > "$W/result.txt"
exit $status
