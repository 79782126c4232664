import { describe, expect, it } from "vitest";
import { c, cComment, cInt, cName, cString } from "./code.js";

describe("the C builder (injection-safe)", () => {
  it("escapes every unsafe byte of a string as a three-digit octal escape", () => {
    expect(cString('a"b\\c').text).toBe('"a\\042b\\134c"');
    expect(cString("??=").text).toBe('"\\077\\077="');
    expect(cString("\n\0é").text).toBe('"\\012\\000\\303\\251"');
    expect(cString('"; system("rm -rf /"); //').text).not.toMatch(/[^\\]"[^"]*"/);
  });

  it("a string cannot end the literal early, whatever it holds", () => {
    for (const s of ['"', '\\"', "\\", "*/", "\\x41B", "\u2028", "\r\n#define X 1"]) {
      const lit = cString(s).text;
      expect(lit.startsWith('"') && lit.endsWith('"')).toBe(true);
      expect(lit.slice(1, -1)).toMatch(/^(?:[ -!#->@-[\]-~]|\\[0-7]{3})*$/);
    }
  });

  it("names are validated and prefixed", () => {
    expect(cName("rules").text).toBe("pl_rules");
    expect(() => cName("a-b")).toThrow(/invalid C identifier/);
    expect(() => cName("x; int y")).toThrow();
  });

  it("integers are range-checked and typed", () => {
    expect(cInt(7, "__u32").text).toBe("7U");
    expect(cInt(2 ** 40, "__u64").text).toBe("1099511627776ULL");
    expect(cInt(-3, "__s32").text).toBe("(-3)");
    expect(() => cInt(2 ** 32, "__u32")).toThrow();
    expect(() => cInt(1.5, "__u32")).toThrow();
    expect(() => cInt(-1, "__u8")).toThrow();
  });

  it("comments cannot be closed or nested from the text", () => {
    expect(cComment("a */ int x; /* b\nc").text).toBe("/* a * / int x; / * b c */");
  });

  it("the tag refuses raw strings and numbers", () => {
    expect(c`int ${cName("x")} = ${cInt(1, "__s32")};`.text).toBe("int pl_x = 1;");
    expect(() => c`${"raw" as never}`).toThrow(/cannot interpolate/);
    expect(() => c`${1 as never}`).toThrow(/cannot interpolate/);
  });
});
