/**
 * Is parsing linear in the size of the policy? Generates policies of 10 KB, 100 KB, 1 MB and 10 MB from a
 * realistic mix of declarations and rules, parses each several times, and prints the median time per KB for
 * each size and the ratio of the largest to the smallest (near 1 when parsing is linear).
 *
 *     npx tsx bench/parse-linear.ts          # table
 *     npx tsx bench/parse-linear.ts --json   # machine-readable
 *     npx tsx bench/parse-linear.ts --sizes 10:31,100:15   # other sizes (KB) and runs
 *
 * Times are wall-clock medians after a warm-up; CPU time (user + system, GC threads included) is shown too
 * because it is steadier on a busy machine. Run under tsx the numbers include its transpilation overhead.
 */
import { makeSource, parse } from "../language/index.js";
import { random } from "./workload/random.js";

/** One measured size. */
export interface SizeResult {
  readonly targetKb: number;
  readonly bytes: number;
  readonly rules: number;
  readonly runs: number;
  readonly medianMs: number;
  readonly msPerKb: number;
  readonly cpuMsPerKb: number;
}

const HEADER = `policy "bench" version "1.0.0"
default deny
tools from "./tools.json" as db
levels PUBLIC < INTERNAL < CONFIDENTIAL < RESTRICTED
labels PII, PHI, FINANCIAL
context maintenance_window: bool, env: "prod" | "staging", confidence: number
bind read_file(path) to file.open
`;

/** Rule templates; `$n` is a running number, `$t` a tool, `$d` a domain, `$k` a small number. */
const TEMPLATES: readonly string[] = [
  'const internal_$n = ["corp$n.example", "partner$n.example", "$d"]',
  'on result db.query_$n when args.table in ["customers", "t$n"] { label PII, CONFIDENTIAL }',
  'validate $t { args.amount > 0 and args.amount <= $k000 because "amount range", args.recipient matches /^[A-Z]{2}$n/ }',
  '@id("no-drop-$n") forbid db.query_$n when args.sql matches /(?i)\\bdrop\\s+(database|table)\\b/ because "destructive SQL"',
  'forbid file.open path "/etc/shadow$n", "/etc/gshadow"',
  'forbid net.connect to 203.0.$k.0/24, "2001:db8::/32" port 22, 8000..8100',
  'deny $t when session.labels has PII and any domain(args.to) not in internal_$n because "external mail $n"',
  'deny $t when provenance(args.recipient) excludes request because "recipient did not come from the user"',
  '@priority($k) step_up db.delete_$n when args.table startsWith "test_" and request mentions "test data"\n' +
    '    approvers any ["security-oncall"] timeout 10m escalate to ["backup"] after 5m',
  "defer credentials.rotate_$n when context.maintenance_window is unknown timeout 5m",
  "modify db.query_$n when args.limit > 100 { set args.limit = 100; cap args.rows at $k; redact args.body }",
  "deny * when count(email.send within 1h) >= $k or sequence(db.query_$n, http.post within 10m) or seen(calendar.*)",
  "deny $t when provenance(args.body) has any [result(get_webpage), request] and not (drift < 0.$k)",
  "allow email.send, calendar.*, db.query_$n // routine tools",
  '/* block comment $n */ allow $t when identity.role == "reader" and identity.scopes has all ["read"]',
];

const TOOLS = ["send_money", "email.send", "db.query", "http.post", "files.write", "calendar.create"];
const DOMAINS = ["example.com", "example.org", "corp.example", "mail.example.net"];

