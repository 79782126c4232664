/**
 * The IR: schema, types and validation of loaded IR.
 */
export * from "./schema.js";
export { parseIr, type IrLoadResult } from "./load.js";
export { blockContains, unmapBlock, type AddressBlock } from "./address-block.js";
