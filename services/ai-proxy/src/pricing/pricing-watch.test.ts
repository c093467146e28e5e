import { type Bus, connectBus, openConfigStore } from "@thinkwatch/bus";
import { createLogger } from "@thinkwatch/log";
import { CONFIG_KEYS, type ModelPrice } from "@thinkwatch/proto";
import { createTestEnvironment, type TestEnvironment, waitFor } from "@thinkwatch/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UNPRICED } from "./model-cost.js";
import { type PricingHolder, watchPricing } from "./pricing-watch.js";

const log = createLogger({ service: "pricing-watch-test", level: "silent" });
const price = (inputPerMTok: number): ModelPrice => ({
  inputPerMTok,
  outputPerMTok: inputPerMTok * 4,
  cachedInputPerMTok: null,
  inputMultiplier: 1,
  outputMultiplier: 1,
});

let testEnv: TestEnvironment;
let bus: Bus;
let pricing: PricingHolder;

beforeAll(async () => {
  testEnv = await createTestEnvironment({ migrate: false });
  bus = await connectBus({ url: testEnv.env.NATS_URL as string, namespace: testEnv.id, name: "test", log });
  const store = await openConfigStore(bus, log);
  await store.put(CONFIG_KEYS.pricing, { revision: 1, models: { "gpt-4o": price(2), "gpt-4o-mini": price(0.15) } });
  pricing = await watchPricing(store, log);
});

afterAll(async () => {
  pricing?.stop();
  await bus?.close(1000);
  await testEnv?.cleanup();
});

describe("watchPricing", () => {
  it("prices by the client's model name, then the upstream's, then the longest prefix", () => {
    expect(pricing.priceOf("gpt-4o", "anything")).toEqual(price(2));
    expect(pricing.priceOf("my-alias", "gpt-4o-mini")).toEqual(price(0.15));
    expect(pricing.priceOf("gpt-4o-2024-08-06", "gpt-4o-2024-08-06")).toEqual(price(2));
    expect(pricing.priceOf("unknown", "also-unknown")).toEqual(UNPRICED);
  });

  it("keeps the answers of one client model apart per upstream model", () => {
    expect(pricing.priceOf("alias", "gpt-4o")).toEqual(price(2));
    expect(pricing.priceOf("alias", "gpt-4o-mini")).toEqual(price(0.15));
    // Asked again, from what it remembered.
    expect(pricing.priceOf("alias", "gpt-4o")).toEqual(price(2));
    expect(pricing.priceOf("alias", "gpt-4o-mini")).toEqual(price(0.15));
  });

  it("forgets what it remembered when the table changes", async () => {
    expect(pricing.priceOf("gpt-4o", "gpt-4o")).toEqual(price(2));
    expect(pricing.priceOf("new-model", "new-model")).toEqual(UNPRICED);
    const store = await openConfigStore(bus, log);
    await store.put(CONFIG_KEYS.pricing, { revision: 2, models: { "gpt-4o": price(3), "new-model": price(1) } });
    await waitFor(() => pricing.current().revision === 2, { what: "the new price table" });
    expect(pricing.priceOf("gpt-4o", "gpt-4o")).toEqual(price(3));
    expect(pricing.priceOf("new-model", "new-model")).toEqual(price(1));
  });
});
