#!/usr/bin/env bash
# Build the aarm-bpf loader (host/bpf/aarm-bpf.c) over libbpf into out/kernel-build/: aarm-bpf (dynamically
# linked, for this host) and aarm-bpf-static (self-contained, for minimal systems such as the test guest).
# Needs gcc, libbpf-dev, libelf-dev and zlib1g-dev (scripts/kernel/install-toolchain.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${AARM_KERNEL_BUILD:-out/kernel-build}
mkdir -p "$OUT"
CFLAGS=(-O2 -Wall -Wextra -Werror)
gcc "${CFLAGS[@]}" -o "$OUT/aarm-bpf" host/bpf/aarm-bpf.c -lbpf
gcc "${CFLAGS[@]}" -static -o "$OUT/aarm-bpf-static" host/bpf/aarm-bpf.c -lbpf -lelf -lz
strip "$OUT/aarm-bpf-static"
echo "$OUT/aarm-bpf"
