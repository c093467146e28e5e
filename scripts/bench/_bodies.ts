/**
 * Request bodies the size of a coding agent's: a long system prompt and a conversation of file contents and tool
 * results, with the quotes, backslashes and newlines source code has (so a JSON parse pays for escapes).
 */
// biome-ignore lint/suspicious/noTemplateCurlyInString: the text is TypeScript source sent as a prompt, not a template.
const SOURCE_LINE = 'export function handle(req: Request): string { return `"${req.url}"\\n`.replace(/\\\\/g, "/"); }\n';

export function codingAgentBody(bytes: number): string {
  const messages: Array<{ role: string; content: string }> = [
    { role: "system", content: "You are a coding agent. Follow the repository's conventions.\n".repeat(40) },
  ];
  const base = JSON.stringify({ model: "gpt-4o-mini", stream: false, messages }).length;
  const turn = SOURCE_LINE.repeat(Math.max(1, Math.floor((bytes - base) / 20 / SOURCE_LINE.length)));
  for (let i = 0; JSON.stringify({ model: "gpt-4o-mini", stream: false, messages }).length < bytes; i++) {
    messages.push({ role: i % 2 === 0 ? "user" : "assistant", content: `file ${i}:\n${turn}` });
  }
  return JSON.stringify({ model: "gpt-4o-mini", stream: false, messages });
}
