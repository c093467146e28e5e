ALTER TABLE "api_keys" ADD COLUMN "owner_kind" text DEFAULT 'user' NOT NULL;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "cost_center" text;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "allowed_mcp_tools" text[];--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "inactivity_timeout_days" integer;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "rotation_period_days" integer;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "lineage_id" uuid DEFAULT gen_random_uuid() NOT NULL;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "rotated_from_id" uuid;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "superseded_by_id" uuid;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "grace_ends_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "revoked_reason" text;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "disabled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "disabled_reason" text;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "suspended_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "expiry_recorded_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "expiry_warned_days" integer;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "sealed_plaintext" text;--> statement-breakpoint
CREATE INDEX "api_keys_lineage_id_idx" ON "api_keys" USING btree ("lineage_id");--> statement-breakpoint
CREATE INDEX "api_keys_expires_at_idx" ON "api_keys" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "api_keys_deleted_at_idx" ON "api_keys" USING btree ("deleted_at");