CREATE TABLE "mail_quota" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"key" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "user" ADD COLUMN "admin_revoked" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX "mail_quota_key_at_index" ON "mail_quota" USING btree ("key","at");--> statement-breakpoint
CREATE INDEX "mail_quota_at_index" ON "mail_quota" USING btree ("at");