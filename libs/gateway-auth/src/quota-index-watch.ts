/**
 * The rule index (`quota_index` in the config KV): which subjects have any rule or budget. A request none of whose
 * subjects is listed skips quota entirely — no NATS round trip for a rule that does not exist — and one none of
 * whose subjects has a limit in tokens or USD is not estimated (no walk over its prompt for a request-count rule).
 */
import type { ConfigStore } from "@thinkwatch/bus";
import type { Logger } from "@thinkwatch/log";
import { CONFIG_KEYS, type QuotaSubject, type QuotaSurface, subjectKey } from "@thinkwatch/proto";

export interface QuotaIndexHolder {
  /** True when at least one subject has a rule or budget on this surface. */
  anyApplies(surface: QuotaSurface, subjects: QuotaSubject[]): boolean;
  /** True when any subject at all has a rule or budget on this surface (lets an edge skip resolving subjects). */
  anyOnSurface(surface: QuotaSurface): boolean;
  /** True when at least one subject has an AI limit counted in tokens or USD (the request's estimate is reserved). */
  anyMetered(subjects: QuotaSubject[]): boolean;
  stop(): void;
}

export async function watchQuotaIndex(store: ConfigStore, log: Logger): Promise<QuotaIndexHolder> {
  let ai = new Set<string>();
  let mcp = new Set<string>();
  // Null: an index without the field (an older quota), where every AI subject counts as metered.
  let metered: Set<string> | null = new Set<string>();
  const watcher = await store.watch(CONFIG_KEYS.quotaIndex, (index) => {
    ai = new Set(index.ai);
    mcp = new Set(index.mcp);
    metered = index.aiMetered === undefined ? null : new Set(index.aiMetered);
    log.info({ revision: index.revision, ai: ai.size, mcp: mcp.size }, "quota rule index loaded");
  });
  return {
    anyApplies: (surface, subjects) => anyListed(surface === "ai_gateway" ? ai : mcp, subjects),
    anyOnSurface: (surface) => (surface === "ai_gateway" ? ai : mcp).size > 0,
    anyMetered: (subjects) => anyListed(metered ?? ai, subjects),
    stop: () => watcher.stop(),
  };
}

function anyListed(listed: ReadonlySet<string>, subjects: QuotaSubject[]): boolean {
  return listed.size > 0 && subjects.some((subject) => listed.has(subjectKey(subject)));
}
