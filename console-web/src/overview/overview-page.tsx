/**
 * /: the gateway's last minute (for those who may read health), where the gateway is and how to call it, with
 * quick-start snippets and shortcuts to the user's next steps.
 */
import { ArrowRight, KeyRound, Server } from "lucide-react";
import { Link } from "react-router";
import { CopyBlock } from "../components/copy-button";
import { PageHeader, Section } from "../components/page-header";
import { Tabs } from "../components/tabs";
import { gatewayBaseUrl } from "../gateway/gateway-url";
import { curlSnippet, openAiPythonSnippet, snippetModel } from "../gateway/snippets";
import { TrafficStrip } from "../health/traffic-strip";
import { useProviders } from "../providers/provider-queries";
import { routedModelNames } from "../providers/routed-models";
import { useCan, useCurrentUser } from "../session/current-user";

/** Stands in for a key in the snippets; real keys are shown only once, when created. */
export const KEY_PLACEHOLDER = "<your-api-key>";

export function OverviewPage() {
  const user = useCurrentUser();
  const canReadProviders = useCan("providers:read");
  const canReadKeys = useCan("api_keys:read");
  const canReadHealth = useCan("health:read");
  const providers = useProviders({ enabled: canReadProviders });
  const baseUrl = gatewayBaseUrl(window.location.href);
  const input = { baseUrl, apiKey: KEY_PLACEHOLDER, model: snippetModel(null, routedModelNames(providers.data ?? [])) };

  return (
    <>
      <PageHeader
        title="Overview"
        description={`Welcome, ${user.displayName}. Every AI request and MCP tool call of your organisation goes through this gateway.`}
      />
      {canReadHealth && <TrafficStrip />}
      <div className="grid-2">
        <Section title="Gateway" description="Point SDKs and agents at this base URL and authenticate with a ThinkWatch API key.">
          <CopyBlock label="Gateway base URL" text={baseUrl} />
        </Section>
        <Section title="Next steps">
          <ul className="link-list">
            {canReadProviders && (
              <li>
                <Link to="/providers">
                  <Server aria-hidden="true" />
                  <span>Providers &amp; models the gateway routes to</span>
                  <ArrowRight aria-hidden="true" className="link-arrow" />
                </Link>
              </li>
            )}
            {canReadKeys && (
              <li>
                <Link to="/keys">
                  <KeyRound aria-hidden="true" />
                  <span>Create an API key for your tools</span>
                  <ArrowRight aria-hidden="true" className="link-arrow" />
                </Link>
              </li>
            )}
          </ul>
        </Section>
      </div>
      <Section title="Quick start" description={`Replace ${KEY_PLACEHOLDER} with a key from the API Keys page.`}>
        <Tabs
          label="Quick-start examples"
          tabs={[
            { id: "curl", label: "curl", content: <CopyBlock label="curl" text={curlSnippet(input)} /> },
            {
              id: "python",
              label: "OpenAI SDK (Python)",
              content: <CopyBlock label="OpenAI SDK (Python)" text={openAiPythonSnippet(input)} />,
            },
          ]}
        />
      </Section>
    </>
  );
}
