import { AppError } from "@thinkwatch/errors";
import { describe, expect, it } from "vitest";
import { probeClickHouse } from "../src/index.js";
import { closedPort } from "./free-port.js";
import { CLICKHOUSE_PASSWORD, CLICKHOUSE_URL, CLICKHOUSE_USER } from "./test-database.js";

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const caught = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(caught).toBeInstanceOf(AppError);
  return caught as AppError;
}

describe("probeClickHouse", () => {
  it("passes against the configured server", async () => {
    await expect(
      probeClickHouse(CLICKHOUSE_URL, { username: CLICKHOUSE_USER, password: CLICKHOUSE_PASSWORD }),
    ).resolves.toBeUndefined();
  });

  it("says the ping failed when nothing listens, without echoing the password in the URL", async () => {
    const error = await failure(probeClickHouse(`http://default:s3cret-pw@127.0.0.1:${await closedPort()}`, { timeoutMs: 1000 }));
    expect(error.code).toBe("unavailable");
    expect(error.message).toMatch(/^ClickHouse at http:\/\/127\.0\.0\.1:\d+\/ did not answer ping: /);
    expect(error.message).not.toContain("s3cret-pw");
  });

  it("says SELECT 1 failed, and as whom, when the server refuses the credentials", async () => {
    const error = await failure(probeClickHouse(CLICKHOUSE_URL, { username: CLICKHOUSE_USER, password: "definitely-wrong" }));
    expect(error.message).toMatch(
      new RegExp(`answers ping but SELECT 1 as user "${CLICKHOUSE_USER}" failed: .*(Authentication|password)`, "i"),
    );
  });

  it("names the database when it does not exist", async () => {
    const error = await failure(
      probeClickHouse(CLICKHOUSE_URL, { username: CLICKHOUSE_USER, password: CLICKHOUSE_PASSWORD, database: "tw_no_such_db" }),
    );
    expect(error.message).toMatch(/SELECT 1 as user "[^"]+" in database "tw_no_such_db" failed: .*tw_no_such_db/);
  });
});

describe("probeClickHouse with credentials in the URL", () => {
  it("uses them when no separate username/password is given", async () => {
    const url = new URL(CLICKHOUSE_URL);
    url.username = CLICKHOUSE_USER;
    url.password = "wrong-in-url";
    const error = await failure(probeClickHouse(url.toString()));
    expect(error.message).toMatch(new RegExp(`SELECT 1 as user "${CLICKHOUSE_USER}" failed`));
    expect(error.message).not.toContain("wrong-in-url");
  });
});
