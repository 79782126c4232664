/**
 * Filling the hand-written templates of bpf-templates/. A slot is a line holding only `/*@slot NAME@*\/`; only
 * CCode values (made by the injection-safe builder) can fill one, every slot must be filled, and every fragment
 * must have its slot.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { CCode } from "../c/index.js";

const SLOT = /^\/\*@slot ([A-Z_]+)@\*\/$/gm;

/** Fill a template's slots. Throws when a slot is missing or left empty. */
export function fillTemplate(template: string, slots: Readonly<Record<string, CCode>>): string {
  const used = new Set<string>();
  const out = template.replace(SLOT, (_whole, name: string) => {
    const code = slots[name];
    if (!code) throw new Error(`template slot ${name} has no fragment`);
    used.add(name);
    return code.text;
  });
  for (const name of Object.keys(slots))
    if (!used.has(name)) throw new Error(`the template has no slot ${name}`);
  return out;
}

/** The folder of the hand-written templates (bpf-templates/ at the package root, from source or from dist/). */
export function templatesDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, "bpf-templates");
    try {
      readFileSync(join(candidate, "policy.bpf.c"));
      return candidate;
    } catch {
      dir = dirname(dir);
    }
  }
  throw new Error("bpf-templates/ not found next to the package");
}

/** A template file's text. */
export function readTemplate(name: string): string {
  return readFileSync(join(templatesDir(), name), "utf8");
}
