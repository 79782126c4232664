/**
 * The C builder shared by native targets (targets/bpf).
 */
export {
  c,
  C_PREFIX,
  cComment,
  CCode,
  cInt,
  cLines,
  CName,
  cName,
  cString,
  type CInterpolable,
} from "./code.js";
