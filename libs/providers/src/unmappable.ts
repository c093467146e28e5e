/**
 * THE table of parameters that cannot be carried from one format to another, and what happens to each: dropped
 * (the request still means what the client asked, or the difference is cosmetic) or rejected with a 400 (silently
 * ignoring it would change what the client gets). Encoders consult it for modelled fields; decoders put unmodelled
 * source fields into `passthrough`, which is checked against it field by field. Unknown vendor extras without a row
 * are dropped when crossing formats and kept when the source and target formats are the same.
 */
import { AppError } from "@thinkwatch/errors";
import type { ApiFormat } from "./formats.js";

export interface UnmappableRule {
  /** Wire name in the source format (dotted for nested fields), or a canonical concept for modelled fields. */
  param: string;
  from: ApiFormat | "*";
  to: ApiFormat | "*";
  action: "drop" | "reject";
  /** Only values for which this returns true trigger the rule; other values are harmless and left out quietly. */
  when?: (value: unknown) => boolean;
  why: string;
}

const notOne = (value: unknown) => value !== undefined && value !== null && value !== 1;
const truthy = (value: unknown) => value !== undefined && value !== null && value !== false;
const hasNonText = (value: unknown) =>
  Array.isArray(value) && value.some((item) => typeof item === "string" && item.toLowerCase() !== "text");
const ANY = "*" as const;
const CONDITIONS = new Map<(value: unknown) => boolean, string>([
  [notOne, "when other than 1"],
  [truthy, "when set"],
  [hasNonText, "when asking for more than text"],
]);

/** How the README names a rule's condition (undefined: any value). */
export function conditionOf(rule: UnmappableRule): string | undefined {
  return rule.when === undefined ? undefined : (CONDITIONS.get(rule.when) ?? "for some values");
}

function drop(
  param: string,
  from: ApiFormat | "*",
  to: ApiFormat | "*",
  why: string,
  when?: (value: unknown) => boolean,
): UnmappableRule {
  return when === undefined ? { param, from, to, action: "drop", why } : { param, from, to, action: "drop", why, when };
}

function reject(
  param: string,
  from: ApiFormat | "*",
  to: ApiFormat | "*",
  why: string,
  when?: (value: unknown) => boolean,
): UnmappableRule {
  return when === undefined ? { param, from, to, action: "reject", why } : { param, from, to, action: "reject", why, when };
}

