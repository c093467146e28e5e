import { describe, expect, it } from "vitest";
import { forwardedQuery } from "./conversion-policy.js";

describe("forwardedQuery", () => {
  it.each([
    ["http://gw/v1/messages", ""],
    ["http://gw/v1/messages?beta=true", "?beta=true"],
    ["http://gw/v1/messages?beta=true&key=tw-secret", "?beta=true"],
    ["http://gw/v1/chat/completions?API-KEY=x&api_key=y", ""],
    ["http://gw/v1/messages?a=1&b=two%20words", "?a=1&b=two+words"],
  ])("%s → %j", (url, expected) => {
    expect(forwardedQuery(url)).toBe(expected);
  });
});
