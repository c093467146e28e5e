CREATE TABLE "model_routes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"model_id" uuid NOT NULL,
	"provider_id" uuid NOT NULL,
	"upstream_model" text NOT NULL,
	"weight" integer DEFAULT 1 NOT NULL,
	"priority" integer DEFAULT 0 NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"rpm_limit" integer,
	"tpm_limit" integer,
	"position" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "models" DROP CONSTRAINT "models_model_id_unique";--> statement-breakpoint
ALTER TABLE "models" DROP CONSTRAINT "models_provider_id_providers_id_fk";
--> statement-breakpoint
ALTER TABLE "models" ADD COLUMN "deleted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "model_routes" ADD CONSTRAINT "model_routes_model_id_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."models"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_routes" ADD CONSTRAINT "model_routes_provider_id_providers_id_fk" FOREIGN KEY ("provider_id") REFERENCES "public"."providers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "model_routes_target" ON "model_routes" USING btree ("model_id","provider_id","upstream_model");--> statement-breakpoint
CREATE UNIQUE INDEX "models_model_id_live" ON "models" USING btree ("model_id") WHERE deleted_at is null;--> statement-breakpoint
-- Every existing model keeps serving exactly as before: its provider and upstream name become its one route.
INSERT INTO "model_routes" ("model_id", "provider_id", "upstream_model", "weight", "priority", "enabled", "position", "created_at", "updated_at")
SELECT "id", "provider_id", "upstream_model", 1, 0, true, 0, "created_at", "updated_at" FROM "models" WHERE "provider_id" IS NOT NULL;--> statement-breakpoint
ALTER TABLE "models" DROP COLUMN "provider_id";--> statement-breakpoint
ALTER TABLE "models" DROP COLUMN "upstream_model";