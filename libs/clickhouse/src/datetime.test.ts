import { describe, expect, it } from "vitest";
import { MAX_DATETIME_MS, parseClickHouseDateTime, toClickHouseDate, toClickHouseDateTime } from "./datetime.js";

describe("toClickHouseDateTime / toClickHouseDate", () => {
  const cases: Array<[string, Date | number, string, string]> = [
    ["the epoch", 0, "1970-01-01 00:00:00", "1970-01-01"],
    ["epoch ms, truncating milliseconds", Date.UTC(2024, 0, 2, 3, 4, 5, 999), "2024-01-02 03:04:05", "2024-01-02"],
    ["a Date object, in UTC not local time", new Date("2024-12-31T23:59:59.500+00:00"), "2024-12-31 23:59:59", "2024-12-31"],
    ["a leap day", Date.UTC(2024, 1, 29, 12), "2024-02-29 12:00:00", "2024-02-29"],
    ["the last supported second", MAX_DATETIME_MS, "2105-12-31 23:59:59", "2105-12-31"],
  ];
  it.each(cases)("formats %s", (_name, value, dateTime, date) => {
    expect(toClickHouseDateTime(value)).toBe(dateTime);
    expect(toClickHouseDate(value)).toBe(date);
  });

  it.each([
    ["negative", -1],
    ["past 2105", MAX_DATETIME_MS + 1000],
    ["NaN", Number.NaN],
    ["an invalid Date", new Date("x")],
  ])("rejects %s", (_name, value) => {
    expect(() => toClickHouseDateTime(value)).toThrow(/outside 1970-01-01/);
  });
});

describe("parseClickHouseDateTime", () => {
  it("reads a DateTime and a Date back as UTC epoch ms", () => {
    expect(parseClickHouseDateTime("2024-01-02 03:04:05")).toBe(Date.UTC(2024, 0, 2, 3, 4, 5));
    expect(parseClickHouseDateTime("2024-01-02")).toBe(Date.UTC(2024, 0, 2));
  });

  it.each(["2024-02-30", "2024-13-01 00:00:00", "2024-01-01 24:00:00", "2024-01-01T00:00:00", "yesterday"])(
    "rejects %s",
    (text) => {
      expect(() => parseClickHouseDateTime(text)).toThrow();
    },
  );
});
