/**
 * quota's metrics: how long each pre-flight check took and how it ended, the fail policy applied while Redis is
 * away (gateway_budget_fail_open_total counts the fail-open checks that had a budget cap to enforce: spend that may
 * pass a cap unreserved), and budget thresholds crossed. With metrics off every hook is a no-op installed at start.
 */
import { ChildCache, type Metrics } from "@thinkwatch/metrics";
import type { BudgetAlerter } from "../accounting/budget-alerts.js";

export type CheckResult = "no_rules" | "allowed" | "denied" | "fail_open" | "fail_closed";
/** `budgeted`: the check had at least one budget cap to enforce (a fail-open one then also counts as a budget fail-open). */
export type CheckObserver = (result: CheckResult, seconds: number, budgeted: boolean) => void;

export function createCheckObserver(metrics: Metrics): CheckObserver {
  if (!metrics.enabled) return () => undefined;
  const { quotaCheckDuration, rateLimiterFailOpen, rateLimiterFailClosed, budgetFailOpen } = metrics.instruments;
  const durations = new ChildCache((result) => quotaCheckDuration.labels(result));
  return (result, seconds, budgeted) => {
    durations.get1(result).observe(seconds);
    if (result === "fail_open") {
      rateLimiterFailOpen.inc();
      if (budgeted) budgetFailOpen.inc();
    } else if (result === "fail_closed") rateLimiterFailClosed.inc();
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
