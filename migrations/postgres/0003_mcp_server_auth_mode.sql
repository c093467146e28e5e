ALTER TABLE "mcp_servers" ADD COLUMN "auth_mode" text DEFAULT 'static' NOT NULL;--> statement-breakpoint
ALTER TABLE "mcp_servers" ADD COLUMN "oauth_client_id" text;--> statement-breakpoint
ALTER TABLE "mcp_servers" ADD COLUMN "oauth_client_secret_encrypted" text;--> statement-breakpoint
ALTER TABLE "mcp_servers" ADD COLUMN "oauth_scopes" text DEFAULT '' NOT NULL;