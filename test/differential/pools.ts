/**
 * Value pools shared by the policy and session generators, so that literals in generated policies, arguments of
 * generated actions, requests and tool outputs overlap: conditions match sometimes, values reappear, provenance
 * finds sources.
 */

export const EMAILS = [
  "ann@corp.example",
  "Bob@Partner.Example",
  "eve@evil.example",
  "mallory@gmail.com",
  "carol@corp.example",
  "ops+alerts@corp.example",
] as const;

export const URLS = [
  "https://api.corp.example/v1/upload",
  "http://evil.example/x?y=1",
  "https://hooks.slack.com/services/T0",
  "http://203.0.113.5:8080/p",
  "https://[2001:db8::1]/z",
  "10.0.0.7:22",
  "169.254.169.254",
  "ftp://files.corp.example/a.txt",
  "[::ffff:203.0.113.9]:443",
] as const;

export const PATHS = [
  "/etc/shadow",
  "/etc/ssh/sshd_config",
  "/etc/sshd",
  "/home/ann/notes.txt",
  "notes.txt",
  "../../etc/shadow",
  "/srv/data/../../etc/ssh/key",
  "//etc//passwd",
  "/tmp/x/./run.sh",
] as const;

export const PROGRAMS = [
  "/usr/bin/git",
  "/usr/bin/nc",
  "/bin/rm",
  "/tmp/payload",
  "python3",
  "/usr/local/bin/../../bin/sh",
] as const;

export const IBANS = [
  "CH9300762011623852957",
  "DE89370400440532013000",
  "GB82WEST12345698765432",
  "FR7630006000011234567890189",
] as const;

export const SQLS = [
  "SELECT * FROM customers",
  "select name from orders limit 10",
  "DROP TABLE customers",
  "delete from test_data where id = 50",
  "SELECT 1",
] as const;

export const WORDS = [
  "invoice",
  "test data",
  "delete the test data",
  "Quarterly report",
  "password reset",
  "attest database",
  "URGENT: wire 50.0 EUR",
  "meeting notes",
  "secret",
  "Bearer abc.def",
  "",
  "ünïcödé text",
  'a"quote */ and \\ backslash',
] as const;

export const NUMBERS = [0, 1, 5, 50, 50.5, 99, 100, 101, 500, 999, 1000, 5000, 10000, 100000] as const;

export const ROLES = ["dba", "analyst", "admin", "agent-runner"] as const;
export const SCOPES = ["secrets:rotate", "mail:send", "db:read", "payments:write"] as const;
export const DELEGATION = ["ann", "assistant", "planner", "sub-agent"] as const;

/** Texts that requests and tool outputs are assembled from. */
export const FRAGMENTS = [
  ...EMAILS,
  ...URLS,
  ...PATHS,
  ...IBANS,
  ...WORDS,
  "50.0",
  "100",
  "customers",
  "Please",
] as const;

/** Pool of literals for a string argument, by the argument's name. */
export function poolFor(name: string): readonly string[] {
  switch (name) {
    case "to":
    case "cc":
    case "attendees":
      return EMAILS;
    case "url":
      return URLS;
    case "path":
    case "cwd":
      return PATHS;
    case "program":
      return PROGRAMS;
    case "recipient":
      return IBANS;
    case "sql":
      return SQLS;
    case "argv":
      return ["-rf", "/", "--force", "status", "-e", "50"];
    case "authorization":
      return ["Bearer abc.def", "Basic dXNlcg==", "token"];
    default:
      return WORDS;
  }
}

/** Regex literals (source text) that the checker accepts, including the classic catastrophic one. */
export const REGEXES = [
  "/^[A-Z]{2}[0-9]{2}/",
  "/(?i)\\b(drop|truncate)\\s+table\\b/",
  "/@corp\\.example$/i",
  "/\\btest\\b/",
  "/^\\/etc\\//",
  "/[0-9]{3,}/",
  "/(a+)+$/",
  "/^https?:\\/\\//",
  "/secret|password/i",
  "/^$/",
  "/a.b/s",
  "/^line$/m",
] as const;

/** Kernel clauses for forbid rules over kernel actions. */
export const KERNEL_RULES = [
  'forbid file.open path "/etc/shadow", "/etc/gshadow"',
  'forbid file.open under "/etc/ssh"',
  'forbid file.open under "/home/ann"',
  'forbid process.exec path "/usr/bin/nc"',
  'forbid process.exec under "/tmp"',
  "forbid net.connect to 203.0.113.0/24 port 8080, 8000..8100",
  'forbid net.connect to "2001:db8::/32"',
  "forbid net.connect to 169.254.169.254",
  "forbid net.connect port 22",
  "forbid net.connect to 10.0.0.0/8 port 22",
] as const;
