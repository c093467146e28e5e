/**
 * The rule index read-model (`quota_index` in the config KV): which subjects have an enabled rule or budget on
 * each surface, and which AI subjects have one counted in tokens or USD. Edges read it to skip the quota round trip when nothing can apply. Published after every change,
 * under a lock shared by the replicas, so the last write always reflects the latest committed state.
 */
import type { ConfigStore } from "@thinkwatch/bus";
import { CONFIG_KEYS, type QuotaIndex } from "@thinkwatch/proto";
import type { LimitStore } from "./limit-store.js";

export interface RuleIndexPublisher {
  publish(): Promise<QuotaIndex>;
}

export function createRuleIndexPublisher(store: LimitStore, config: ConfigStore): RuleIndexPublisher {
  let lastRevision = 0;
  return {
    publish: () =>
      store.withIndexLock(async () => {
        const summaries = await store.summaries();
        lastRevision = Math.max(Date.now(), lastRevision + 1);
        const index: QuotaIndex = {
          revision: lastRevision,
          ai: summaries.filter((s) => s.surfaces.includes("ai_gateway")).map((s) => `${s.subject.kind}:${s.subject.id}`),
          mcp: summaries.filter((s) => s.surfaces.includes("mcp_gateway")).map((s) => `${s.subject.kind}:${s.subject.id}`),
          aiMetered: summaries.filter((s) => s.metered).map((s) => `${s.subject.kind}:${s.subject.id}`),
        };
        await config.put(CONFIG_KEYS.quotaIndex, index);
        return index;
      }),
  };
}
