/**
 * A just-created key's plaintext, shown once (admin-api keeps only its hash), with the gateway base URL and
 * ready-to-paste curl and OpenAI SDK examples that already contain the key.
 */
import { CopyBlock } from "../components/copy-button";
import { gatewayBaseUrl } from "../gateway/gateway-url";
import { curlSnippet, openAiPythonSnippet, snippetModel } from "../gateway/snippets";
import type { CreatedKey } from "./keys-api";

export interface OneTimeKeyProps {
  created: CreatedKey;
  /** Models the gateway routes, to fill the examples with a real one. */
  routedModels?: readonly string[];
  /** The button that closes the display, e.g. "I have copied the key". */
  doneLabel: string;
  onDone(): void;
}

export function OneTimeKey({ created, routedModels = [], doneLabel, onDone }: OneTimeKeyProps) {
  const baseUrl = gatewayBaseUrl(window.location.href);
  const input = { baseUrl, apiKey: created.plaintext, model: snippetModel(created.key.allowedModels, routedModels) };
  return (
    <section className="one-time-key" aria-live="polite">
      <div className="banner banner-warning">
        Copy the key for <strong>{created.key.name}</strong> now. It is shown only this once; ThinkWatch stores just a hash of it.
      </div>
      <CopyBlock label="API key" text={created.plaintext} />
      <CopyBlock label="Gateway base URL" text={baseUrl} />
      <CopyBlock label="curl" text={curlSnippet(input)} />
      <CopyBlock label="OpenAI SDK (Python)" text={openAiPythonSnippet(input)} />
      <div className="form-actions">
        <button type="button" className="button button-primary" onClick={onDone}>
          {doneLabel}
        </button>
      </div>
    </section>
  );
}