export const UNMAPPABLE: readonly UnmappableRule[] = [
  // OpenAI Chat Completions fields with no counterpart elsewhere.
  reject("n", "openai_chat", ANY, "this upstream produces one choice per request", notOne),
  drop("logprobs", "openai_chat", ANY, "this upstream returns no token log-probabilities"),
  drop("top_logprobs", "openai_chat", ANY, "this upstream returns no token log-probabilities"),
  drop("logit_bias", "openai_chat", ANY, "token biasing only steers sampling; no upstream equivalent"),
  reject("modalities", "openai_chat", ANY, "audio output exists only on OpenAI upstreams", hasNonText),
  reject("audio", "openai_chat", ANY, "audio output exists only on OpenAI upstreams", truthy),
  drop("prediction", "openai_chat", ANY, "predicted outputs only cut latency; the answer is the same"),
  reject("web_search_options", "openai_chat", ANY, "built-in web search exists only on OpenAI upstreams", truthy),
  drop("service_tier", ANY, ANY, "service tiers are per-vendor billing options"),
  drop("store", ANY, ANY, "the gateway never asks an upstream to store conversations", truthy),
  reject("tool_choice", "openai_chat", ANY, "allowed_tools and custom tool choices exist only on OpenAI", truthy),
  drop("verbosity", "openai_chat", ANY, "a style hint with no upstream equivalent"),
  drop("prompt_cache_key", ANY, ANY, "cache routing hint for OpenAI only"),
  drop("safety_identifier", ANY, ANY, "OpenAI abuse-monitoring id; the gateway's own audit log identifies callers"),
  // Anthropic Messages.
  reject("container", "anthropic_messages", ANY, "code-execution containers exist only on Anthropic", truthy),
  reject("mcp_servers", "anthropic_messages", ANY, "Anthropic-hosted MCP connectors exist only on Anthropic", truthy),
  drop(
    "context_management",
    "anthropic_messages",
    ANY,
    "server-side context editing; the upstream sees the full history instead",
  ),
  drop(
    "output_config.effort",
    "anthropic_messages",
    ANY,
    "effort without thinking only tunes how much Claude writes; no equivalent",
  ),
  // Gemini.
  drop("safetySettings", "gemini", ANY, "safety thresholds are Gemini-specific; the upstream applies its own policy"),
  reject("cachedContent", "gemini", ANY, "the cached prompt lives in Gemini; another upstream would miss that context", truthy),
  drop("labels", "gemini", ANY, "billing labels are Vertex-specific"),
  drop(
    "toolConfig.functionCallingConfig.allowedFunctionNames",
    "gemini",
    ANY,
    "only one forced tool can be expressed elsewhere; every declared tool stays callable",
  ),
  reject("generationConfig.candidateCount", "gemini", ANY, "this upstream produces one candidate per request", notOne),
  reject(
    "generationConfig.responseModalities",
    "gemini",
    ANY,
    "image and audio output exist only on Gemini upstreams",
    hasNonText,
  ),
  reject("generationConfig.speechConfig", "gemini", ANY, "speech output exists only on Gemini upstreams", truthy),
  reject("generationConfig.imageConfig", "gemini", ANY, "image output exists only on Gemini upstreams", truthy),
  drop("generationConfig.responseLogprobs", "gemini", ANY, "this upstream returns no token log-probabilities"),
  drop("generationConfig.logprobs", "gemini", ANY, "this upstream returns no token log-probabilities"),
  drop("generationConfig.mediaResolution", "gemini", ANY, "an input-cost knob with no upstream equivalent"),
  // OpenAI Responses features with no counterpart elsewhere (a Responses upstream gets the request as sent).
  reject(
    "previous_response_id",
    "openai_responses",
    ANY,
    "the gateway stores no responses; send the whole conversation in input",
    truthy,
  ),
  reject(
    "conversation",
    "openai_responses",
    ANY,
    "the gateway stores no conversations; send the whole conversation in input",
    truthy,
  ),
  reject("background", "openai_responses", ANY, "background (polled) responses are not supported by the gateway", truthy),
  reject("prompt", "openai_responses", ANY, "stored prompt templates live in OpenAI", truthy),
  reject("tool_choice", "openai_responses", ANY, "allowed_tools and built-in tool choices exist only on OpenAI", truthy),
  drop("include", "openai_responses", ANY, "extra output fields are filled in where the upstream provides them"),
  drop("truncation", "openai_responses", ANY, "the gateway sends the input as given and never truncates it"),
  drop("max_tool_calls", "openai_responses", ANY, "only limits built-in tool calls, which the gateway rejects anyway"),
  drop("top_logprobs", "openai_responses", ANY, "this upstream returns no token log-probabilities"),
  drop("text.verbosity", "openai_responses", ANY, "a style hint with no upstream equivalent"),
  // Modelled canonical fields that a target cannot express.
  drop("top_k", ANY, "openai_chat", "OpenAI has no top-k sampling"),
  drop("top_k", ANY, "bedrock_converse", "Converse has no top-k field; model-specific request fields are not guessed"),
  drop("frequency_penalty", ANY, "anthropic_messages", "Anthropic has no repetition penalties"),
  drop("frequency_penalty", ANY, "bedrock_converse", "Converse has no repetition penalties"),
  drop("presence_penalty", ANY, "anthropic_messages", "Anthropic has no repetition penalties"),
  drop("presence_penalty", ANY, "bedrock_converse", "Converse has no repetition penalties"),
  drop("seed", ANY, "anthropic_messages", "Anthropic has no sampling seed; determinism was never guaranteed"),
  drop("seed", ANY, "bedrock_converse", "Converse has no sampling seed; determinism was never guaranteed"),
  drop("parallel_tool_calls", ANY, "gemini", "Gemini cannot forbid parallel function calls; clients handle one or many"),
  drop("parallel_tool_calls", ANY, "bedrock_converse", "Converse cannot forbid parallel tool use; clients handle one or many"),
  drop("cache_control", ANY, "openai_chat", "OpenAI caches prompt prefixes automatically"),
  drop("cache_control", ANY, "gemini", "Gemini caches prompt prefixes implicitly"),
  drop("metadata", ANY, "openai_chat", "OpenAI keeps metadata only for stored completions, which the gateway never requests"),
  drop("metadata", ANY, "anthropic_messages", "Anthropic metadata holds only user_id, which is mapped"),
  drop("metadata", ANY, "gemini", "Gemini has no request metadata"),
  drop("user", ANY, "gemini", "Gemini has no end-user id"),
  drop(
    "metadata.user_id",
    "*",
    "openai_chat",
    "agents such as Claude Code put device and session ids there; sent as `user` only when the gateway setting says so",
  ),
  drop(
    "metadata.user_id",
    "*",
    "openai_responses",
    "agents such as Claude Code put device and session ids there; sent as `user` only when the gateway setting says so",
  ),
  drop("user", ANY, "bedrock_converse", "Converse has no end-user id"),
  drop("image_detail", ANY, ANY, "only OpenAI takes an image resolution hint"),
  drop(
    "response_format.json_object",
    ANY,
    "anthropic_messages",
    "no schema-less JSON mode; the prompt's own JSON instruction still applies",
  ),
  drop(
    "response_format.json_object",
    ANY,
    "bedrock_converse",
    "no schema-less JSON mode; the prompt's own JSON instruction still applies",
  ),
  drop("tool.strict", ANY, "gemini", "Gemini function declarations have no strict flag"),
  drop(
    "tool_choice.none",
    ANY,
    "bedrock_converse",
    "Converse has no 'none' choice; tools are omitted, unless the history holds tool blocks (then auto)",
  ),
  drop("reasoning.disabled", ANY, "gemini", "some Gemini models cannot stop thinking; the model default applies"),
  drop("reasoning.disabled", ANY, "openai_chat", "older OpenAI models reject effort 'none'; the model default applies"),
  drop("reasoning_history", ANY, "openai_chat", "Chat Completions takes no reasoning input"),
  drop("reasoning_history", ANY, ANY, "reasoning without this vendor's signature cannot be verified by it"),
  drop(
    "thinking.unsigned_tool_turn",
    ANY,
    "anthropic_messages",
    "the last tool-use turn has no signed thinking block, which Anthropic refuses while thinking is on",
  ),
  drop(
    "thinking.unsigned_tool_turn",
    ANY,
    "bedrock_converse",
    "the last tool-use turn has no signed reasoning block, which Claude on Bedrock refuses while thinking is on",
  ),
  reject(
    "image_url",
    ANY,
    "bedrock_converse",
    "Bedrock accepts images only as inline bytes or s3:// locations; send the image as base64",
  ),
  reject(
    "file_url",
    ANY,
    "openai_chat",
    "OpenAI accepts files only as inline data or uploaded file ids; send the file as base64",
  ),
  reject(
    "file_url",
    ANY,
    "bedrock_converse",
    "Bedrock accepts documents only as inline bytes or s3:// locations; send the file as base64",
  ),
  reject("audio_input", ANY, "anthropic_messages", "Anthropic models take no audio input"),
  reject("audio_input", ANY, "bedrock_converse", "Converse takes no audio input"),
  reject("document_type", ANY, ANY, "this upstream does not accept documents of this media type"),
  // Dropped, not rejected: agents attach these by default (Codex sends web_search and tool namespaces on every turn),
  // so refusing would make such clients unusable on any other upstream; the model just cannot call what it is not offered.
  drop(
    "native_tools",
    ANY,
    ANY,
    "provider-defined tools (web search, code execution, tool namespaces…) run only on their own provider; elsewhere they are left out",
  ),
  reject("file_id", ANY, ANY, "uploaded file ids exist only at the provider that issued them; send the file inline as base64"),
  drop("native_content", ANY, ANY, "results of another provider's built-in tools cannot be replayed to this upstream"),
  drop("thought_signature", ANY, ANY, "Gemini thought signatures mean nothing to other vendors"),
];

