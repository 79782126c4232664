/**
 * The action a host hands to `session.decide`: its schema, and the check every decision runs first. zod checks it
 * and explains a refusal; the common case, a plain object with valid members, is checked by hand first (zod's parse
 * of it cost about half a microsecond and a kilobyte of garbage per decision). What the hand check accepts, zod
 * accepts with the same values; anything else goes to zod (a differential test holds the two together).
 */
import { z } from "zod";
import { JsonObject, jsonObjectSnapshot } from "./mediation/action.js";

export const ActionSchema = z
  .object({
    id: z.string().min(1).optional(),
    tool: z.string().min(1),
    // A snapshot (own properties only, each getter read once): what the policy decides on is what the tool gets.
    args: JsonObject,
    time: z.number().finite().optional(),
  })
  .strict();

export type ActionInput = z.input<typeof ActionSchema>;
export type ParsedAction = z.output<typeof ActionSchema>;

/** The members an action may have: anything else is refused (strict). */
function onlyActionKeys(input: object): boolean {
  for (const key in input)
    if (key !== "id" && key !== "tool" && key !== "args" && key !== "time") return false;
  return true;
}

/**
 * The hand check: a plain object whose (own or inherited enumerable) keys are among id, tool, args and time, with a
 * non-empty tool, an absent or non-empty id, an absent or finite time and JSON arguments; null otherwise, or when
 * reading the input throws. Each member is read once.
 */
export function plainAction(input: unknown): ParsedAction | null {
  try {
    if (typeof input !== "object" || input === null || Object.getPrototypeOf(input) !== Object.prototype)
      return null;
    if (!onlyActionKeys(input)) return null;
    const { id, tool, args, time } = input as Record<string, unknown>;
    if (typeof tool !== "string" || tool === "") return null;
    if (id !== undefined && (typeof id !== "string" || id === "")) return null;
    if (time !== undefined && (typeof time !== "number" || !Number.isFinite(time))) return null;
    const snapshot = jsonObjectSnapshot(args);
    if (snapshot === null) return null;
    const action: { id?: string; tool: string; args: Record<string, unknown>; time?: number } = {
      tool,
      args: snapshot,
    };
    if (id !== undefined) action.id = id;
    if (time !== undefined) action.time = time;
    return action;
  } catch {
    return null;
  }
}

/** Check an action: the hand check, then zod for everything it did not accept. */
export function parseAction(
  input: unknown,
): { success: true; data: ParsedAction } | { success: false; error: z.ZodError } {
  const quick = plainAction(input);
  if (quick !== null) return { success: true, data: quick };
  const r = ActionSchema.safeParse(input);
  return r.success ? { success: true, data: r.data } : { success: false, error: r.error };
}
