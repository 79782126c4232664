/**
 * sessions/: recorded agent sessions — the JSONL format (format.ts, parse.ts, write.ts), importers from MCP
 * message logs and from AgentDojo, replaying a session through a loaded policy (replay.ts), and scoring replays of
 * AgentDojo sessions (efficacy.ts: attacks stopped, benign sessions interrupted). It builds on
 * runtime/ only, so a host or a benchmark can replay sessions without the compiler.
 */
export * from "./format.js";
export { parseSessions, type FormatIssue, type ParseResult } from "./parse.js";
export { formatSessions } from "./write.js";
export { importMcpLog, type McpLogOptions } from "./mcp-log.js";
export { AgentDojoRecord, importAgentDojo, isSuccessfulAttack, type AgentDojoOptions } from "./agentdojo.js";
export { DEFAULT_START, replaySession, type ReplayedAction, type ReplayFailure, type ReplayOptions, type SessionReplay } from "./replay.js";
export {
  attackChain,
  classify,
  injectionGoals,
  normalizeText,
  scoreSession,
  tally,
  type AttackChain,
  type BlockedAction,
  type SessionClass,
  type SessionOutcome,
  type Tally,
} from "./efficacy.js";
export { parseTestFile, TestFile, type TestFileResult } from "./testfile.js";
export { runTests, type TestOutcome, type TestRun, type TestSource } from "./run-tests.js";
export { CoverageCollector, type CoverageReport, type ConditionCoverage, type RuleCoverage } from "./coverage.js";
export { atomsOf, irText, policyAtoms, policyText, type PolicyText } from "./conditions.js";
