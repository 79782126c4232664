/**
 * Provenance of values, kept incrementally: every text a session sees (the original request, each tool output) is
 * split into normalised words once, when it arrives, and each word remembers the sources it occurred in. Asking
 * where a value came from then costs O(words in the value), never a rescan of the history.
 *
 * A value is attributed to a source when every one of its words occurs in that source. This is order-insensitive
 * and deliberately cheap; it is exact for single-word values such as e-mail addresses, IBANs, URLs, host names,
 * numbers and identifiers, which are what recipients and destinations are.
 */

const WORD = /[\p{L}\p{N}@._+\-/:%#~=&?]+/gu;

/** Only ASCII letters and digits, with at least one letter: no scheme, no punctuation, not a number. */
function plainWord(t: string): boolean {
  let letter = false;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c >= 97 && c <= 122) letter = true;
    else if (c < 48 || c > 57) return false;
  }
  return letter;
}

/** Normalise one word: lower case, URL scheme and trailing punctuation removed, numbers in canonical form. */
export function normalizeWord(w: string): string {
  const lower = w.toLowerCase();
  // Most words are plain (a name, an id): nothing below would change them.
  if (plainWord(lower)) return lower;
  let t = lower.replace(/^[a-z][a-z0-9+.-]*:\/\//, "");
  // Leading punctuation goes too, except the sign of a number: -50 did not come from "pay 50".
  t = t.replace(/^(?:[.,;:!?/(]|-(?!\d))+/, "").replace(/[.,;:!?/)-]+$/, "");
  if (/^[+-]?\d+(\.\d+)?$/.test(t)) t = String(Number(t));
  return t;
}

/** The normalised words of a text. */
export function words(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(WORD)) {
    const w = normalizeWord(m[0]);
    if (w !== "") out.push(w);
  }
  return out;
}

/**
 * A word that runs into the next sentence without a space: lower case up to a period, then a capitalised word
 * ("www.example.com.They"). Capitals before the period ("Evil.Example", "Bank.Com.Au") make it a name, not two
 * sentences.
 */
const RUN_ON = /^([^\p{Lu}]*[\p{Ll}\p{N}])\.\p{Lu}\p{Ll}/u;

/**
 * The words a source text is indexed under: its words, and for a word that runs into the next sentence also the
 * part before that sentence's period ("post it to www.example.com.They sent ..." gives `www.example.com`). Only
 * sources get these extra words: a value is still split by `words`, so it must occur whole.
 */
export function sourceWords(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(WORD)) {
    const w = normalizeWord(m[0]);
    if (w !== "") out.push(w);
    const head = RUN_ON.exec(m[0])?.[1];
    if (head !== undefined && normalizeWord(head) !== "") out.push(normalizeWord(head));
  }
  return out;
}

/** Text of any JSON value, for indexing. */
export function textOf(v: unknown): string {
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (v === null || v === undefined) return "";
  try {
    return JSON.stringify(v);
  } catch {
    return "";
  }
}

/**
 * "Every source": the provenance of a value with nothing to attribute (an absent optional argument, an empty
 * list). Vacuously, every element of an empty list came from any source, so `excludes request` is false for it.
 */
export class AllSources extends Set<string> {
  override has(): boolean {
    return true;
  }
}

/** The shared AllSources instance. */
export const ALL_SOURCES: ReadonlySet<string> = new AllSources();
/**
 * An answer of sourcesOf: answers are remembered and shared, so none can be changed (add, delete and clear throw
 * once it is built).
 */
const sealed = new WeakSet<Set<string>>();
class Sources extends Set<string> {
  constructor(items: Iterable<string>) {
    super(items); // Set's constructor adds the items through add(): seal only afterwards
    sealed.add(this);
  }
  override add(s: string): this {
    if (sealed.has(this)) throw new TypeError("provenance answers cannot be changed");
    return super.add(s);
  }
  override delete(): boolean {
    throw new TypeError("provenance answers cannot be changed");
  }
  override clear(): void {
    throw new TypeError("provenance answers cannot be changed");
  }
}

