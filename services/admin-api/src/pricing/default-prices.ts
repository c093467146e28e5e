/**
 * The shipped price table: list prices (USD per million tokens) of common OpenAI, Anthropic and Gemini models, as
 * published by the vendors (late 2025). Admins override any entry, or add models, on the Models page; a dated
 * variant (`gpt-4o-2024-08-06`) without its own entry takes the longest matching name. Multipliers default to 1.0
 * (quota counts raw tokens).
 */
import type { ModelPrice } from "@thinkwatch/proto";

type Row = [model: string, input: number, cachedInput: number | null, output: number];

const ROWS: Row[] = [
  // OpenAI
  ["gpt-5", 1.25, 0.125, 10],
  ["gpt-5-mini", 0.25, 0.025, 2],
  ["gpt-5-nano", 0.05, 0.005, 0.4],
  ["gpt-4.1", 2, 0.5, 8],
  ["gpt-4.1-mini", 0.4, 0.1, 1.6],
  ["gpt-4.1-nano", 0.1, 0.025, 0.4],
  ["gpt-4o", 2.5, 1.25, 10],
  ["gpt-4o-mini", 0.15, 0.075, 0.6],
  ["gpt-4-turbo", 10, null, 30],
  ["gpt-3.5-turbo", 0.5, null, 1.5],
  ["o1", 15, 7.5, 60],
  ["o1-mini", 1.1, 0.55, 4.4],
  ["o3", 2, 0.5, 8],
  ["o3-mini", 1.1, 0.55, 4.4],
  ["o4-mini", 1.1, 0.275, 4.4],
  ["text-embedding-3-small", 0.02, null, 0],
  ["text-embedding-3-large", 0.13, null, 0],
  // Anthropic
  ["claude-opus-4", 15, 1.5, 75],
  ["claude-opus-4-1", 15, 1.5, 75],
  ["claude-sonnet-4", 3, 0.3, 15],
  ["claude-sonnet-4-5", 3, 0.3, 15],
  ["claude-haiku-4-5", 1, 0.1, 5],
  ["claude-3-7-sonnet", 3, 0.3, 15],
  ["claude-3-5-sonnet", 3, 0.3, 15],
  ["claude-3-5-haiku", 0.8, 0.08, 4],
  ["claude-3-opus", 15, 1.5, 75],
  ["claude-3-haiku", 0.25, 0.03, 1.25],
  // Gemini
  ["gemini-2.5-pro", 1.25, 0.31, 10],
  ["gemini-2.5-flash", 0.3, 0.075, 2.5],
  ["gemini-2.5-flash-lite", 0.1, 0.025, 0.4],
  ["gemini-2.0-flash", 0.1, 0.025, 0.4],
  ["gemini-2.0-flash-lite", 0.075, null, 0.3],
  ["gemini-1.5-pro", 1.25, null, 5],
  ["gemini-1.5-flash", 0.075, null, 0.3],
];

export const DEFAULT_PRICES: ReadonlyMap<string, ModelPrice> = new Map(
  ROWS.map(([model, inputPerMTok, cachedInputPerMTok, outputPerMTok]) => [
    model,
    { inputPerMTok, outputPerMTok, cachedInputPerMTok, inputMultiplier: 1, outputMultiplier: 1 },
  ]),
);
