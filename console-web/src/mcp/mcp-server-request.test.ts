import { describe, expect, it } from "vitest";
import { buildMcpServerRequest, emptyMcpServerForm, missingMcpServerFields, parsePairs } from "./mcp-server-request";

describe("the register-an-MCP-server form", () => {
  it("builds an HTTP server with secret headers", () => {
    const values = {
      ...emptyMcpServerForm(),
      name: " GitHub ",
      url: "https://mcp.example/mcp ",
      headers: "Authorization: Bearer x:y\n\n",
    };
    expect(missingMcpServerFields(values)).toEqual({});
    expect(buildMcpServerRequest(values)).toEqual({
      name: "GitHub",
      transport: "streamable_http",
      url: "https://mcp.example/mcp",
      command: null,
      args: [],
      env: {},
      headers: { Authorization: "Bearer x:y" },
      secretEnv: {},
      enabled: true,
    });
  });

  it("builds a stdio server with arguments and environment", () => {
    const values = {
      ...emptyMcpServerForm(),
      name: "fs",
      prefix: "files",
      transport: "stdio" as const,
      command: "npx",
      args: "-y\n@modelcontextprotocol/server-filesystem\n/tmp",
      env: "LOG=debug",
      secretEnv: "TOKEN=abc=def",
    };
    expect(buildMcpServerRequest(values)).toMatchObject({
      prefix: "files",
      url: null,
      command: "npx",
      args: ["-y", "@modelcontextprotocol/server-filesystem", "/tmp"],
      env: { LOG: "debug" },
      secretEnv: { TOKEN: "abc=def" },
      headers: {},
    });
  });

  it("names what is missing or malformed", () => {
    expect(missingMcpServerFields({ ...emptyMcpServerForm(), prefix: "Bad-Prefix", headers: "no separator" })).toEqual({
      name: "name is required",
      prefix: "prefix must be 1-32 characters of a-z, 0-9 and _",
      url: "the server's URL is required",
      headers: "one Name: value per line",
    });
    expect(missingMcpServerFields({ ...emptyMcpServerForm(), name: "x", transport: "stdio" })).toEqual({
      command: "a stdio server needs a command",
    });
    expect(parsePairs("=x", "=")).toBeNull();
  });
});
