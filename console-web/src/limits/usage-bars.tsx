/** "X / Y used" per rule and budget of a subject, each with a bar (budgets show what in-flight requests hold too). */
import type { LimitUsageResponse } from "./limits-api";

const WINDOW_NAMES: Record<number, string> = { 60: "1m", 300: "5m", 3600: "1h", 18000: "5h", 86400: "1d", 604800: "1w" };

function formatAmount(value: number, unit: "requests" | "tokens" | "usd"): string {
  if (unit === "usd") return `$${value.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 4 })}`;
  return value.toLocaleString("en-US");
}

function UsageBar({
  label,
  used,
  limit,
  unit,
  detail,
}: {
  label: string;
  used: number;
  limit: number;
  unit: "requests" | "tokens" | "usd";
  detail: string;
}) {
  const share = limit <= 0 ? 1 : Math.min(1, used / limit);
  const tone = share >= 1 ? "danger" : share >= 0.8 ? "warning" : "ok";
  const text = `${formatAmount(used, unit)} / ${formatAmount(limit, unit)} used`;
  return (
    <li className="usage-row">
      <div className="usage-head">
        <code>{label}</code>
        <span>{text}</span>
      </div>
      <div
        className={`usage-bar usage-bar-${tone}`}
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={limit}
        aria-valuenow={Math.min(used, limit)}
        aria-valuetext={text}
      >
        <div className="usage-bar-fill" style={{ width: `${Math.round(share * 100)}%` }} />
      </div>
      <div className="muted usage-detail">{detail}</div>
    </li>
  );
}

export function UsageBars({ usage }: { usage: LimitUsageResponse }) {
  if (usage.rules.length === 0 && usage.budgets.length === 0) {
    return <p className="muted">No rules or budgets for this subject yet.</p>;
  }
  return (
    <ul className="usage-list" aria-label="Usage">
      {usage.rules.map((entry) => (
        <UsageBar
          key={entry.label}
          label={entry.label}
          used={entry.used}
          limit={entry.rule.limit}
          unit={entry.rule.metric}
          detail={`${entry.rule.metric} per ${WINDOW_NAMES[entry.rule.windowSeconds] ?? `${entry.rule.windowSeconds}s`} (sliding) on ${
            entry.rule.surface === "ai_gateway" ? "the AI gateway" : "the MCP gateway"
          }${entry.rule.enabled ? "" : " — disabled"}`}
        />
      ))}
      {usage.budgets.map((entry) => (
        <UsageBar
          key={entry.label}
          label={entry.label}
          used={entry.used + entry.reserved}
          limit={entry.budget.limit}
          unit={entry.budget.unit}
          detail={`${entry.budget.period} budget (${entry.budget.timezone}), resets ${new Date(entry.periodEnd).toLocaleString()}${
            entry.reserved > 0 ? `; ${formatAmount(entry.reserved, entry.budget.unit)} held by requests in flight` : ""
          }`}
        />
      ))}
    </ul>
  );
}
