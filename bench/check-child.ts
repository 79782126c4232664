/**
 * A cold `aarm check` in a fresh process, for the compiler suite (bench/suites/compiler.ts):
 *
 *     node --import tsx bench/check-child.ts FILE
 *
 * runs the command as a user does, through the process entry (`main`, which also picks V8's tier for it), and
 * prints one JSON line: the CPU time loading the command's modules took (here through tsx's loader, so an upper
 * bound), then the command's own wall and CPU time. Node's start-up is not included. Nothing else is imported
 * first, so the loading figure is the command's own.
 */
import { main } from "../cli/main.js";

const file = process.argv[2];
if (file === undefined) throw new Error("usage: check-child.ts FILE");
const l0 = process.cpuUsage();
await import("../cli/check.js");
const load = process.cpuUsage(l0);
const c0 = process.cpuUsage();
const t0 = performance.now();
await main("aarm", ["check", "--quiet", file]);
const ms = performance.now() - t0;
const cpu = process.cpuUsage(c0);
if (process.exitCode !== 0) throw new Error(`aarm check failed (${String(process.exitCode)})`);
process.stdout.write(
  `${JSON.stringify({ ms, cpuMs: (cpu.user + cpu.system) / 1000, loadCpuMs: (load.user + load.system) / 1000 })}\n`,
);
