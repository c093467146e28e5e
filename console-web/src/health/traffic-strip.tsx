/** The Overview's dashboard strip: the AI gateway's last minute across instances — requests/min, error rate, p99. */
import { Section } from "../components/page-header";
import { useTraffic } from "./health-api";
import { formatRate, formatSeconds } from "./health-format";

export function TrafficStrip() {
  const traffic = useTraffic({ enabled: true });
  const data = traffic.data;
  const off = data !== undefined && !data.metricsEnabled;
  return (
    <Section
      title="Gateway traffic"
      description={
        off
          ? "Metrics are off: set METRICS_BEARER_TOKEN on the gateway to record traffic figures."
          : `Last minute across ${data?.instances ?? 0} gateway instance(s), refreshed every 10 s.`
      }
    >
      <dl className="stat-strip" aria-label="Gateway traffic" aria-busy={traffic.isPending}>
        <div className="stat">
          <dt>Requests / min</dt>
          <dd data-stat="requests">{data === undefined || off ? "—" : data.requestsPerMinute}</dd>
        </div>
        <div className="stat">
          <dt>Error rate</dt>
          <dd data-stat="errors">{data === undefined || off ? "—" : formatRate(data.errorRate)}</dd>
        </div>
        <div className="stat">
          <dt>p99 latency</dt>
          <dd data-stat="p99">{data === undefined || off ? "—" : formatSeconds(data.p99Seconds)}</dd>
        </div>
      </dl>
    </Section>
  );
}
