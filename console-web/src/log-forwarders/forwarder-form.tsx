/** The create form of a log forwarder: name, kind and the kind's settings; the API's 400 is shown as it came. */
import { type FormEvent, useState } from "react";
import { ErrorState } from "../components/error-state";

export interface ForwarderFormProps {
  onSubmit(body: unknown): void;
  pending: boolean;
  error: unknown;
}

export function ForwarderForm({ onSubmit, pending, error }: ForwarderFormProps) {
  const [name, setName] = useState("");
  const [kind, setKind] = useState<"syslog" | "webhook" | "kafka">("syslog");
  const [host, setHost] = useState("");
  const [port, setPort] = useState("514");
  const [protocol, setProtocol] = useState("udp");
  const [url, setUrl] = useState("");
  const [secret, setSecret] = useState("");
  const [brokers, setBrokers] = useState("");
  const [topic, setTopic] = useState("");

  function submit(event: FormEvent) {
    event.preventDefault();
    const settings =
      kind === "syslog"
        ? { host, port: Number(port), protocol }
        : kind === "webhook"
          ? { url, ...(secret === "" ? {} : { secret }) }
          : { brokers, topic };
    onSubmit({ name, kind, settings });
  }

  return (
    <form className="form" onSubmit={submit} aria-label="New log forwarder">
      {error !== null && error !== undefined && <ErrorState error={error} title="Could not create the forwarder" />}
      <label className="field">
        <span className="field-label">Name</span>
        <input aria-label="Name" value={name} onChange={(e) => setName(e.target.value)} required />
      </label>
      <label className="field">
        <span className="field-label">Kind</span>
        <select aria-label="Kind" value={kind} onChange={(e) => setKind(e.target.value as typeof kind)}>
          <option value="syslog">Syslog (RFC 5424)</option>
          <option value="webhook">Webhook</option>
          <option value="kafka">Kafka</option>
        </select>
      </label>
      {kind === "syslog" && (
        <div className="form-row">
          <label className="field">
            <span className="field-label">Host</span>
            <input aria-label="Host" value={host} onChange={(e) => setHost(e.target.value)} />
          </label>
          <label className="field">
            <span className="field-label">Port</span>
            <input aria-label="Port" inputMode="numeric" value={port} onChange={(e) => setPort(e.target.value)} />
          </label>
          <label className="field">
            <span className="field-label">Protocol</span>
            <select aria-label="Protocol" value={protocol} onChange={(e) => setProtocol(e.target.value)}>
              <option value="udp">UDP</option>
              <option value="tcp">TCP</option>
              <option value="tls">TLS</option>
            </select>
          </label>
        </div>
      )}
      {kind === "webhook" && (
        <div className="form-row">
          <label className="field">
            <span className="field-label">URL</span>
            <input aria-label="URL" value={url} onChange={(e) => setUrl(e.target.value)} />
          </label>
          <label className="field">
            <span className="field-label">Signing secret (optional)</span>
            <input aria-label="Signing secret" type="password" value={secret} onChange={(e) => setSecret(e.target.value)} />
          </label>
        </div>
      )}
      {kind === "kafka" && (
        <div className="form-row">
          <label className="field">
            <span className="field-label">Brokers</span>
            <input aria-label="Brokers" value={brokers} onChange={(e) => setBrokers(e.target.value)} />
          </label>
          <label className="field">
            <span className="field-label">Topic</span>
            <input aria-label="Topic" value={topic} onChange={(e) => setTopic(e.target.value)} />
          </label>
        </div>
      )}
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={pending}>
          Create forwarder
        </button>
      </div>
    </form>
  );
}