/**
 * What an encode does with a parameter the target cannot express: `dropped` collects each dropped one (the gateway
 * names them in a response header); `strict` turns every drop into the 400 a reject row gives.
 */
export interface UnmappablePolicy {
  strict: boolean;
  dropped: Set<string>;
}

// Encoding is synchronous, so the policy of the encode in progress can sit here for the duration of one call
// instead of being threaded through every encoder helper; withUnmappablePolicy always restores the previous one.
let active: UnmappablePolicy | undefined;

export function withUnmappablePolicy<T>(policy: UnmappablePolicy | undefined, run: () => T): T {
  const previous = active;
  active = policy;
  try {
    return run();
  } finally {
    active = previous;
  }
}

function dropped(param: string, to: ApiFormat, why: string): void {
  if (active === undefined) return;
  if (active.strict) {
    throw new AppError("bad_request", `${param} cannot be sent to this upstream (${to}) and strict mode is on: ${why}`, {
      details: { param, strict: true },
    });
  }
  active.dropped.add(param);
}

function matches(rule: UnmappableRule, param: string, from: ApiFormat | "*", to: ApiFormat): boolean {
  return rule.param === param && (rule.from === "*" || rule.from === from) && (rule.to === "*" || rule.to === to);
}

export function findRule(param: string, from: ApiFormat | "*", to: ApiFormat): UnmappableRule | undefined {
  return UNMAPPABLE.find((rule) => matches(rule, param, from, to));
}

