CREATE TYPE "public"."stage_guest_status" AS ENUM('invited', 'accepted', 'declined', 'removed', 'left');--> statement-breakpoint
CREATE TABLE "stage_guest" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"broadcast_id" uuid NOT NULL,
	"user_id" text NOT NULL,
	"invited_by" text,
	"status" "stage_guest_status" DEFAULT 'invited' NOT NULL,
	"invited_at" timestamp with time zone DEFAULT now() NOT NULL,
	"accepted_at" timestamp with time zone,
	"ended_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "stage_guest" ADD CONSTRAINT "stage_guest_broadcast_id_broadcast_id_fk" FOREIGN KEY ("broadcast_id") REFERENCES "public"."broadcast"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stage_guest" ADD CONSTRAINT "stage_guest_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stage_guest" ADD CONSTRAINT "stage_guest_invited_by_user_id_fk" FOREIGN KEY ("invited_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "stage_guest_one_current" ON "stage_guest" USING btree ("broadcast_id","user_id") WHERE "stage_guest"."status" in ('invited', 'accepted');--> statement-breakpoint
CREATE INDEX "stage_guest_invited_user" ON "stage_guest" USING btree ("user_id") WHERE "stage_guest"."status" = 'invited';