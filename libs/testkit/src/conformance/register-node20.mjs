// Preloaded (`node --import`) before the MCP conformance CLI on Node 20: its bundle imports `globSync` from `fs`,
// which Node 20 lacks, so the module would fail to link. A load hook points that one import at a small stand-in.
import fs from "node:fs";
import { register } from "node:module";

if (typeof fs.globSync !== "function") register("./glob-hooks.mjs", import.meta.url);
