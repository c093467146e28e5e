import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { databaseEntries, encryptionEntries, jwtEntries, natsEntries } from "./env-entries.js";
import { port } from "./fields.js";
import { ConfigError, parseEnv } from "./parse-env.js";

const Schema = v.object({ ...natsEntries, ...databaseEntries, ...jwtEntries, ...encryptionEntries, GATEWAY_PORT: port(3000) });
const GOOD_SECRET = "9f2c1e8a7b3d4f60a1b2c3d4e5f60718293a4b5c6d7e8f90";
const GOOD_KEY = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

function problemsOf(env: Record<string, string | undefined>): Array<{ variable: string; message: string }> {
  try {
    parseEnv(Schema, env);
  } catch (caught) {
    if (caught instanceof ConfigError) return caught.problems;
    throw caught;
  }
  return [];
}

describe("parseEnv", () => {
  it("applies defaults and converts types", () => {
    const config = parseEnv(Schema, { JWT_SECRET: GOOD_SECRET, ENCRYPTION_KEY: GOOD_KEY, GATEWAY_PORT: "" });
    expect(config.GATEWAY_PORT).toBe(3000);
    expect(config.NATS_URL).toBe("nats://127.0.0.1:4222");
    expect(config.ENCRYPTION_PREVIOUS_KEYS).toEqual([]);
  });

  it("lists every problem at once, one per variable, naming what to do and never the value", () => {
    const problems = problemsOf({ JWT_SECRET: "short", ENCRYPTION_KEY: "xyz", DATABASE_URL: "mysql://x", GATEWAY_PORT: "99999" });
    expect(problems.map((p) => p.variable).sort()).toEqual(["DATABASE_URL", "ENCRYPTION_KEY", "GATEWAY_PORT", "JWT_SECRET"]);
    const jwt = problems.find((p) => p.variable === "JWT_SECRET");
    expect(jwt?.message).toMatch(/at least 32 characters.*openssl rand -hex 32/);
    expect(problems.find((p) => p.variable === "ENCRYPTION_KEY")?.message).toMatch(/64 hex characters/);
    for (const problem of problems) expect(problem.message).not.toContain("short");
  });

  it.each([
    ["a repeated character", "a".repeat(40)],
    ["a repeated word", "passwordpasswordpasswordpassword"],
    ["two alternating characters", "ababababababababababababababababab"],
  ])("rejects a JWT secret that is long enough but low in entropy: %s", (_label, secret) => {
    const problems = problemsOf({ JWT_SECRET: secret, ENCRYPTION_KEY: GOOD_KEY });
    expect(problems).toEqual([{ variable: "JWT_SECRET", message: expect.stringMatching(/low entropy/) }]);
  });

  it("reports required variables that are missing", () => {
    const problems = problemsOf({});
    expect(problems.map((p) => p.variable).sort()).toEqual(["ENCRYPTION_KEY", "JWT_SECRET"]);
  });
});
