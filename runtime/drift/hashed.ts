/**
 * The built-in embedder: no network, no model file, deterministic. A text becomes a bag of features hashed into a
 * fixed number of dimensions (the "hashing trick"):
 *
 * - every word (letters and digits, lower-cased, Unicode-normalised, common English function words dropped);
 * - every character trigram of each alphabetic word, with word-boundary marks (`<pa`, `pay`, `ay>`), so that
 *   "payment" and "pay", "schedule" and "scheduled" share features;
 *
 * weighted TF-IDF style: a term seen n times counts 1 + ln n (sublinear), times its inverse document frequency
 * when a corpus was given (none by default: every word weighs the same), and the trigrams of one word together
 * weigh `ngramWeight` relative to the word. It measures shared vocabulary, not meaning: see docs/drift.md.
 */
import type { Embedder } from "./embedder.js";
import { DriftError } from "./vector.js";

/** English function words, and the URL parts that carry no meaning. */
const STOPWORDS = new Set(
  (
    "a an the and or but if then else of to in on at by for with from into onto about as is are was were be been " +
    "being am do does did have has had i me my mine myself we us our ours you your yours he him his she her hers it " +
    "its they them their theirs this that these those there here what which who whom whose when where why how all " +
    "any both each few more most other some such no nor not only own same so than too very can could will would " +
    "shall should may might must just also please thanks thank hi hello dear let lets get got make sure " +
    "http https www com org net html"
  ).split(" "),
);

export interface HashedOptions {
  /** Number of dimensions (a power of two). Default 4096. */
  readonly dimensions?: number;
  /** Total weight of a word's character trigrams relative to the word itself. Default 2 (see docs/drift.md). */
  readonly ngramWeight?: number;
  /** Texts to learn inverse document frequencies from (e.g. past requests and tool descriptions). Default none. */
  readonly corpus?: readonly string[];
}

/** 32-bit FNV-1a over UTF-16 code units. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** The words of a text: lower-cased runs of letters and digits, without function words and single characters. */
export function words(text: string): string[] {
  const out: string[] = [];
  for (const m of text
    .normalize("NFKC")
    .toLowerCase()
    .matchAll(/[\p{L}\p{N}]+/gu)) {
    const w = m[0];
    if (w.length > 1 && !STOPWORDS.has(w)) out.push(w);
  }
  return out;
}

function trigrams(word: string): string[] {
  if (!/^\p{L}+$/u.test(word)) return []; // numbers, codes and IBANs: only as whole words
  const w = `<${word}>`;
  const out: string[] = [];
  for (let i = 0; i + 3 <= w.length; i++) out.push(w.slice(i, i + 3));
  return out;
}

/** The default embedder (see the file comment). Throws a DriftError on invalid options. */
export function hashedEmbedder(options: HashedOptions = {}): Embedder {
  const dims = options.dimensions ?? 4096;
  const ngramWeight = options.ngramWeight ?? 2;
  if (!Number.isInteger(dims) || dims < 2 || (dims & (dims - 1)) !== 0 || dims > 1 << 20) {
    throw new DriftError(`dimensions must be a power of two between 2 and 2^20, got ${dims}`);
  }
  if (!(ngramWeight >= 0 && ngramWeight <= 10))
    throw new DriftError(`ngramWeight must be between 0 and 10, got ${ngramWeight}`);
  const corpus = options.corpus ?? [];
  const df = new Map<string, number>();
  for (const doc of corpus) for (const w of new Set(words(doc))) df.set(w, (df.get(w) ?? 0) + 1);
  const idf = (w: string): number =>
    corpus.length === 0 ? 1 : Math.log((1 + corpus.length) / (1 + (df.get(w) ?? 0))) + 1;
  return {
    id: `hashed-v1(d=${dims},ngram=${ngramWeight}${corpus.length > 0 ? `,idf=${corpus.length}` : ""})`,
    embed(text) {
      const counts = new Map<string, number>();
      for (const w of words(text)) counts.set(w, (counts.get(w) ?? 0) + 1);
      const v = new Float64Array(dims);
      for (const [w, n] of counts) {
        const weight = (1 + Math.log(n)) * idf(w);
        v[fnv1a(`w:${w}`) & (dims - 1)]! += weight;
        const grams = trigrams(w);
        if (ngramWeight === 0 || grams.length === 0) continue;
        const each = (weight * ngramWeight) / Math.sqrt(grams.length);
        for (const g of grams) v[fnv1a(`g:${g}`) & (dims - 1)]! += each;
      }
      return v;
    },
  };
}
