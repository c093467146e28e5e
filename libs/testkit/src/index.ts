/**
 * Test kit: isolated environments on the real servers, fleet processes, fake upstreams (with the AWS service side
 * they need: SigV4 verification, event-stream writing), polling helpers.
 */

export { AGENT_VERSIONS, type AgentClis, ensureAgentClis } from "./agent-clis.js";
export * from "./aws/index.js";
export { CHROMIUM_ARGS, CHROMIUM_PATH, ensureChromium, launchChromium } from "./chromium.js";
export { buildConsoleWeb, type ConsoleBuild } from "./console-build.js";
export { type ConsoleClient, type ConsoleResponse, createConsoleClient, DEFAULT_ADMIN } from "./console-client.js";
export { type BrowserStep, type CookieBrowser, createCookieBrowser } from "./cookie-browser.js";
export { eventsOf } from "./event-messages.js";
export { createFakeClock, type FakeClock } from "./fake-clock.js";
export * from "./fake-upstreams/index.js";
export {
  FLEET_ENTRY,
  FLEET_NODE_FLAGS,
  type FleetProcess,
  type FleetProcessOptions,
  startFleetProcess,
} from "./fleet-process.js";
export { freePort } from "./free-port.js";
export { type GatewayScenario, type GatewayScenarioOptions, startGatewayScenario } from "./gateway-scenario.js";
export { connectHeapProbe, type HeapProbe } from "./heap-probe.js";
export { type KafkaMockCluster, startKafkaMockCluster } from "./kafka-mock.js";
export { type ConformanceResult, runConformanceServerSuite, type ScenarioOutcome } from "./mcp-conformance.js";
export { type ConformanceFixture, startConformanceFixture } from "./mcp-conformance-fixture.js";
export { type InteractiveUpstream, startInteractiveUpstream } from "./mcp-interactive-upstream.js";
export { type OAuthMcpCall, type OAuthProtectedMcp, startOAuthProtectedMcp } from "./mcp-oauth-upstream.js";
export {
  everythingStdio,
  type McpHttpUpstream,
  memoryStdio,
  type StdioCommand,
  startEverythingHttp,
} from "./mcp-upstreams.js";
export {
  type OidcTestProvider,
  type OidcTestProviderOptions,
  startOidcTestProvider,
  type TestIdentity,
} from "./oidc-test-provider.js";
export { decodeOtlpTraces } from "./otlp-protobuf.js";
export {
  type OtlpReceiver,
  type ReceivedEvent,
  type ReceivedLink,
  type ReceivedSpan,
  startOtlpReceiver,
} from "./otlp-receiver.js";
export { CLICKHOUSE_SERVER_PATH, type OwnClickHouse, startOwnClickHouse } from "./own-clickhouse.js";
export { type RecordedCall, type RecordingProxy, startRecordingProxy } from "./recording-proxy.js";
export { ensureRsyslog, type ReceivedSyslog, type RsyslogReceiver, startRsyslog } from "./rsyslog.js";
export { seededRandom } from "./seeded-random.js";
export { createTestEnvironment, REPO_ROOT, TEST_SECRETS, type TestEnvironment } from "./test-environment.js";
export { startUnansweredListener, type UnansweredListener } from "./unanswered-listener.js";
export { waitFor } from "./wait-for.js";
export { type ReceivedWebhook, startWebhookReceiver, type WebhookReceiver } from "./webhook-receiver.js";
