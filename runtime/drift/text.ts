/**
 * Texts the drift model compares: the user's request as written, and each action rendered as words — the tool's
 * name split into words (`send_money` → "send money", `getUserInfo` → "get user info"), the tool's description
 * when the host supplied one, and the argument values (not their names: those are the same for every call of the
 * tool). Renderings are bounded so that drift costs at most a fixed amount of work per action.
 */

/** Longest action rendering, in characters; the rest of a very large argument is not compared. */
export const MAX_TEXT = 8_000;

/** `send_money` → "send money"; `crm.lookup` → "crm lookup"; `getUserInfo` → "get User Info". */
export function identifierWords(name: string): string {
  return name
    .replace(/([\p{Ll}\p{N}])(\p{Lu})/gu, "$1 $2")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

function pushValues(v: unknown, out: string[], budget: { left: number }): void {
  if (budget.left <= 1 || v === null || v === undefined) return;
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") {
    const s = String(v).slice(0, budget.left - 1); // and the newline before it
    budget.left -= s.length + 1;
    out.push(s);
  } else if (Array.isArray(v)) {
    for (const x of v) pushValues(x, out, budget);
  } else if (typeof v === "object") {
    for (const k of Object.keys(v).sort()) pushValues((v as Record<string, unknown>)[k], out, budget);
  }
}

/** The text of an action: tool words, description, argument values (keys in sorted order), at most MAX_TEXT characters. */
export function renderAction(
  tool: string,
  args: Readonly<Record<string, unknown>>,
  description?: string,
): string {
  const head = [identifierWords(tool), (description ?? "").slice(0, 1000)].filter((s) => s !== "").join("\n");
  const budget = { left: MAX_TEXT - head.length };
  const values: string[] = [];
  pushValues(args, values, budget);
  return [head, ...values].join("\n");
}
