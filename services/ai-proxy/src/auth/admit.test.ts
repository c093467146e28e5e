import type { QuotaClient, QuotaIndexHolder } from "@thinkwatch/gateway-auth";
import { type ApiKeyInfo, type QuotaCheckRequest, subjectKey } from "@thinkwatch/proto";
import { describe, expect, it } from "vitest";
import type { Route } from "../routing/model-router.js";
import { checkQuota } from "./admit.js";

const key = { id: "k2", lineageId: "k1", userId: "u1", teamId: null } as ApiKeyInfo;
const route = { provider: { id: "p1" } } as Route;
const price = { inputPerMTok: 2, outputPerMTok: 8, cachedInputPerMTok: null, inputMultiplier: 1, outputMultiplier: 1 };

/** A rule index listing `listed` on the AI surface (`metered` of them in tokens or USD), and a quota that admits. */
function deps(listed: string[], metered: string[]) {
  const asked: QuotaCheckRequest[] = [];
  const quota: QuotaClient = {
    check: async (request) => {
      asked.push(request);
      return { allowed: true };
    },
    failures: () => ({ failOpen: 0, failClosed: 0 }),
  };
  const has = (list: string[]) => (subjects: Parameters<QuotaIndexHolder["anyApplies"]>[1]) =>
    subjects.some((s) => list.includes(subjectKey(s)));
  const quotaIndex: QuotaIndexHolder = {
    anyApplies: (surface, subjects) => surface === "ai_gateway" && has(listed)(subjects),
    anyOnSurface: (surface) => surface === "ai_gateway" && listed.length > 0,
    anyMetered: has(metered),
    stop: () => undefined,
  };
  return { asked, deps: { quota, quotaIndex } };
}

describe("checkQuota", () => {
  it("walks the prompt for its estimate only when a limit in tokens or USD applies", async () => {
    let estimated = 0;
    const estimate = (id: string) => ({
      eventId: id,
      inputTokens: () => {
        estimated += 1;
        return 1_000_000;
      },
      maxOutputTokens: 500_000,
      price,
    });

    // A request-count rule on the key: asked, with nothing reserved and the prompt never estimated.
    const counted = deps(["api_key:k1"], []);
    await checkQuota(counted.deps, key, route, "r1", estimate("e1"));
    expect(estimated).toBe(0);
    expect(counted.asked[0]?.reservation).toEqual({ id: "e1", weightedTokens: 0, usd: 0 });

    // A budget on the user: the estimate is reserved.
    const budgeted = deps(["api_key:k1", "user:u1"], ["user:u1"]);
    await checkQuota(budgeted.deps, key, route, "r2", estimate("e2"));
    expect(estimated).toBe(1);
    expect(budgeted.asked[0]?.reservation).toEqual({ id: "e2", weightedTokens: 1_500_000, usd: 6 });

    // No rule at all: quota is not asked.
    const none = deps([], []);
    expect(checkQuota(none.deps, key, route, "r3", estimate("e3"))).toBeNull();
    expect(none.asked).toHaveLength(0);
  });
});
