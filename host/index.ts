/**
 * host/ (`aarm/host` in the package): the Node edge of the runtime — what touches files, keys, the network and the
 * kernel, kept out of runtime/ so that the decision path runs anywhere. A Node host embeds the runtime
 * (`aarm/runtime`) with these: a bundle folder read and verified, key files, a receipt signer on node:crypto, the
 * append-only receipt file with its fsync policy, and the approval service's loopback HTTP endpoint.
 */
export { readBundleDir, loadBundleDir } from "./bundle.js";
export { KeyFileError, readSecretKey, readPublicKey, readKeyDir, writeNewKeyPair } from "./keys.js";
export { installNodeCrypto, nodeSha256Hex, nodeSha256BytesHex } from "./node-crypto.js";
export { nodeSigner, type SyncSigner } from "./node-signer.js";
export {
  DEFAULT_KEY_RECHECK_MS,
  keyFileSigner,
  type KeyFileSigner,
  type KeyFileSignerOptions,
} from "./signing-key.js";
export {
  openReceiptFile,
  ReceiptFileError,
  type FsyncPolicy,
  type ReceiptFile,
  type ReceiptFileOptions,
  type TornLine,
} from "./receipt-file.js";
export {
  DEFAULT_APPROVALS_PORT,
  ApprovalServerError,
  isLoopback,
  startApprovalServer,
  type ApprovalServer,
  type ApprovalServerOptions,
} from "./approvals-http.js";
