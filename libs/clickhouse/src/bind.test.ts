import { AppError } from "@thinkwatch/errors";
import { describe, expect, it } from "vitest";
import { sql } from "./bind.js";

describe("sql() renders each parameter type as a CAST literal", () => {
  const cases: Array<[string, string, unknown, string]> = [
    ["String", "{v:String}", "it's", "CAST('it\\'s' AS String)"],
    ["String with backslash", "{v:String}", "a\\b", "CAST('a\\\\b' AS String)"],
    ["String with NUL and newline", "{v:String}", "a\u0000\nb", "CAST('a\\x00\\x0Ab' AS String)"],
    ["String with DEL", "{v:String}", "\u007f", "CAST('\\x7F' AS String)"],
    ["String keeps unicode as is", "{v:String}", "héllo 🦀 中文", "CAST('héllo 🦀 中文' AS String)"],
    ["FixedString", "{v:FixedString(4)}", "ab", "CAST('ab' AS FixedString(4))"],
    ["UInt8 from boolean", "{v:UInt8}", true, "CAST('1' AS UInt8)"],
    ["UInt64 maximum from bigint", "{v:UInt64}", 18_446_744_073_709_551_615n, "CAST('18446744073709551615' AS UInt64)"],
    ["UInt64 from decimal string", "{v:UInt64}", "42", "CAST('42' AS UInt64)"],
    ["Int64 minimum", "{v:Int64}", -9_223_372_036_854_775_808n, "CAST('-9223372036854775808' AS Int64)"],
    ["Int32 negative number", "{v:Int32}", -5, "CAST('-5' AS Int32)"],
    ["Float64", "{v:Float64}", 1.5, "CAST(1.5 AS Float64)"],
    ["Float64 negative exponent", "{v:Float64}", -1.5e-7, "CAST((-1.5e-7) AS Float64)"],
    ["Date from Date", "{v:Date}", new Date(Date.UTC(2024, 1, 29, 23, 59)), "CAST('2024-02-29' AS Date)"],
    ["Date from string", "{v:Date}", "2024-02-29", "CAST('2024-02-29' AS Date)"],
    [
      "DateTime from epoch ms is UTC",
      "{v:DateTime}",
      Date.UTC(2024, 0, 2, 3, 4, 5, 678),
      "CAST('2024-01-02 03:04:05' AS DateTime('UTC'))",
    ],
    [
      "DateTime with zone",
      "{v:DateTime('Europe/Berlin')}",
      "2024-01-02 03:04:05",
      "CAST('2024-01-02 03:04:05' AS DateTime('Europe/Berlin'))",
    ],
    [
      "UUID is lower-cased",
      "{v:UUID}",
      "0E3B1F4A-9C2D-4E5F-8A6B-7C8D9E0F1A2B",
      "CAST('0e3b1f4a-9c2d-4e5f-8a6b-7c8d9e0f1a2b' AS UUID)",
    ],
    ["Nullable null", "{v:Nullable(String)}", null, "CAST(NULL AS Nullable(String))"],
    ["Nullable value", "{v:Nullable(UInt32)}", 7, "CAST('7' AS Nullable(UInt32))"],
    ["Array", "{v:Array(String)}", ["a", "b'"], "CAST(['a', 'b\\''] AS Array(String))"],
    ["Array of Nullable", "{v:Array(Nullable(UInt16))}", [1, null], "CAST(['1', NULL] AS Array(Nullable(UInt16)))"],
    ["empty Array", "{v:Array(String)}", [], "CAST([] AS Array(String))"],
    ["Identifier", "{v:Identifier}", "gateway_logs", "`gateway_logs`"],
    ["qualified Identifier", "{v:Identifier}", "db1.t_2", "`db1`.`t_2`"],
  ];
  it.each(cases)("%s", (_name, template, value, expected) => {
    expect(sql(template, { v: value as never })).toBe(expected);
  });
});

describe("sql() after IN", () => {
  it("expands an array into a parenthesised list of CAST elements", () => {
    expect(sql("SELECT 1 WHERE x IN {ids:Array(UInt64)}", { ids: [1, "2"] })).toBe(
      "SELECT 1 WHERE x IN (CAST('1' AS UInt64), CAST('2' AS UInt64))",
    );
  });

  it("expands NOT IN the same way, case-insensitively", () => {
    expect(sql("x not in {s:Array(String)}", { s: ["a"] })).toBe("x not in (CAST('a' AS String))");
  });

  it("turns an empty array into a subquery that matches nothing instead of the invalid `IN ()`", () => {
    expect(sql("x IN {s:Array(String)}", { s: [] })).toBe("x IN (SELECT arrayJoin(CAST([] AS Array(String))))");
  });

  it("refuses a scalar type after IN", () => {
    expect(() => sql("x IN {s:String}", { s: "a" })).toThrow(/must be Array/);
  });

  it("leaves an array elsewhere as an array literal (e.g. for has())", () => {
    expect(sql("has({s:Array(String)}, x)", { s: ["a"] })).toBe("has(CAST(['a'] AS Array(String)), x)");
  });
});

