import { describe, expect, it } from "vitest";
import { exposedName, exposedUri, matchesPattern, parseExposedUri } from "./names.js";

describe("exposed names", () => {
  it("prefixes a valid name as is", () => {
    expect(exposedName("github", "create_issue")).toBe("github__create_issue");
    expect(exposedName("everything", "get-sum")).toBe("everything__get-sum");
  });

  it("replaces invalid characters and marks the change with a stable hash", () => {
    const name = exposedName("fs", "read.file");
    expect(name).toMatch(/^fs__read_file_[0-9a-f]{8}$/);
    expect(exposedName("fs", "read.file")).toBe(name);
    // Two names that clean to the same text still differ.
    expect(exposedName("fs", "read:file")).not.toBe(name);
  });

  it("shortens long names deterministically within 64 characters", () => {
    const long = "x".repeat(100);
    const name = exposedName("server", long);
    expect(name.length).toBe(64);
    expect(name).toMatch(/^[A-Za-z0-9_-]{64}$/);
    expect(exposedName("server", long)).toBe(name);
    expect(exposedName("server", `${long}y`)).not.toBe(name);
  });
});

describe("resource URIs", () => {
  it.each([
    ["files", "demo://resource/static/document/a.md"],
    ["my_srv", "file:///etc/hosts"],
    ["s1", "https://example.com/x?y=1#z"],
    ["everything", "demo://resource/dynamic/text/{index}"],
  ])("round-trips %s %s", (prefix, uri) => {
    const exposed = exposedUri(prefix, uri);
    expect(exposed).toMatch(/^[a-z][a-z0-9+.-]*:/);
    expect(parseExposedUri(exposed)).toEqual({ prefix, uri });
  });

  it("refuses URIs it did not issue", () => {
    expect(parseExposedUri("demo://x")).toBeNull();
    expect(parseExposedUri("mcp.UPPER+demo://x")).toBeNull();
  });
});

describe("patterns", () => {
  it.each([
    ["github__*", "github__create_issue", true],
    ["github__*", "gitlab__create_issue", false],
    ["*__read*", "fs__read_file", true],
    ["exact", "exact", true],
    ["exact", "exactly", false],
    ["a.b", "axb", false],
  ])("%s matches %s: %s", (pattern, name, expected) => {
    expect(matchesPattern(pattern, name)).toBe(expected);
  });
});
