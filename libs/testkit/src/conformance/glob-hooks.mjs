// Module load hook: in the conformance CLI's bundle, replace `import { globSync as x } from "fs"` with the stand-in.
const standIn = new URL("./glob-sync.mjs", import.meta.url).href;

export async function load(url, context, nextLoad) {
  const result = await nextLoad(url, context);
  if (!url.includes("/@modelcontextprotocol/conformance/dist/") || result.source == null) return result;
  const text = typeof result.source === "string" ? result.source : new TextDecoder().decode(result.source);
  const found = /globSync as (\w+),/.exec(text);
  if (found === null) return result;
  const patched = text
    .replace(found[0], "")
    .replace(/^(#!.*\n)?/, (shebang) => `${shebang}import { globSync as ${found[1]} } from ${JSON.stringify(standIn)};\n`);
  return { ...result, source: patched };
}
