/**
 * Semantic drift (AARM R7): how far each action, and the session as a whole, has moved from the user's request.
 * See docs/drift.md.
 */
export { cachedEmbedder, type AsyncEmbedder, type CacheOptions, type Embedder } from "./embedder.js";
export { hashedEmbedder, words, type HashedOptions } from "./hashed.js";
export { DriftModel, driftModel, type DriftModelOptions, type ToolDescription } from "./model.js";
export { identifierWords, MAX_TEXT, renderAction } from "./text.js";
export { DriftTracker, type DriftReading } from "./tracker.js";
export { cosineDistance, DriftError, type Vector } from "./vector.js";
export { withSessionDrift } from "./view.js";
