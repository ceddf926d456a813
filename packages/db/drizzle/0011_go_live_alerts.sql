CREATE TYPE "public"."notification_kind" AS ENUM('live');--> statement-breakpoint
CREATE TABLE "alert_job" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"broadcast_id" uuid NOT NULL,
	"stream_id" uuid NOT NULL,
	"cursor" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"done_at" timestamp with time zone,
	CONSTRAINT "alert_job_broadcastId_unique" UNIQUE("broadcast_id")
);
--> statement-breakpoint
CREATE TABLE "alert_mail" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"stream_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"claimed_at" timestamp with time zone,
	"sent_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "notification" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"kind" "notification_kind" NOT NULL,
	"stream_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"read_at" timestamp with time zone
);
--> statement-breakpoint
DROP INDEX "follow_following_id_index";--> statement-breakpoint
ALTER TABLE "follow" ADD COLUMN "alert_in_app" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "follow" ADD COLUMN "alert_email" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "alert_job" ADD CONSTRAINT "alert_job_broadcast_id_broadcast_id_fk" FOREIGN KEY ("broadcast_id") REFERENCES "public"."broadcast"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert_job" ADD CONSTRAINT "alert_job_stream_id_stream_id_fk" FOREIGN KEY ("stream_id") REFERENCES "public"."stream"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert_mail" ADD CONSTRAINT "alert_mail_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert_mail" ADD CONSTRAINT "alert_mail_stream_id_stream_id_fk" FOREIGN KEY ("stream_id") REFERENCES "public"."stream"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification" ADD CONSTRAINT "notification_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification" ADD CONSTRAINT "notification_stream_id_stream_id_fk" FOREIGN KEY ("stream_id") REFERENCES "public"."stream"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "alert_job_pending" ON "alert_job" USING btree ("id") WHERE "alert_job"."done_at" is null;--> statement-breakpoint
CREATE INDEX "alert_mail_user_id_created_at_index" ON "alert_mail" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "alert_mail_pending" ON "alert_mail" USING btree ("id") WHERE "alert_mail"."sent_at" is null;--> statement-breakpoint
CREATE INDEX "notification_user_id_id_index" ON "notification" USING btree ("user_id","id");--> statement-breakpoint
CREATE INDEX "notification_unread" ON "notification" USING btree ("user_id") WHERE "notification"."read_at" is null;--> statement-breakpoint
CREATE INDEX "follow_following_id_follower_id_index" ON "follow" USING btree ("following_id","follower_id");