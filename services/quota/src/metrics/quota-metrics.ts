/**
 * quota's metrics: how long each pre-flight check took and how it ended, the fail policy applied while Redis is
 * away, and budget thresholds crossed. With metrics off every hook is a no-op installed at start.
 */
import { ChildCache, type Metrics } from "@thinkwatch/metrics";
import type { BudgetAlerter } from "../accounting/budget-alerts.js";

export type CheckResult = "no_rules" | "allowed" | "denied" | "fail_open" | "fail_closed";
export type CheckObserver = (result: CheckResult, seconds: number) => void;

export function createCheckObserver(metrics: Metrics): CheckObserver {
  if (!metrics.enabled) return () => undefined;
  const { quotaCheckDuration, rateLimiterFailOpen, rateLimiterFailClosed } = metrics.instruments;
  const durations = new ChildCache((result) => quotaCheckDuration.labels(result));
  return (result, seconds) => {
    durations.get1(result).observe(seconds);
    if (result === "fail_open") rateLimiterFailOpen.inc();
    else if (result === "fail_closed") rateLimiterFailClosed.inc();
  };
}

/** The alerter, also counting gateway_budget_alert_total by subject kind. */
export function countingAlerts(alerter: BudgetAlerter, metrics: Metrics): BudgetAlerter {
  if (!metrics.enabled) return alerter;
  const counter = metrics.instruments.budgetAlerts;
  return {
    fire(alerts, context) {
      for (const alert of alerts) counter.inc({ subject_kind: alert.application.subject.kind });
      alerter.fire(alerts, context);
    },
  };
}
