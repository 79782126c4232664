/**
 * The kernel target: IR → map contents (maps.json for people, maps.bin for the loader), the C program (the
 * templates of bpf-templates/ with their slots filled) and the list of what the kernel enforces.
 */
import type { IrPolicy } from "../../runtime/ir/index.js";
import { encodeMaps } from "./encode.js";
import { fragments } from "./fragments.js";
import { type KernelMaps, lowerMaps, type PortsetOverflow } from "./maps.js";
import { type KernelReport, kernelReport, reportSummary, reportText } from "./report.js";
import { fillTemplate, readTemplate } from "./template.js";

export { decodeMaps, encodeMaps, mapRecords, type MapRecord } from "./encode.js";
export { type KernelMaps, type KernelRule, lowerMaps } from "./maps.js";
export { type KernelReport, reportSummary } from "./report.js";
export * from "./layout.js";

/** The kernel artifacts of a policy: bundle file name → contents. */
export interface KernelArtifacts {
  readonly files: ReadonlyMap<string, string | Uint8Array>;
  readonly maps: KernelMaps;
  readonly report: KernelReport;
  readonly summary: string;
  readonly overflows: readonly PortsetOverflow[];
}

/** The files of the kernel target inside a bundle. */
export const KERNEL_FILES = {
  mapsJson: "kernel/maps.json",
  mapsBin: "kernel/maps.bin",
  program: "kernel/policy.bpf.c",
  header: "kernel/aarm-kernel.h",
  enforced: "kernel/enforced.txt",
} as const;

/** maps.json: indented, with arrays of numbers (addresses, spans) on one line. */
function mapsJson(maps: KernelMaps): string {
  const text = JSON.stringify(maps, null, 2).replace(
    /\[\s+(-?\d+(?:,\s+-?\d+)*)\s+\]/g,
    (_m, inner: string) => `[${inner.split(/,\s+/).join(", ")}]`,
  );
  return `${text}\n`;
}

/** Lower a policy to its kernel artifacts. `generator` names the compiler in the generated file's header. */
export function emitKernel(ir: IrPolicy, generator: string): KernelArtifacts {
  const { maps, overflows } = lowerMaps(ir);
  const report = kernelReport(ir, maps);
  const program = fillTemplate(readTemplate("policy.bpf.c"), fragments(maps, generator));
  const files = new Map<string, string | Uint8Array>([
    [KERNEL_FILES.mapsJson, mapsJson(maps)],
    [KERNEL_FILES.mapsBin, encodeMaps(maps)],
    [KERNEL_FILES.program, program],
    [KERNEL_FILES.header, readTemplate("aarm-kernel.h")],
    [KERNEL_FILES.enforced, reportText(ir, report)],
  ]);
  return { files, maps, report, summary: reportSummary(report), overflows };
}
