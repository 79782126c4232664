/**
 * Validation of IR loaded from a bundle: the version, then the full schema. Failures are values, not exceptions,
 * so that a host can refuse the bundle with a precise reason.
 */
import { IR_VERSION, IrPolicy } from "./schema.js";

export type IrLoadResult = { readonly ok: true; readonly ir: IrPolicy } | { readonly ok: false; readonly error: string };

/** Validate an unknown JSON value as IR of the supported version. */
export function parseIr(value: unknown): IrLoadResult {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { ok: false, error: "IR must be a JSON object" };
  }
  const v = (value as { irVersion?: unknown }).irVersion;
  if (v !== IR_VERSION) {
    return { ok: false, error: `unsupported IR version ${JSON.stringify(v)} (this runtime reads version ${IR_VERSION})` };
  }
  const r = IrPolicy.safeParse(value);
  if (!r.success) {
    const first = r.error.issues[0];
    const where = first ? first.path.map(String).join(".") : "";
    return { ok: false, error: `invalid IR at ${where || "(root)"}: ${first?.message ?? "unknown problem"}` };
  }
  return { ok: true, ir: r.data };
}
