/**
 * Address blocks of `net.connect` rules (`to 10.0.0.0/8`): containment and IPv4-mapped IPv6. One definition for
 * the runtime's own matching (runtime/decide/kernel-match.ts), the kernel maps and their simulator (targets/bpf/)
 * and the checker's port-set limits (compiler/check/kernel.ts), so the four cannot drift apart.
 */

/** An IPv4 (4 bytes) or IPv6 (16 bytes) block; `prefix` is its length in bits. An address is a full-length block. */
export interface AddressBlock {
  readonly family: 4 | 6;
  readonly bytes: readonly number[];
  readonly prefix: number;
}

/** The IPv4 block an IPv6 block inside ::ffff:0:0/96 stands for, or the block itself. */
export function unmapBlock(b: AddressBlock): AddressBlock {
  if (b.family !== 6 || b.prefix < 96) return b;
  const mapped = b.bytes.slice(0, 10).every((x) => x === 0) && b.bytes[10] === 255 && b.bytes[11] === 255;
  return mapped ? { family: 4, bytes: b.bytes.slice(12), prefix: b.prefix - 96 } : b;
}

/** Does block `outer` contain block `inner`? Blocks of different families never contain each other. */
export function blockContains(outer: AddressBlock, inner: AddressBlock): boolean {
  if (outer.family !== inner.family || outer.prefix > inner.prefix) return false;
  for (let bit = 0; bit < outer.prefix; bit++) {
    const mask = 0x80 >> (bit & 7);
    if (((outer.bytes[bit >> 3] ?? 0) & mask) !== ((inner.bytes[bit >> 3] ?? 0) & mask)) return false;
  }
  return true;
}
