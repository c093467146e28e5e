// Unit tests of the environment reading: defaults match the services', URLs are parsed and bad values are named.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InfraError } from "../infra-error.mjs";
import {
  isLocalHost,
  readClickHouseSettings,
  readInfraSettings,
  readNatsSettings,
  readPostgresSettings,
  readRedisSettings,
} from "../settings.mjs";

describe("readInfraSettings", () => {
  it("uses the services' defaults when nothing is set", () => {
    const settings = readInfraSettings({});
    assert.deepEqual(
      [settings.postgres.address, settings.postgres.user, settings.postgres.database, settings.postgres.local],
      ["127.0.0.1:5432", "postgres", "thinkwatch", true],
    );
    assert.equal(settings.redis.address, "127.0.0.1:6379");
    assert.equal(settings.nats.address, "127.0.0.1:4222");
    assert.deepEqual(
      [settings.clickhouse.baseUrl, settings.clickhouse.database, settings.clickhouse.user, settings.clickhouse.password],
      ["http://127.0.0.1:8123", "thinkwatch", "default", ""],
    );
  });

  it("treats empty variables like unset ones", () => {
    assert.equal(readRedisSettings({ REDIS_URL: "" }).port, 6379);
  });

  it("decodes credentials and the database name from DATABASE_URL", () => {
    const pg = readPostgresSettings({ DATABASE_URL: "postgresql://app%40x:p%2Fw@db.example:6543/my%20db?sslmode=require" });
    assert.deepEqual(
      [pg.user, pg.password, pg.database, pg.host, pg.port, pg.sslmode, pg.local],
      ["app@x", "p/w", "my db", "db.example", 6543, "require", false],
    );
  });

  it("checks only the first server of a NATS_URL list and reads user/password or token", () => {
    const nats = readNatsSettings({ NATS_URL: "nats://u:p@127.0.0.1:4333, nats://other:4222" });
    assert.deepEqual([nats.port, nats.user, nats.pass], [4333, "u", "p"]);
    assert.equal(readNatsSettings({ NATS_URL: "nats://s3cret@localhost:4222" }).user, "s3cret");
  });

  it("strips path and credentials from the ClickHouse base URL and keeps the password from its own variable", () => {
    const ch = readClickHouseSettings({
      CLICKHOUSE_URL: "http://[::1]:18123/",
      CLICKHOUSE_PASSWORD: "pw",
      CLICKHOUSE_USER: "tw_app",
    });
    assert.deepEqual(
      [ch.baseUrl, ch.host, ch.port, ch.local, ch.user, ch.password],
      ["http://[::1]:18123", "::1", 18123, true, "tw_app", "pw"],
    );
  });

  const rejected = [
    ["a foreign scheme", () => readPostgresSettings({ DATABASE_URL: "mysql://x/y" }), /DATABASE_URL has scheme "mysql:"/],
    ["an unparseable URL", () => readRedisSettings({ REDIS_URL: "not a url" }), /REDIS_URL is not a valid URL/],
    [
      "a ClickHouse database that is not an identifier",
      () => readClickHouseSettings({ CLICKHOUSE_DB: "x`; DROP" }),
      /CLICKHOUSE_DB .* is not a plain identifier/,
    ],
    [
      "a ClickHouse user with markup",
      () => readClickHouseSettings({ CLICKHOUSE_USER: "<admin>" }),
      /CLICKHOUSE_USER .* is not a plain user name/,
    ],
  ];
  for (const [what, read, message] of rejected) {
    it(`rejects ${what} with an InfraError naming the variable`, () => {
      assert.throws(read, (error) => error instanceof InfraError && message.test(error.message) && error.remedy.length > 0);
    });
  }
});

describe("isLocalHost", () => {
  for (const [host, expected] of [
    ["127.0.0.1", true],
    ["127.3.2.1", true],
    ["localhost", true],
    ["::1", true],
    ["db.internal", false],
    ["10.0.0.5", false],
    ["127.0.0.1.example", false],
  ]) {
    it(`${host} → ${expected}`, () => assert.equal(isLocalHost(host), expected));
  }
});
