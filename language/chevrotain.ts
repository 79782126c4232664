/**
 * The one place language/ gets Chevrotain's runtime values from (types still come from "chevrotain").
 *
 * Chevrotain's package entry loads its sources as hundreds of small ES modules (lodash-es one function per file),
 * which costs about 0.3 s of CPU before `aarm` can do anything. The package also ships the same release as one
 * bundled file (`lib/chevrotain.mjs`, listed in its published files), which loads in about 15 ms. Its `exports`
 * map does not name that file, so it is found next to the entry Node resolves. Every language/ module must take
 * Chevrotain from here: tokens, lexer and parser have to come from one copy of the library.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import type * as ChevrotainApi from "chevrotain";

async function load(): Promise<typeof ChevrotainApi> {
  const entry = pathToFileURL(createRequire(import.meta.url).resolve("chevrotain"));
  const bundle = new URL("../chevrotain.mjs", entry);
  if (existsSync(bundle)) return (await import(bundle.href)) as typeof ChevrotainApi;
  return import("chevrotain");
}

const chevrotain = await load();

export const { CstParser, Lexer, createToken, defaultParserErrorProvider, generateCstDts } = chevrotain;
