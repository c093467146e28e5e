/**
 * Gemini puts the model and the operation in the URL (`/v1beta/models/{model}:streamGenerateContent?alt=sse`); this
 * reads them so the request decoder can be given the model and stream flag.
 */
export const GEMINI_ACTIONS = [
  "generateContent",
  "streamGenerateContent",
  "countTokens",
  "embedContent",
  "batchEmbedContents",
] as const;
export type GeminiAction = (typeof GEMINI_ACTIONS)[number];

export interface GeminiModelPath {
  model: string;
  action: GeminiAction;
  stream: boolean;
  /** False for streamGenerateContent without `alt=sse`: the reply is a streamed JSON array. */
  sse: boolean;
}

export function parseGeminiModelPath(url: string): GeminiModelPath | undefined {
  const query = url.indexOf("?");
  const path = query === -1 ? url : url.slice(0, query);
  const at = path.lastIndexOf("/models/");
  if (at === -1) return undefined;
  const tail = path.slice(at + "/models/".length);
  const colon = tail.lastIndexOf(":");
  if (colon <= 0) return undefined;
  const action = tail.slice(colon + 1);
  if (!(GEMINI_ACTIONS as readonly string[]).includes(action)) return undefined;
  let model: string;
  try {
    model = decodeURIComponent(tail.slice(0, colon));
  } catch {
    return undefined;
  }
  if (model === "" || model.includes("/")) return undefined;
  const params = new URLSearchParams(query === -1 ? "" : url.slice(query + 1));
  const stream = action === "streamGenerateContent";
  return { model, action: action as GeminiAction, stream, sse: stream && params.get("alt") === "sse" };
}
