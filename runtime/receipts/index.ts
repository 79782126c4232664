/**
 * Signed, hash-chained receipts (AARM R5; docs/receipts.md): the draft contract, the format, the writer, sinks
 * and offline verification.
 */
export type * from "./draft.js";
export { GENESIS, RECEIPT_VERSION, ReceiptSchema, ReceiptDraftSchema, type Receipt } from "./schema.js";
export { receiptHash, receiptLine, signedBytes } from "./chain.js";
export {
  EMPTY_HEAD,
  ReceiptSinkError,
  callbackSink,
  memorySink,
  orderedSink,
  type ChainHead,
  type ReceiptEntry,
  type ReceiptSink,
} from "./sink.js";
export {
  ReceiptWriteError,
  createReceiptWriter,
  type ChainedReceiptWriter,
  type ReceiptWriterOptions,
} from "./writer.js";
export {
  verifyReceiptLines,
  verifyReceiptText,
  type ReceiptError,
  type ReceiptProblem,
  type VerifyOptions,
  type VerifyResult,
} from "./verify.js";