/** A policy of at least `bytes` UTF-16 code units built from the rule mix (deterministic for a seed). */
export function generatePolicy(bytes: number, seed = 1): { readonly text: string; readonly rules: number } {
  const next = random(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  const parts = [HEADER];
  let size = HEADER.length;
  let n = 0;
  while (size < bytes) {
    const line = pick(TEMPLATES)
      .replaceAll("$n", String(n))
      .replaceAll("$t", pick(TOOLS))
      .replaceAll("$d", pick(DOMAINS))
      .replaceAll("$k", String(1 + Math.floor(next() * 99)));
    parts.push(line, "\n");
    size += line.length + 1;
    n++;
  }
  return { text: parts.join(""), rules: n };
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Parse a policy of about `targetKb` KB `runs` times; throws if the generated policy has diagnostics. */
export function measure(targetKb: number, runs: number): SizeResult {
  const { text, rules } = generatePolicy(targetKb * 1024);
  const source = makeSource("bench.aarm", text);
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const r = parse(source);
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
    if (r.diagnostics.length > 0)
      throw new Error(`generated policy has diagnostics: ${r.diagnostics[0]!.message}`);
  }
  const kb = text.length / 1024;
  const medianMs = median(wall);
  return {
    targetKb,
    bytes: text.length,
    rules,
    runs,
    medianMs,
    msPerKb: medianMs / kb,
    cpuMsPerKb: median(cpu) / kb,
  };
}

/** Measure every size; `ratio` is ms/KB of the largest size over ms/KB of the smallest (`cpuRatio`: CPU time). */
export function run(sizes: readonly (readonly [kb: number, runs: number])[]): {
  results: SizeResult[];
  ratio: number;
  cpuRatio: number;
} {
  for (let i = 0; i < 5; i++) parse(makeSource("warmup.aarm", generatePolicy(200 * 1024, 99).text));
  const results = sizes.map(([kb, runs]) => measure(kb, runs));
  const first = results[0]!;
  const last = results[results.length - 1]!;
  return { results, ratio: last.msPerKb / first.msPerKb, cpuRatio: last.cpuMsPerKb / first.cpuMsPerKb };
}

const SIZES: readonly (readonly [number, number])[] = [
  [10, 31],
  [100, 15],
  [1024, 7],
  [10 * 1024, 3],
];

/** `--sizes 10:31,100:15`: sizes in KB and how many runs of each (default SIZES). */
function sizesOption(argv: readonly string[]): readonly (readonly [number, number])[] {
  const i = argv.indexOf("--sizes");
  if (i < 0) return SIZES;
  const sizes = (argv[i + 1] ?? "").split(",").map((pair) => pair.split(":").map(Number) as [number, number]);
  if (sizes.length === 0 || sizes.some((p) => p.length !== 2 || !p.every((n) => Number.isInteger(n) && n > 0)))
    throw new Error("--sizes takes KB:RUNS pairs separated by commas, e.g. 10:31,100:15");
  return sizes;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split(/[\\/]/).pop() ?? "")) {
  let sizes: readonly (readonly [number, number])[] = SIZES;
  try {
    sizes = sizesOption(process.argv);
  } catch (e) {
    console.error(`parse-linear: ${(e as Error).message}`);
    process.exit(2);
  }
  const { results, ratio, cpuRatio } = run(sizes);
  if (process.argv.includes("--json")) {
    // One line: the benchmark's compiler suite reads the last line of a child's output.
    const maxRssMb = process.resourceUsage().maxRSS / 1024;
    console.log(JSON.stringify({ node: process.version, results, ratio, cpuRatio, maxRssMb }));
  } else {
    console.log("size        bytes      rules  runs  median ms   ms/KB  cpu ms/KB");
    for (const r of results) {
      const size = r.targetKb >= 1024 ? `${r.targetKb / 1024} MB` : `${r.targetKb} KB`;
      console.log(
        `${size.padEnd(8)} ${String(r.bytes).padStart(9)} ${String(r.rules).padStart(9)} ${String(r.runs).padStart(5)}` +
          ` ${r.medianMs.toFixed(1).padStart(10)} ${r.msPerKb.toFixed(3).padStart(7)} ${r.cpuMsPerKb.toFixed(3).padStart(10)}`,
      );
    }
    console.log(
      `ratio of ms/KB, largest / smallest: ${ratio.toFixed(2)} wall, ${cpuRatio.toFixed(2)} CPU (1.0 = linear)`,
    );
    console.log(`peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
  }
}
