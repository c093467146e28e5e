import type { PricingTable } from "@thinkwatch/proto";
import { describe, expect, it } from "vitest";
import { costOf, priceOf, UNPRICED } from "./model-cost.js";

const table: PricingTable = {
  revision: 1,
  models: {
    "gpt-4o": { inputPerMTok: 2.5, outputPerMTok: 10, cachedInputPerMTok: 1.25, inputMultiplier: 1, outputMultiplier: 3 },
    "gpt-4o-mini": {
      inputPerMTok: 0.15,
      outputPerMTok: 0.6,
      cachedInputPerMTok: null,
      inputMultiplier: 0.5,
      outputMultiplier: 1,
    },
  },
};

describe("model prices", () => {
  it("finds the exact model, then the longest priced prefix, then the upstream name; unpriced otherwise", () => {
    expect(priceOf(table, "gpt-4o-mini")).toBe(table.models["gpt-4o-mini"]);
    expect(priceOf(table, "gpt-4o-mini-2024-07-18")).toBe(table.models["gpt-4o-mini"]);
    expect(priceOf(table, "gpt-4o-2024-08-06")).toBe(table.models["gpt-4o"]);
    expect(priceOf(table, "my-deployment", "gpt-4o")).toBe(table.models["gpt-4o"]);
    expect(priceOf(table, "llama-3")).toBe(UNPRICED);
  });

  it("keeps raw tokens, weighted tokens and USD apart; cached input at its own price", () => {
    const price = table.models["gpt-4o"] ?? UNPRICED;
    expect(costOf(price, { inputTokens: 1000, cachedTokens: 400, outputTokens: 200 })).toEqual({
      weightedInputTokens: 1000,
      weightedOutputTokens: 600,
      // 600 × 2.5 + 400 × 1.25 + 200 × 10 per million
      costUsd: 0.004,
    });
    const mini = table.models["gpt-4o-mini"] ?? UNPRICED;
    // No cached price: cached input is billed as input.
    expect(costOf(mini, { inputTokens: 1_000_000, cachedTokens: 500_000, outputTokens: 0 }).costUsd).toBe(0.15);
    expect(costOf(mini, { inputTokens: 10, cachedTokens: 0, outputTokens: 10 })).toMatchObject({
      weightedInputTokens: 5,
      weightedOutputTokens: 10,
    });
  });
});
