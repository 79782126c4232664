/**
 * The fixed sizes shared by the map contents (targets/bpf), the binary encoder, the simulator and the
 * hand-written programs in bpf-templates/aarm-maps.h. Changing one here means changing it there.
 */

/** Size of a path key: a path of at most 255 UTF-8 bytes, zero-padded (see AARM4001). */
export const PATH_KEY_BYTES = 256;
/** Port ranges one port set can hold (the kernel loops over them). */
export const PORTSET_MAX_RANGES = 64;
/** Size of a rule-id value in aarm_rules (the id, zero-padded, truncated to 127 bytes). */
export const RULE_ID_BYTES = 128;
/** The rule index the kernel reports when it denies because a path could not be resolved (fail closed). */
export const RULE_UNRESOLVED = 0xffffffff;
/** The maps whose contents the compiler produces, by their names in the BPF object. */
export const MAP_NAMES = [
  "aarm_rules",
  "aarm_file_ino",
  "aarm_file_path",
  "aarm_file_dir",
  "aarm_exec_ino",
  "aarm_exec_path",
  "aarm_exec_dir",
  "aarm_net4",
  "aarm_net6",
  "aarm_portsets",
] as const;
export type MapName = (typeof MAP_NAMES)[number];

/** The three LSM hooks the kernel target attaches to. */
export type Hook = "file_open" | "bprm_check_security" | "socket_connect";
