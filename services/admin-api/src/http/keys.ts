/**
 * /api/keys: the virtual key lifecycle, through key-service on NATS. key-service owns the owner check: every call on
 * one key carries the caller and whether they may act on others' keys, and a key that is not theirs is a 404.
 */
import { CreateKeyRequestSchema, RotateKeyRequestSchema, UpdateKeyRequestSchema } from "@thinkwatch/console-api";
import { mintVirtualKey } from "@thinkwatch/crypto";
import { AppError } from "@thinkwatch/errors";
import { validate } from "@thinkwatch/http";
import {
  type KeyActor,
  KeysCreate,
  KeysDelete,
  KeysGet,
  KeysList,
  KeysReveal,
  KeysRevoke,
  KeysRotate,
  KeysUpdate,
} from "@thinkwatch/proto";
import type { Context } from "hono";
import * as v from "valibot";
import type { Permission } from "../auth/permissions.js";
import { holdsAnywhere } from "../auth/principal.js";
import type { AdminDeps } from "../deps.js";
import type { ConsoleEnv, ConsoleRouter } from "./console-router.js";
import { clientAddressOf } from "./request-actor.js";
import { readRouteBody, readRouteQuery } from "./route-input.js";

const DAY_MS = 86_400_000;
const KeyIdSchema = v.pipe(v.string(), v.uuid("key id must be a UUID"));
const BooleanFlag = v.optional(v.picklist(["true", "false"], "must be true or false"));

function keyId(c: Context<ConsoleEnv>): string {
  const id = c.req.param("id");
  if (!v.is(KeyIdSchema, id))
    throw new AppError("validation_failed", "key id must be a UUID", { details: { fields: { id: "must be a UUID" } } });
  return id;
}

/** Active and holding `api_keys:write` somewhere: the rule a person's keys follow (see identity-events.ts). */
async function mayHoldKeys(deps: AdminDeps, userId: string): Promise<boolean> {
  const user = await deps.access.user(userId);
  return user?.enabled === true && holdsAnywhere(user, "api_keys:write");
}

const KeyListQuerySchema = v.object({ all: BooleanFlag, includeDeleted: BooleanFlag });
const RevokeQuerySchema = v.object({ force: BooleanFlag });

/** The caller as key-service needs it: who, and whether `allPermission` lets them act on others' keys. */
function actorOf(c: Context<ConsoleEnv>, allPermission: Permission): KeyActor {
  const user = c.get("user");
  return {
    userId: user.id,
    mayActOnOthers: user.permissions.has(allPermission),
    name: user.email,
    ip: clientAddressOf(c),
    userAgent: c.req.header("user-agent")?.slice(0, 500) ?? null,
    requestId: c.get("requestId") ?? null,
  };
}

/** An optional JSON body (rotate): none at all means "all defaults". */
async function readOptionalJson<S extends v.GenericSchema>(c: Context<ConsoleEnv>, schema: S): Promise<v.InferOutput<S>> {
  const length = c.req.header("content-length");
  const chunked = c.req.header("transfer-encoding") !== undefined;
  if ((length === undefined || length === "0") && !chunked) return validate(schema, {});
  return readRouteBody(c, schema);
}

function futureExpiry(expiresAt: number | null | undefined): void {
  if (typeof expiresAt === "number" && expiresAt <= Date.now()) {
    throw new AppError("validation_failed", "invalid request: expiresAt: must be in the future", {
      details: { fields: { expiresAt: "must be in the future" } },
    });
  }
}

