#!/usr/bin/env bash
# Install what the kernel target needs to build and to be tested in a real kernel, from Debian packages:
# clang and libbpf (to build the BPF programs and the loader), qemu and busybox (to boot a test kernel), and the
# current Debian cloud kernel, whose /boot is unpacked into the cache (never installed on this machine).
# Idempotent: installs only what is missing and downloads the kernel once per ABI version.
#
# Usage: scripts/kernel/install-toolchain.sh        (prints the kernel image path on its last line)
# Environment: AARM_KERNEL_CACHE (default out/kernel-cache), AARM_KERNEL_PACKAGE (default: the package that
# linux-image-cloud-amd64 currently depends on).
set -euo pipefail
cd "$(dirname "$0")/../.."

PACKAGES=(clang llvm libbpf-dev libelf-dev zlib1g-dev gcc libc6-dev linux-libc-dev qemu-system-x86 busybox-static cpio)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "installing: ${missing[*]}" >&2
  $SUDO apt-get update -q >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
fi

CACHE=${AARM_KERNEL_CACHE:-out/kernel-cache}
PKG=${AARM_KERNEL_PACKAGE:-$(apt-cache depends linux-image-cloud-amd64 2>/dev/null | awk '/Depends: linux-image-/ {print $2; exit}')}
if [ -z "$PKG" ]; then
  echo "cannot resolve the current linux-image-*-cloud-amd64 package (apt-cache depends linux-image-cloud-amd64)" >&2
  exit 1
fi
KDIR="$CACHE/$PKG"
if ! ls "$KDIR"/boot/vmlinuz-* >/dev/null 2>&1; then
  mkdir -p "$CACHE/debs" "$KDIR"
  (cd "$CACHE/debs" && apt-get download "$PKG" >&2)
  dpkg-deb --fsys-tarfile "$CACHE"/debs/"${PKG}"_*.deb | tar -x -C "$KDIR" ./boot
fi
ls "$KDIR"/boot/vmlinuz-*
