/**
 * The upstream client, rebuilt when the egress policy tightens: the policy is enforced when a connection opens, so
 * keep-alive connections opened under the old policy (to a loopback model server, say) are dropped at once instead
 * of living on until they idle out. The old client finishes its in-flight requests and closes.
 */
import type { SettingsHolder } from "@thinkwatch/bus";
import type { Logger } from "@thinkwatch/log";
import type { UpstreamHttp } from "./upstream-http.js";

export function bindUpstreamToPolicy(create: () => UpstreamHttp, settings: SettingsHolder, log: Logger): UpstreamHttp {
  let current = create();
  let allowPrivate = settings.current().security.allowPrivateUpstreams;
  settings.onChange((next) => {
    const nowAllowed = next.security.allowPrivateUpstreams;
    const tightened = allowPrivate && !nowAllowed;
    allowPrivate = nowAllowed;
    if (!tightened) return;
    const old = current;
    current = create();
    old.close().catch((caught: unknown) => log.warn({ err: caught }, "closing the previous upstream pool failed"));
    log.info("private upstreams turned off; upstream connections reopened under the new policy");
  });
  return {
    send: (request) => current.send(request),
    close: () => current.close(),
  };
}
