import { describe, expect, it } from "vitest";
import { gatewayBaseUrl } from "./gateway-url";

describe("gatewayBaseUrl", () => {
  it.each([
    ["http://localhost:3001/setup", "http://localhost:3000/v1"],
    ["http://10.0.0.5:3001/?x=1#frag", "http://10.0.0.5:3000/v1"],
    ["https://console.example.com/login", "https://console.example.com:3000/v1"],
    ["http://[::1]:3001/", "http://[::1]:3000/v1"],
    ["http://thinkwatch.internal/", "http://thinkwatch.internal:3000/v1"],
  ])("%s → %s", (href, expected) => {
    expect(gatewayBaseUrl(href)).toBe(expected);
  });
});
