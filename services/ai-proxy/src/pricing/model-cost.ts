/**
 * The three numbers of one request, never confused: raw tokens (what the upstream billed), weighted tokens (raw ×
 * the model's multipliers — what token rules and budgets count) and USD (raw × the model's prices per million).
 */
import type { ModelPrice, PricingTable } from "@thinkwatch/proto";

export interface TokenCounts {
  inputTokens: number;
  /** A subset of inputTokens read from a prompt cache. */
  cachedTokens: number;
  outputTokens: number;
}

export interface RequestCost {
  weightedInputTokens: number;
  weightedOutputTokens: number;
  costUsd: number;
}

/** A model without a price counts weighted tokens 1:1 and costs nothing (an admin can add its price). */
export const UNPRICED: ModelPrice = {
  inputPerMTok: 0,
  outputPerMTok: 0,
  cachedInputPerMTok: null,
  inputMultiplier: 1,
  outputMultiplier: 1,
};

/** The exact model's price, else the longest priced prefix (`gpt-4o-2024-08-06` → `gpt-4o`). */
export function priceOf(table: PricingTable, ...names: Array<string | null | undefined>): ModelPrice {
  for (const name of names) {
    if (name === null || name === undefined || name === "") continue;
    const exact = table.models[name];
    if (exact !== undefined) return exact;
  }
  for (const name of names) {
    if (name === null || name === undefined || name === "") continue;
    let best: { length: number; price: ModelPrice } | undefined;
    for (const [model, price] of Object.entries(table.models)) {
      if (name.startsWith(model) && (best === undefined || model.length > best.length)) best = { length: model.length, price };
    }
    if (best !== undefined) return best.price;
  }
  return UNPRICED;
}

export function costOf(price: ModelPrice, tokens: TokenCounts): RequestCost {
  const cached = Math.min(tokens.cachedTokens, tokens.inputTokens);
  const uncached = tokens.inputTokens - cached;
  const usd =
    (uncached * price.inputPerMTok +
      cached * (price.cachedInputPerMTok ?? price.inputPerMTok) +
      tokens.outputTokens * price.outputPerMTok) /
    1_000_000;
  return {
    weightedInputTokens: tokens.inputTokens * price.inputMultiplier,
    weightedOutputTokens: tokens.outputTokens * price.outputMultiplier,
    // Micro-dollar precision: enough for a single token of the cheapest model, free of float dust.
    costUsd: Math.round(usd * 1e9) / 1e9,
  };
}
