/**
 * /api/admin/sso: the OIDC configuration as the console edits it. The client secret is write-only (stored
 * encrypted, read back as a hint); enabling runs discovery first and refuses a configuration that does not work,
 * and /api/admin/sso/test runs discovery on a configuration before it is saved.
 */

import {
  type SsoConfigInput,
  SsoConfigInputSchema,
  type SsoConfigView,
  SsoConfigViewSchema,
  type SsoDiscovery,
  SsoDiscoverySchema,
} from "@thinkwatch/console-api";
import { AppError } from "@thinkwatch/errors";
import * as v from "valibot";
import { ROLES } from "../auth/roles.js";
import type { AdminDeps } from "../deps.js";
import { maskSecret } from "../providers/provider-secrets.js";
import { issuerProblem } from "../sso/oidc-discovery.js";
import type { StoredSsoConfig } from "../sso/sso-config-store.js";
import type { ConsoleRouter } from "./console-router.js";
import { requestActor } from "./request-actor.js";
import { readRouteBody } from "./route-input.js";

const SsoResponseSchema = v.object({ sso: SsoConfigViewSchema });

const EMPTY: StoredSsoConfig = {
  enabled: false,
  issuer: "",
  clientId: "",
  clientSecretEncrypted: null,
  scopes: "openid email profile",
  groupsClaim: null,
  groupRoles: {},
  buttonLabel: "Sign in with SSO",
  redirectUri: null,
};

export function registerSsoAdminRoutes(router: ConsoleRouter, deps: AdminDeps): void {
  const view = (config: StoredSsoConfig): SsoConfigView => {
    const { clientSecretEncrypted, ...rest } = config;
    let clientSecretHint: string | null = null;
    let status: "ok" | "degraded" = "ok";
    let statusReason: string | null = null;
    if (clientSecretEncrypted !== null) {
      try {
        clientSecretHint = maskSecret(deps.keyring.decrypt(clientSecretEncrypted));
      } catch (caught) {
        status = "degraded";
        statusReason = `cannot decrypt the client secret: ${(caught as Error).message}`;
      }
    }
    return { ...rest, hasClientSecret: clientSecretEncrypted !== null, clientSecretHint, status, statusReason };
  };
  /** The secret to use: the one sent, else the stored one. */
  const secretFor = (input: SsoConfigInput, stored: StoredSsoConfig | null): string | null => {
    if (input.clientSecret !== undefined) return input.clientSecret;
    if (stored?.clientSecretEncrypted == null) return null;
    return deps.keyring.decrypt(stored.clientSecretEncrypted);
  };
  const checkRoles = (input: SsoConfigInput) => {
    for (const [group, role] of Object.entries(input.groupRoles)) {
      if (!(ROLES as readonly string[]).includes(role))
        throw fieldError(`groupRoles.${group}`, `a role is one of ${ROLES.join(", ")}`);
    }
  };
  const tryDiscovery = async (input: SsoConfigInput, secret: string | null): Promise<SsoDiscovery> => {
    checkRoles(input);
    const problem = issuerProblem(input.issuer);
    if (problem !== null) throw fieldError("issuer", problem);
    if (secret === null) throw fieldError("clientSecret", "a client secret is required");
    try {
      const config = await deps.oidc.discover({ issuer: input.issuer, clientId: input.clientId, clientSecret: secret });
      const meta = config.serverMetadata();
      return {
        issuer: meta.issuer,
        authorizationEndpoint: meta.authorization_endpoint ?? null,
        tokenEndpoint: meta.token_endpoint ?? null,
        userinfoEndpoint: meta.userinfo_endpoint ?? null,
        codeChallengeMethods: meta.code_challenge_methods_supported ?? [],
      };
    } catch (caught) {
      throw fieldError("issuer", (caught as Error).message);
    }
  };

  router.route("GET", "/api/admin/sso", "settings:read", async (c) => c.json({ sso: view((await deps.sso.get()) ?? EMPTY) }), {
    summary: "The SSO configuration (the client secret only as a hint)",
    response: SsoResponseSchema,
  });

  router.route(
    "POST",
    "/api/admin/sso/test",
    "settings:write",
    async (c) => {
      const input = await readRouteBody(c, SsoConfigInputSchema);
      const discovered = await tryDiscovery(input, secretFor(input, await deps.sso.get()));
      return c.json({ ok: true, discovered });
    },
    {
      summary: "Run OIDC discovery on a configuration before saving it",
      body: SsoConfigInputSchema,
      response: v.object({ ok: v.literal(true), discovered: SsoDiscoverySchema }),
    },
  );

  router.route(
    "PUT",
    "/api/admin/sso",
    "settings:write",
    async (c) => {
      const input = await readRouteBody(c, SsoConfigInputSchema);
      const stored = await deps.sso.get();
      const secret = secretFor(input, stored);
      if (input.enabled) await tryDiscovery(input, secret);
      else {
        checkRoles(input);
        const problem = issuerProblem(input.issuer);
        if (problem !== null) throw fieldError("issuer", problem);
      }
      const { clientSecret: _sent, ...rest } = input;
      const next: StoredSsoConfig = {
        ...rest,
        clientSecretEncrypted:
          input.clientSecret !== undefined ? deps.keyring.encrypt(input.clientSecret) : (stored?.clientSecretEncrypted ?? null),
      };
      await deps.sso.put(next);
      const safe = (config: StoredSsoConfig | null) =>
        config === null ? null : { ...view(config), clientSecretHint: undefined };
      deps.audit.record({
        category: "admin",
        action: "sso.updated",
        actor: requestActor(c),
        target: { kind: "settings", id: "sso", name: "sso" },
        before: safe(stored),
        after: { ...safe(next), clientSecretChanged: input.clientSecret !== undefined },
        requestId: c.get("requestId"),
      });
      return c.json({ sso: view(next) });
    },
    {
      summary: "Save the SSO configuration (enabling runs discovery first)",
      body: SsoConfigInputSchema,
      response: SsoResponseSchema,
    },
  );
}

function fieldError(field: string, message: string): AppError {
  return new AppError("validation_failed", `invalid SSO configuration: ${field}: ${message}`, {
    details: { fields: { [field]: message } },
  });
}
