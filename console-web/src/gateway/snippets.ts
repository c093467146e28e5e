/** Ready-to-paste examples for calling the gateway with a freshly created key: curl and the OpenAI Python SDK. */

export interface SnippetInput {
  baseUrl: string;
  apiKey: string;
  /** A model the key may use; a visible placeholder when none is known yet. */
  model: string | undefined;
}

export const MODEL_PLACEHOLDER = "<model-name>";

/** Single-quote a value for a POSIX shell: close the quote, add an escaped quote, reopen. */
function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

function pythonString(value: string): string {
  return JSON.stringify(value);
}

export function curlSnippet({ baseUrl, apiKey, model }: SnippetInput): string {
  const body = JSON.stringify({ model: model ?? MODEL_PLACEHOLDER, messages: [{ role: "user", content: "Hello!" }] });
  return [
    `curl ${shellQuote(`${baseUrl}/chat/completions`)} \\`,
    `  -H ${shellQuote(`Authorization: Bearer ${apiKey}`)} \\`,
    `  -H 'Content-Type: application/json' \\`,
    `  -d ${shellQuote(body)}`,
  ].join("\n");
}

export function openAiPythonSnippet({ baseUrl, apiKey, model }: SnippetInput): string {
  return [
    "from openai import OpenAI",
    "",
    "client = OpenAI(",
    `    base_url=${pythonString(baseUrl)},`,
    `    api_key=${pythonString(apiKey)},`,
    ")",
    "response = client.chat.completions.create(",
    `    model=${pythonString(model ?? MODEL_PLACEHOLDER)},`,
    '    messages=[{"role": "user", "content": "Hello!"}],',
    ")",
    "print(response.choices[0].message.content)",
  ].join("\n");
}

/** The model to show in snippets: the key's first allowed model, or for an unrestricted key the first routed model. */
export function snippetModel(allowedModels: readonly string[] | null, routedModels: readonly string[]): string | undefined {
  return allowedModels === null ? routedModels[0] : allowedModels[0];
}
