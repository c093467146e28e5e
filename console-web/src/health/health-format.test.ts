import { describe, expect, it } from "vitest";
import { formatBytes, formatLatency, formatRate, formatSeconds, formatUptime } from "./health-format";

describe("health figures", () => {
  it.each([
    [formatLatency(0.42), "0.4 ms"],
    [formatLatency(12.6), "13 ms"],
    [formatSeconds(null), "—"],
    [formatSeconds(0.0123), "12 ms"],
    [formatSeconds(2.5), "2.50 s"],
    [formatRate(null), "—"],
    [formatRate(0), "0 %"],
    [formatRate(0.0125), "1.3 %"],
    [formatRate(0.5), "50 %"],
    [formatBytes(64 * 1024 * 1024), "64 MiB"],
  ])("%s", (shown, expected) => {
    expect(shown).toBe(expected);
  });

  it("shows uptime in the largest sensible unit", () => {
    const now = Date.parse("2026-01-02T00:00:00Z");
    expect(formatUptime("2026-01-01T23:59:30Z", now)).toBe("30 s");
    expect(formatUptime("2026-01-01T23:15:00Z", now)).toBe("45 min");
    expect(formatUptime("2026-01-01T21:30:00Z", now)).toBe("2 h 30 min");
    expect(formatUptime("2025-12-30T22:00:00Z", now)).toBe("2 d 2 h");
  });
});