/** No source: the answer for a value with a word no text contains. */
const NO_SOURCES: ReadonlySet<string> = new Sources([]);

/** How many values' words are remembered (then the memo starts afresh). */
const WORDS_MEMO_SIZE = 4096;

/** The word → sources index of one session. */
export class ProvenanceIndex {
  /** word → its one source, or the set of its sources (most words occur in one source: no set for them). */
  readonly #index = new Map<string, string | Set<string>>();
  /** Each source name stored once, however many words and texts refer to it. */
  readonly #sources = new Map<string, string>();
  /**
   * The words of string values already asked about: several rules of a decision (and later decisions) usually
   * ask about the same recipient, so it is split into words once. A value's words never change, so the memo
   * outlives new texts arriving.
   */
  readonly #words = new Map<string, readonly string[]>();
  /**
   * The answers for string values since the index last changed: rules of a decision (and the next decisions, until
   * a new text arrives) ask about the same recipient or body again. Cleared by add(); callers only read the sets.
   */
  readonly #answers = new Map<string, ReadonlySet<string>>();

  /** Index a text as coming from `source` ("request" or "tool:<name>"). */
  add(source: string, text: string): void {
    this.#answers.clear();
    let src = this.#sources.get(source);
    if (src === undefined) this.#sources.set(source, (src = source));
    for (const w of sourceWords(text)) {
      const s = this.#index.get(w);
      if (s === undefined) this.#index.set(w, src);
      else if (typeof s !== "string") s.add(src);
      else if (s !== src) this.#index.set(w, new Set([s, src]));
    }
  }

  /** Sources every word of the value occurs in; for a list, the sources every element came from. */
  sourcesOf(value: unknown): ReadonlySet<string> {
    if (value === null || value === undefined) return ALL_SOURCES;
    if (Array.isArray(value)) {
      if (value.length === 0) return ALL_SOURCES;
      let acc: Set<string> | undefined;
      for (const x of value) {
        const s = this.sourcesOf(x);
        if (s === ALL_SOURCES) continue;
        acc = acc ? new Set([...acc].filter((a) => s.has(a))) : new Set(s);
      }
      return acc ?? ALL_SOURCES;
    }
    if (typeof value === "string") {
      let hit = this.#answers.get(value);
      if (hit === undefined) {
        if (this.#answers.size >= WORDS_MEMO_SIZE) this.#answers.clear();
        hit = this.#sourcesOfWords(this.#wordsOf(value));
        this.#answers.set(value, hit);
      }
      return hit;
    }
    return this.#sourcesOfWords(words(textOf(value)));
  }

  #sourcesOfWords(ws: readonly string[]): ReadonlySet<string> {
    if (ws.length === 0) return NO_SOURCES;
    // The answer is the intersection of the words' sources: take the smallest, keep what every other word has.
    const all: (string | Set<string>)[] = [];
    let smallest: string | Set<string> | undefined;
    for (const w of ws) {
      const s = this.#index.get(w);
      if (s === undefined) return NO_SOURCES;
      all.push(s);
      if (smallest === undefined || typeof s === "string" || (typeof smallest !== "string" && s.size < smallest.size)) {
        smallest = s;
      }
    }
    const out: string[] = [];
    for (const c of typeof smallest === "string" ? [smallest] : smallest!) {
      if (all.every((s) => (typeof s === "string" ? s === c : s.has(c)))) out.push(c);
    }
    return new Sources(out);
  }

  #wordsOf(text: string): readonly string[] {
    let ws = this.#words.get(text);
    if (ws === undefined) {
      if (this.#words.size >= WORDS_MEMO_SIZE) this.#words.clear();
      ws = words(text);
      this.#words.set(text, ws);
    }
    return ws;
  }
}