describe("sql() binding rules", () => {
  it("binds in one pass: placeholder text inside a value is not substituted again", () => {
    expect(sql("{a:String} {b:String}", { a: "{b:String}", b: "x" })).toBe("CAST('{b:String}' AS String) CAST('x' AS String)");
  });

  it("binds the same parameter at several places", () => {
    expect(sql("{a:UInt8} + {a:UInt8}", { a: 1 })).toBe("CAST('1' AS UInt8) + CAST('1' AS UInt8)");
  });

  it("leaves a template without placeholders unchanged", () => {
    expect(sql("SELECT '{not a placeholder}'")).toBe("SELECT '{not a placeholder}'");
  });

  const rejected: Array<[string, string, Record<string, unknown>, RegExp]> = [
    ["a missing value", "{a:String}", {}, /"a" has no value/],
    ["a value without placeholder", "{a:String}", { a: "x", b: "y" }, /without a placeholder: b/],
    ["an unknown type", "{a:Decimal(10,2)}", { a: 1 }, /unsupported ClickHouse parameter type "Decimal\(10,2\)"/],
    ["a quote in a DateTime zone", "{a:DateTime('UTC'') --')}", { a: 0 }, /unsupported ClickHouse parameter type/],
    ["a number for String", "{a:String}", { a: 1 }, /expected a string/],
    ["a string for UInt32", "{a:UInt32}", { a: "1; DROP TABLE x" }, /expected a whole number/],
    ["a fraction for an integer", "{a:Int32}", { a: 1.5 }, /expected a whole number/],
    ["an unsafe JS integer", "{a:UInt64}", { a: 2 ** 60 }, /expected a whole number/],
    ["a negative UInt", "{a:UInt16}", { a: -1 }, /out of range 0…65535/],
    ["UInt8 overflow", "{a:UInt8}", { a: 256 }, /out of range 0…255/],
    ["UInt64 overflow", "{a:UInt64}", { a: 18_446_744_073_709_551_616n }, /out of range/],
    ["NaN", "{a:Float64}", { a: Number.NaN }, /finite number/],
    ["Infinity", "{a:Float32}", { a: Number.POSITIVE_INFINITY }, /finite number/],
    ["null without Nullable", "{a:String}", { a: null }, /needs a Nullable/],
    ["an impossible date", "{a:Date}", { a: "2023-02-29" }, /not a valid calendar date/],
    ["a DateTime with ISO T/Z", "{a:DateTime}", { a: "2024-01-02T03:04:05Z" }, /not a ClickHouse Date\/DateTime/],
    ["a Date given a DateTime string", "{a:Date}", { a: "2024-01-02 03:04:05" }, /expected a Date, epoch ms or 'YYYY-MM-DD'/],
    ["a DateTime before 1970", "{a:DateTime}", { a: Date.UTC(1969, 11, 31) }, /outside 1970-01-01/],
    ["an invalid Date object", "{a:DateTime}", { a: new Date("nope") }, /outside 1970-01-01/],
    ["a malformed UUID", "{a:UUID}", { a: "0e3b1f4a' OR 1=1" }, /expected a UUID/],
    ["a FixedString that is too long in bytes", "{a:FixedString(2)}", { a: "é€" }, /longer than 2 bytes/],
    ["an identifier with a backquote", "{a:Identifier}", { a: "t` ; DROP TABLE x; --" }, /not an allowed identifier/],
    ["an identifier with three parts", "{a:Identifier}", { a: "a.b.c" }, /not an allowed identifier/],
    ["an identifier starting with a digit", "{a:Identifier}", { a: "1abc" }, /not an allowed identifier/],
    ["a scalar for Array", "{a:Array(String)}", { a: "x" }, /expected an array/],
    ["a bad array element", "{a:Array(UInt8)}", { a: [1, "x"] }, /expected a whole number/],
    ["an unpaired surrogate", "{a:String}", { a: "a\ud800b" }, /unpaired UTF-16 surrogate/],
  ];
  it.each(rejected)("rejects %s", (_name, template, params, message) => {
    let thrown: unknown;
    try {
      sql(template, params as never);
    } catch (caught) {
      thrown = caught;
    }
    expect(thrown).toBeInstanceOf(AppError);
    expect((thrown as AppError).message).toMatch(message);
  });

  it("reports bad values as validation_failed naming the parameter, template mistakes as internal", () => {
    const valueError = (() => {
      try {
        sql("{count:UInt8}", { count: 300 });
      } catch (caught) {
        return caught as AppError;
      }
    })();
    expect(valueError?.code).toBe("validation_failed");
    expect(valueError?.details).toEqual({ param: "count" });
    expect(() => sql("{a:String}", {})).toThrow(expect.objectContaining({ code: "internal" }));
  });

  it("accepts a properly paired surrogate pair (an emoji)", () => {
    expect(sql("{a:String}", { a: "\ud83e\udd80" })).toBe("CAST('🦀' AS String)");
  });
});
