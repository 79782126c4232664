/**
 * Policy files shared by the CLI tests.
 */
import { randomBytes } from "./run.js";

/** A policy without errors. */
export const GOOD = 'policy "good" version "1.0.0"\ndefault deny\n';

/** A policy with declarations and kernel-visible rules (no tool schemas needed). */
export const KERNEL = [
  'policy "kernel" version "2.1.0"',
  "default allow",
  "labels PII, PHI",
  'const blocked = ["/usr/bin/nc"]',
  'context env: "prod" | "staging", tags: list<string>',
  'forbid file.open path "/etc/shadow", "/etc/gshadow"',
  '@id("no-ssh-keys") forbid file.open under "/etc/ssh"',
  "forbid net.connect to 203.0.113.0/24 port 22",
  "",
].join("\n");

/** A policy with one syntax error: an unclosed bracket at the end of line 3. */
export const BAD = 'policy "bad" version "1.0.0"\ndefault deny\nconst limits = [1, 2\n';

/** The scratch folder the CLI tests run in. */
export const FILES: Readonly<Record<string, string | Uint8Array>> = {
  "good.aarm": GOOD,
  "kernel.aarm": KERNEL,
  "bad.aarm": BAD,
  "empty.aarm": "",
  "latin1.aarm": new Uint8Array([...new TextEncoder().encode('policy "caf'), 0xe9, 0x22]),
  "random.aarm": randomBytes(42, 4096),
  "garbage.aarm": Array.from(randomBytes(7, 2000), (b) => String.fromCharCode(b & 0x7f)).join(""),
  "many-errors.aarm": `${GOOD}${"$ ".repeat(20_000)}\n`,
  "tree/a.aarm": GOOD,
  "tree/sub/b.aarm": BAD,
  "tree/.hidden/c.aarm": BAD,
  "tree/notes.txt": "not a policy",
  "nothing/readme.txt": "",
};
