/** `aarm` run from the TypeScript sources (no build needed): `node --import tsx bench/aarm-cli.ts gateway ...`. */
import { main } from "../cli/index.js";

await main("aarm");
