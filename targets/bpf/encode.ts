/**
 * Map contents → the binary layout the loader reads (`maps.bin`). The loader needs no knowledge of the policy: it
 * writes each record into the map it names, after checking that the key and value sizes match the map's.
 *
 *   file    = magic "AARMMAP1", u32 record count, records
 *   record  = u8 kind, u8 name length, name, u16 key length, key, u16 value length, value
 *   kind 1  = a map entry: key and value are the map's own bytes
 *   kind 2  = an inode entry: the key is a path; the loader stats it (following links) and stores the key
 *             {u64 inode, u32 device (kernel encoding), u32 0}; a path that does not exist is skipped
 *
 * Integers are little-endian (the byte order of the hosts BPF LSM runs on: x86-64 and arm64); addresses are in
 * network order, as the kernel sees them.
 */
import type { KernelMaps, PathEntry } from "./maps.js";
import { type MapName, PATH_KEY_BYTES, PORTSET_MAX_RANGES, RULE_ID_BYTES } from "./layout.js";

export const MAPS_MAGIC = "AARMMAP1";
export const RECORD_MAP = 1;
export const RECORD_INODE = 2;

/** One record of maps.bin. */
export interface MapRecord {
  readonly kind: typeof RECORD_MAP | typeof RECORD_INODE;
  readonly map: MapName;
  readonly key: Uint8Array;
  readonly value: Uint8Array;
}

const utf8 = (s: string) => new TextEncoder().encode(s);

function u32(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n, true);
  return b;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A string as a fixed-size, zero-padded key (truncated at a UTF-8 boundary to leave at least one NUL). */
export function fixedString(s: string, size: number): Uint8Array {
  const out = new Uint8Array(size);
  let bytes = utf8(s);
  if (bytes.length > size - 1) {
    let end = size - 1;
    while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
    bytes = bytes.slice(0, end);
  }
  out.set(bytes);
  return out;
}

/** The LPM-trie key of a block: u32 prefix length, then the address bytes. */
export function lpmKey(bytes: readonly number[], prefix: number): Uint8Array {
  return concat([u32(prefix), Uint8Array.from(bytes)]);
}

/** A port set value: u32 count, u32 0, then PORTSET_MAX_RANGES × {u16 from, u16 to, u32 rule}. */
export function portsetValue(ranges: readonly { from: number; to: number; rule: number }[]): Uint8Array {
  const b = new Uint8Array(8 + PORTSET_MAX_RANGES * 8);
  const v = new DataView(b.buffer);
  v.setUint32(0, ranges.length, true);
  ranges.forEach((r, i) => {
    v.setUint16(8 + i * 8, r.from, true);
    v.setUint16(10 + i * 8, r.to, true);
    v.setUint32(12 + i * 8, r.rule, true);
  });
  return b;
}

/** Every record of a policy's maps, in a stable order. */
export function mapRecords(k: KernelMaps): MapRecord[] {
  const out: MapRecord[] = [];
  const add = (kind: MapRecord["kind"], map: MapName, key: Uint8Array, value: Uint8Array) =>
    out.push({ kind, map, key, value });
  for (const r of k.rules) add(RECORD_MAP, "aarm_rules", u32(r.index), fixedString(r.id, RULE_ID_BYTES));
  const paths = (map: MapName, list: readonly PathEntry[]) => {
    for (const e of list) add(RECORD_MAP, map, fixedString(e.path, PATH_KEY_BYTES), u32(e.rule));
  };
  const inodes = (map: MapName, list: readonly PathEntry[]) => {
    for (const e of list) add(RECORD_INODE, map, utf8(e.path), u32(e.rule));
  };
  inodes("aarm_file_ino", k.maps.aarm_file_ino);
  paths("aarm_file_path", k.maps.aarm_file_path);
  paths("aarm_file_dir", k.maps.aarm_file_dir);
  inodes("aarm_exec_ino", k.maps.aarm_exec_ino);
  paths("aarm_exec_path", k.maps.aarm_exec_path);
  paths("aarm_exec_dir", k.maps.aarm_exec_dir);
  for (const e of k.maps.aarm_net4) add(RECORD_MAP, "aarm_net4", lpmKey(e.bytes, e.prefix), u32(e.portset));
  for (const e of k.maps.aarm_net6) add(RECORD_MAP, "aarm_net6", lpmKey(e.bytes, e.prefix), u32(e.portset));
  k.maps.aarm_portsets.forEach((set, i) => add(RECORD_MAP, "aarm_portsets", u32(i), portsetValue(set)));
  return out;
}

function u16(n: number): Uint8Array {
  if (n > 0xffff) throw new Error(`record field of ${n} bytes`);
  return Uint8Array.of(n & 0xff, n >> 8);
}

/** maps.bin for a policy. */
export function encodeMaps(k: KernelMaps): Uint8Array {
  const records = mapRecords(k);
  const parts: Uint8Array[] = [utf8(MAPS_MAGIC), u32(records.length)];
  for (const r of records) {
    const name = utf8(r.map);
    parts.push(
      Uint8Array.of(r.kind, name.length),
      name,
      u16(r.key.length),
      r.key,
      u16(r.value.length),
      r.value,
    );
  }
  return concat(parts);
}

/** Read maps.bin back (for tests and the simulator); throws on a malformed file. */
export function decodeMaps(bytes: Uint8Array): MapRecord[] {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (new TextDecoder().decode(bytes.slice(0, 8)) !== MAPS_MAGIC) throw new Error("not an aarm maps file");
  const count = v.getUint32(8, true);
  const out: MapRecord[] = [];
  let at = 12;
  const take = (n: number) => {
    if (at + n > bytes.length) throw new Error("truncated maps file");
    const s = bytes.slice(at, at + n);
    at += n;
    return s;
  };
  for (let i = 0; i < count; i++) {
    const [kind, nameLen] = take(2);
    const map = new TextDecoder().decode(take(nameLen!)) as MapName;
    const key = take(v.getUint16(at, true) + 2).slice(2);
    const value = take(v.getUint16(at, true) + 2).slice(2);
    if (kind !== RECORD_MAP && kind !== RECORD_INODE) throw new Error(`unknown record kind ${kind}`);
    out.push({ kind, map, key, value });
  }
  if (at !== bytes.length) throw new Error("trailing bytes in maps file");
  return out;
}
