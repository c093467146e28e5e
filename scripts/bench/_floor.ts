/** The floor's step hops, shared by `bench floor` (every rung) and `bench breakdown --against floor` (the lane's floor). */
import { FLEET_NODE_FLAGS } from "@thinkwatch/testkit";
import { SERVER_CORE } from "./_lane-setup.js";
import { type ServerProcess, startServerScript } from "./_procs.js";

/** The mandatory steps of each lane: a floor is the bare hop doing only these, with the gateway's own libraries. */
export const FLOOR_STEPS = {
  "pass-through": "auth,decode,usage,audit,metrics",
  governed: "auth,decode,usage,audit,metrics,quota",
} as const;

/** A step hop on the servers' core under the gateway's own Node flags (the floor is the gateway doing only this work). */
export function startStepHop(
  upstreamBase: string,
  steps: string,
  quotaSubject: string,
  nodeArgs: string[] = [],
): Promise<ServerProcess> {
  return startServerScript(
    "_step-hop.ts",
    ["--upstream", upstreamBase, "--steps", steps, "--quota-subject", quotaSubject],
    SERVER_CORE,
    [...FLEET_NODE_FLAGS, ...nodeArgs],
  );
}
