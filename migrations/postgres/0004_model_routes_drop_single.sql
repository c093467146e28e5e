ALTER TABLE "models" DROP COLUMN "provider_id";--> statement-breakpoint
ALTER TABLE "models" DROP COLUMN "upstream_model";