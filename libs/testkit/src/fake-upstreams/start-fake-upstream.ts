/**
 * Starts a fake AI provider on 127.0.0.1 (a free port) that speaks the provider's real wire protocol: tests point
 * the gateway (or an official SDK) at it, script its answers and read back every request it received. Also
 * usable from a plain Node process as the "direct upstream" of benchmarks.
 */
import type { AwsCredentials } from "@thinkwatch/providers";
import * as v from "valibot";
import { createAnthropicHandler } from "./anthropic-kind.js";
import { createAzureHandler } from "./azure-kind.js";
import { createBedrockHandler } from "./bedrock-kind.js";
import type { RecordedRequest } from "./fake-exchange.js";
import { type FakeScript, FakeScriptSchema, type ParsedFakeScript } from "./fake-script.js";
import { type FakeHandler, listenFakeServer } from "./fake-server.js";
import {
  type FakeUpstreamKind,
  type FakeUpstreamOptions,
  type ResolvedFakeConfig,
  resolveFakeConfig,
} from "./fake-upstream-config.js";
import { createGeminiHandler } from "./gemini-kind.js";
import type { FakeRuntime } from "./generation-flow.js";
import { createIdSource } from "./id-source.js";
import { createOpenAiHandler } from "./openai-kind.js";

export interface FakeUpstream {
  readonly kind: FakeUpstreamKind;
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /**
   * What to give an SDK or the gateway as the provider's base URL: `<url>/v1` for openai, `<url><basePath>` for
   * openai_compatible, `<url>` for azure_openai (the SDK's `endpoint`), anthropic, gemini and bedrock.
   */
  readonly baseUrl: string;
  /** The accepted API key (empty for bedrock). */
  readonly apiKey: string;
  /** Bedrock: the accepted credentials and region. */
  readonly awsCredentials: AwsCredentials;
  readonly region: string;
  /** Every request received, oldest first (unless started with `record: false`). */
  readonly requests: RecordedRequest[];
  /** Queues script steps; each generation request (chat, responses, messages, generateContent, converse…) takes one. */
  script(...steps: FakeScript[]): void;
  /** Steps queued and not yet taken. */
  readonly pendingSteps: number;
  /** The next `times` generation requests fail with `step` (default: the provider's 503). */
  failNext(times: number, step?: FakeScript): void;
  /**
   * From now on, this share (0–1) of generation requests without a scripted step fail with `step` (default 503);
   * `faultRate(0)` stops it. For chaos runs.
   */
  faultRate(rate: number, step?: FakeScript): void;
  /** Requests whose client went away before the response was complete (e.g. a gateway cancelling upstream). */
  readonly clientAborts: number;
  /** Forgets recorded requests and queued steps. */
  reset(): void;
  close(): Promise<void>;
}

const HANDLERS: Record<FakeUpstreamKind, (config: ResolvedFakeConfig, runtime: FakeRuntime) => FakeHandler> = {
  openai: createOpenAiHandler,
  openai_compatible: createOpenAiHandler,
  azure_openai: createAzureHandler,
  anthropic: createAnthropicHandler,
  gemini: createGeminiHandler,
  bedrock: createBedrockHandler,
};

export async function startFakeUpstream(kindOrOptions: FakeUpstreamKind | FakeUpstreamOptions): Promise<FakeUpstream> {
  const config = resolveFakeConfig(kindOrOptions);
  const requests: RecordedRequest[] = [];
  const steps: ParsedFakeScript[] = [];
  let fault: { rate: number; step: ParsedFakeScript } = { rate: 0, step: {} };
  let clientAborts = 0;
  const runtime: FakeRuntime = {
    ids: createIdSource(),
    models: config.models,
    takeStep: () => steps.shift(),
    randomFault: () => (fault.rate > 0 && Math.random() < fault.rate ? fault.step : undefined),
  };
  const handle = HANDLERS[config.kind](config, runtime);

  const server = await listenFakeServer(
    async (exchange) => {
      if (config.record) requests.push(exchange.request);
      await handle(exchange);
    },
    () => {
      clientAborts++;
    },
  );

  return {
    kind: config.kind,
    url: server.origin,
    baseUrl:
      config.kind === "openai" || config.kind === "openai_compatible" ? `${server.origin}${config.basePath}` : server.origin,
    apiKey: config.apiKey,
    awsCredentials: config.awsCredentials,
    region: config.region,
    requests,
    script(...next) {
      // Parsed up front so a mistyped script fails in the test that wrote it, not in a later request.
      for (const step of next) steps.push(v.parse(FakeScriptSchema, step));
    },
    get pendingSteps() {
      return steps.length;
    },
    failNext(times, step = { error: { status: 503 } }) {
      const parsed = v.parse(FakeScriptSchema, step);
      for (let i = 0; i < times; i++) steps.push(parsed);
    },
    faultRate(rate, step = { error: { status: 503 } }) {
      fault = { rate, step: v.parse(FakeScriptSchema, step) };
    },
    get clientAborts() {
      return clientAborts;
    },
    reset() {
      requests.length = 0;
      steps.length = 0;
      fault = { rate: 0, step: {} };
      clientAborts = 0;
    },
    close: () => server.close(),
  };
}
