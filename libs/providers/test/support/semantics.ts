/**
 * Test helper: what a canonical request *means*, independent of how a format spells it. Consecutive turns of one
 * role are merged, the system prompt is one string, tool results are identified by the call they answer (name and
 * arguments) rather than by id, so formats without call ids compare equal when the pairing is right.
 */
import type { CanonicalRequest } from "../../src/canonical/request.js";

export function requestSemantics(req: CanonicalRequest) {
  const calls = new Map<string, { name: string; args: unknown }>();
  const turns: Array<{ role: string; items: unknown[] }> = [];
  for (const message of req.messages) {
    let turn = turns[turns.length - 1];
    if (turn?.role !== message.role) {
      turn = { role: message.role, items: [] };
      turns.push(turn);
    }
    for (const part of message.content) {
      switch (part.type) {
        case "text":
          if (part.text !== "") turn.items.push({ text: part.text });
          break;
        case "image":
          turn.items.push({
            image: part.source.kind === "base64" ? `${part.source.mediaType}:${part.source.data}` : part.source.url,
          });
          break;
        case "file":
          turn.items.push({
            file: part.source.kind === "base64" ? `${part.source.mediaType}:${part.source.data}` : part.source.url,
          });
          break;
        case "tool_call": {
          const call = { name: part.name, args: JSON.parse(part.arguments) as unknown };
          calls.set(part.id, call);
          turn.items.push({ call });
          break;
        }
        case "tool_result":
          turn.items.push({
            resultFor: calls.get(part.toolCallId) ?? part.toolCallId,
            text: part.content.flatMap((item) => (item.type === "text" ? [item.text] : [])).join("\n"),
            isError: part.isError === true,
          });
          break;
        case "reasoning":
          turn.items.push({ reasoning: part.text });
          break;
        case "native":
          turn.items.push({ native: part.raw });
          break;
      }
    }
  }
  return {
    system: req.system.map((block) => block.text).join("\n\n"),
    turns,
    tools: req.tools.map((tool) => ({ name: tool.name, description: tool.description, parameters: tool.parameters })),
    toolChoice: req.toolChoice,
    stop: req.stop,
    maxTokens: req.maxTokens,
    temperature: req.temperature,
    topP: req.topP,
    schema: req.responseFormat?.type === "json_schema" ? req.responseFormat.schema : req.responseFormat?.type,
    stream: req.stream,
  };
}
