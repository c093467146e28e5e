/**
 * Calendar periods of budget caps — a day, an ISO week (Monday to Sunday), a month — in a time zone. The period id
 * names the counter, so a new period starts from zero without any reset job; start and end give `x-ratelimit-reset`.
 */
import type { BudgetPeriod } from "@thinkwatch/proto";

export interface CalendarPeriod {
  /** `2026-11-29`, `2026-W48`, `2026-11`. */
  id: string;
  startMs: number;
  endMs: number;
}

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The wall-clock date and time at `instant` in `timeZone`, as if it were UTC (ms). */
function wallClock(instant: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  const seconds = Math.floor(instant / 1000) * 1000;
  const wall = Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
  return wall + (instant - seconds);
}

/** The instant at which the wall clock in `timeZone` shows local midnight of the given UTC-encoded day. */
function zonedMidnight(dayAsUtc: number, timeZone: string): number {
  if (timeZone === "UTC") return dayAsUtc;
  // Two passes settle the offset even when the guess sits on the other side of a DST change.
  let instant = dayAsUtc - (wallClock(dayAsUtc, timeZone) - dayAsUtc);
  instant = dayAsUtc - (wallClock(instant, timeZone) - instant);
  return instant;
}

const pad = (n: number) => String(n).padStart(2, "0");

export function calendarPeriod(period: BudgetPeriod, timeZone: string, nowMs: number): CalendarPeriod {
  const wall = timeZone === "UTC" ? nowMs : wallClock(nowMs, timeZone);
  const today = Math.floor(wall / DAY_MS) * DAY_MS;
  const date = new Date(today);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth();
  switch (period) {
    case "daily":
      return {
        id: `${year}-${pad(month + 1)}-${pad(date.getUTCDate())}`,
        startMs: zonedMidnight(today, timeZone),
        endMs: zonedMidnight(today + DAY_MS, timeZone),
      };
    case "weekly": {
      const isoWeekday = date.getUTCDay() === 0 ? 7 : date.getUTCDay();
      const monday = today - (isoWeekday - 1) * DAY_MS;
      // The ISO week belongs to the year of its Thursday.
      const thursday = new Date(monday + 3 * DAY_MS);
      const isoYear = thursday.getUTCFullYear();
      const week = Math.floor((thursday.getTime() - Date.UTC(isoYear, 0, 1)) / (7 * DAY_MS)) + 1;
      return {
        id: `${isoYear}-W${pad(week)}`,
        startMs: zonedMidnight(monday, timeZone),
        endMs: zonedMidnight(monday + 7 * DAY_MS, timeZone),
      };
    }
    case "monthly":
      return {
        id: `${year}-${pad(month + 1)}`,
        startMs: zonedMidnight(Date.UTC(year, month, 1), timeZone),
        endMs: zonedMidnight(Date.UTC(year, month + 1, 1), timeZone),
      };
  }
}