export function registerKeyRoutes(router: ConsoleRouter, deps: AdminDeps): void {
  router.route("POST", "/api/keys", "api_keys:write", { body: CreateKeyRequestSchema }, async (c) => {
    const input = await readRouteBody(c, CreateKeyRequestSchema);
    const actor = actorOf(c, "api_keys:write_all");
    const forOther = input.userId !== undefined && input.userId !== actor.userId;
    if ((forOther || input.ownerKind === "service_account") && !actor.mayActOnOthers) {
      throw new AppError("forbidden", "only admins may create keys for other users or service accounts");
    }
    // Team membership is not known here yet: scoping a key to a team (and billing it there) is an admin's call.
    if (input.teamId != null && !actor.mayActOnOthers) throw new AppError("forbidden", "only admins may scope a key to a team");
    if (input.expiresInDays !== undefined && input.expiresAt !== undefined) {
      throw new AppError("validation_failed", "invalid request: give expiresInDays or expiresAt, not both", {
        details: { fields: { expiresAt: "give expiresInDays or expiresAt, not both" } },
      });
    }
    futureExpiry(input.expiresAt);
    // A person's keys work only while they may hold keys (the rule key-service enforces when roles change).
    if (forOther && input.ownerKind !== "service_account" && !(await mayHoldKeys(deps, input.userId as string))) {
      throw new AppError("conflict", "this user may not hold API keys: they are inactive or no role grants api_keys:write");
    }
    // The key is minted here: only its hash and prefix go to key-service, so the plaintext never crosses the bus.
    const { plaintext, ...minted } = mintVirtualKey();
    const created = await deps.bus.request(
      KeysCreate,
      {
        minted,
        userId: input.userId ?? actor.userId,
        ...(input.ownerKind === undefined ? {} : { ownerKind: input.ownerKind }),
        name: input.name,
        ...(input.surfaces === undefined ? {} : { surfaces: input.surfaces }),
        ...(input.allowedModels === undefined ? {} : { allowedModels: input.allowedModels }),
        ...(input.allowedMcpTools === undefined ? {} : { allowedMcpTools: input.allowedMcpTools }),
        ...(input.strictConversion === undefined ? {} : { strictConversion: input.strictConversion }),
        ...(input.teamId === undefined ? {} : { teamId: input.teamId }),
        ...(input.costCenter === undefined ? {} : { costCenter: input.costCenter }),
        ...(input.expiresInDays !== undefined
          ? { expiresAt: Date.now() + input.expiresInDays * DAY_MS }
          : input.expiresAt !== undefined
            ? { expiresAt: input.expiresAt }
            : {}),
        ...(input.inactivityTimeoutDays === undefined ? {} : { inactivityTimeoutDays: input.inactivityTimeoutDays }),
        ...(input.rotationPeriodDays === undefined ? {} : { rotationPeriodDays: input.rotationPeriodDays }),
        actor,
      },
      { trace: c.get("trace") },
    );
    return c.json({ key: created.key, plaintext }, 201);
  });

  router.route("GET", "/api/keys", "api_keys:read", { query: KeyListQuerySchema }, async (c) => {
    const user = c.get("user");
    const query = readRouteQuery(c, KeyListQuerySchema);
    const all = query.all === "true" && user.permissions.has("api_keys:read_all");
    const includeDeleted = query.includeDeleted === "true";
    const listed = await deps.bus.request(KeysList, all ? { includeDeleted } : { userId: user.id, includeDeleted }, {
      trace: c.get("trace"),
    });
    return c.json({ keys: listed.keys });
  });

  router.route("GET", "/api/keys/:id", "api_keys:read", async (c) => {
    const got = await deps.bus.request(
      KeysGet,
      { id: keyId(c), actor: actorOf(c, "api_keys:read_all") },
      { trace: c.get("trace") },
    );
    return c.json({ key: got.key });
  });

  router.route("PATCH", "/api/keys/:id", "api_keys:write", { body: UpdateKeyRequestSchema }, async (c) => {
    const id = keyId(c);
    const patch = await readRouteBody(c, UpdateKeyRequestSchema);
    const actor = actorOf(c, "api_keys:write_all");
    if (patch.teamId != null && !actor.mayActOnOthers) throw new AppError("forbidden", "only admins may scope a key to a team");
    futureExpiry(patch.expiresAt);
    const updated = await deps.bus.request(KeysUpdate, { id, actor, patch }, { trace: c.get("trace") });
    return c.json({ key: updated.key });
  });

  router.route("POST", "/api/keys/:id/rotate", "api_keys:write", { body: RotateKeyRequestSchema }, async (c) => {
    const id = keyId(c);
    const input = await readOptionalJson(c, RotateKeyRequestSchema);
    const { plaintext, ...minted } = mintVirtualKey();
    const rotated = await deps.bus.request(
      KeysRotate,
      {
        id,
        actor: actorOf(c, "api_keys:write_all"),
        minted,
        ...(input.graceHours === undefined ? {} : { graceHours: input.graceHours }),
      },
      { trace: c.get("trace") },
    );
    return c.json({ ...rotated, plaintext }, 201);
  });

  router.route("POST", "/api/keys/:id/reveal", "api_keys:write", async (c) => {
    const revealed = await deps.bus.request(
      KeysReveal,
      { id: keyId(c), actor: actorOf(c, "api_keys:write_all") },
      { trace: c.get("trace") },
    );
    return c.json({ key: revealed.key, plaintext: deps.keyring.decrypt(revealed.sealedPlaintext) });
  });

  router.route("POST", "/api/keys/:id/revoke", "api_keys:write", { query: RevokeQuerySchema }, async (c) => {
    const id = keyId(c);
    const force = readRouteQuery(c, RevokeQuerySchema).force === "true";
    const revoked = await deps.bus.request(
      KeysRevoke,
      { id, actor: actorOf(c, "api_keys:write_all"), force },
      { trace: c.get("trace") },
    );
    return c.json(revoked);
  });

  router.route("DELETE", "/api/keys/:id", "api_keys:write", async (c) => {
    const deleted = await deps.bus.request(
      KeysDelete,
      { id: keyId(c), actor: actorOf(c, "api_keys:write_all") },
      { trace: c.get("trace") },
    );
    return c.json(deleted);
  });
}