/**
 * Applies the table to one parameter: throws the 400 for a reject rule whose condition holds, otherwise returns
 * quietly (the caller leaves the parameter out). Modelled fields must have a row; a missing one is a bug.
 */
export function enforceUnmappable(param: string, to: ApiFormat, value: unknown = true, from: ApiFormat | "*" = "*"): void {
  const rule = findRule(param, from, to);
  if (rule === undefined) throw new Error(`no unmappable rule for ${param} (${from} → ${to})`);
  // A value the rule does not care about (n: 1, store: false…) changes nothing: neither refused nor reported.
  if (value === null || value === undefined || (rule.when !== undefined && !rule.when(value))) return;
  if (rule.action === "reject") {
    throw new AppError("bad_request", `${param} is not supported when the upstream API is ${to}: ${rule.why}`, {
      details: { param },
    });
  }
  dropped(param, to, rule.why);
}

/**
 * The passthrough fields to merge into a body of `to`: all of them when the source format is the same, none
 * otherwise — after rejecting any whose rule says so.
 */
export function passthroughFor(
  passthrough: { format: ApiFormat; fields: Record<string, unknown> } | undefined,
  to: ApiFormat,
): Record<string, unknown> {
  if (passthrough === undefined) return {};
  if (passthrough.format === to) return passthrough.fields;
  for (const [param, value] of Object.entries(passthrough.fields)) {
    const rule = findRule(param, passthrough.format, to);
    if (rule === undefined) {
      if (value !== null && value !== undefined)
        dropped(param, to, `${param} is a ${passthrough.format} field with no ${to} equivalent`);
    } else enforceUnmappable(param, to, value, passthrough.format);
  }
  return {};
}
