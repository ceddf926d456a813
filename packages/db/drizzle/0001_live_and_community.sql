CREATE TYPE "public"."broadcast_end_reason" AS ENUM('creator', 'timeout', 'left', 'room_finished', 'admin');--> statement-breakpoint
CREATE TYPE "public"."channel_restriction_kind" AS ENUM('timeout', 'ban', 'block');--> statement-breakpoint
CREATE TYPE "public"."chat_message_kind" AS ENUM('message', 'gift');--> statement-breakpoint
CREATE TABLE "broadcast" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"stream_id" uuid NOT NULL,
	"room_name" text NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ended_at" timestamp with time zone,
	"end_reason" "broadcast_end_reason",
	"last_heartbeat_at" timestamp with time zone DEFAULT now() NOT NULL,
	"creator_left_at" timestamp with time zone,
	"publishing_at" timestamp with time zone,
	"peak_viewers" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "broadcast_roomName_unique" UNIQUE("room_name")
);
--> statement-breakpoint
CREATE TABLE "livekit_event" (
	"id" text PRIMARY KEY NOT NULL,
	"event" text NOT NULL,
	"room_name" text,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "channel_restriction" (
	"stream_id" uuid NOT NULL,
	"user_id" text NOT NULL,
	"kind" "channel_restriction_kind" NOT NULL,
	"until" timestamp with time zone,
	"created_by_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "channel_restriction_stream_id_user_id_pk" PRIMARY KEY("stream_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "chat_cooldown" (
	"stream_id" uuid NOT NULL,
	"user_id" text NOT NULL,
	"last_sent_at" timestamp with time zone NOT NULL,
	CONSTRAINT "chat_cooldown_stream_id_user_id_pk" PRIMARY KEY("stream_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "chat_message" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"stream_id" uuid NOT NULL,
	"user_id" text NOT NULL,
	"kind" "chat_message_kind" DEFAULT 'message' NOT NULL,
	"text" text NOT NULL,
	"meta" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"deleted_by_id" text
);
--> statement-breakpoint
CREATE TABLE "follow" (
	"follower_id" text NOT NULL,
	"following_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "follow_follower_id_following_id_pk" PRIMARY KEY("follower_id","following_id"),
	CONSTRAINT "follow_not_self" CHECK ("follow"."follower_id" <> "follow"."following_id")
);
--> statement-breakpoint
ALTER TABLE "stream" ADD COLUMN "last_live_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "stream" ADD COLUMN "viewer_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "stream" ADD COLUMN "followers_only_minutes" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "broadcast" ADD CONSTRAINT "broadcast_stream_id_stream_id_fk" FOREIGN KEY ("stream_id") REFERENCES "public"."stream"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "channel_restriction" ADD CONSTRAINT "channel_restriction_stream_id_stream_id_fk" FOREIGN KEY ("stream_id") REFERENCES "public"."stream"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "channel_restriction" ADD CONSTRAINT "channel_restriction_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "channel_restriction" ADD CONSTRAINT "channel_restriction_created_by_id_user_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chat_cooldown" ADD CONSTRAINT "chat_cooldown_stream_id_stream_id_fk" FOREIGN KEY ("stream_id") REFERENCES "public"."stream"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chat_cooldown" ADD CONSTRAINT "chat_cooldown_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chat_message" ADD CONSTRAINT "chat_message_stream_id_stream_id_fk" FOREIGN KEY ("stream_id") REFERENCES "public"."stream"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chat_message" ADD CONSTRAINT "chat_message_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chat_message" ADD CONSTRAINT "chat_message_deleted_by_id_user_id_fk" FOREIGN KEY ("deleted_by_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow" ADD CONSTRAINT "follow_follower_id_user_id_fk" FOREIGN KEY ("follower_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow" ADD CONSTRAINT "follow_following_id_user_id_fk" FOREIGN KEY ("following_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "broadcast_one_open_per_stream" ON "broadcast" USING btree ("stream_id") WHERE "broadcast"."ended_at" is null;--> statement-breakpoint
CREATE INDEX "broadcast_open_heartbeat" ON "broadcast" USING btree ("last_heartbeat_at") WHERE "broadcast"."ended_at" is null;--> statement-breakpoint
CREATE INDEX "broadcast_stream_id_started_at_index" ON "broadcast" USING btree ("stream_id","started_at");--> statement-breakpoint
CREATE INDEX "chat_message_stream_id_id_index" ON "chat_message" USING btree ("stream_id","id");--> statement-breakpoint
CREATE INDEX "follow_following_id_index" ON "follow" USING btree ("following_id");--> statement-breakpoint
CREATE INDEX "stream_live_order" ON "stream" USING btree ("viewer_count" DESC NULLS LAST,"live_since" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE "stream"."is_live";--> statement-breakpoint
CREATE INDEX "stream_recent_order" ON "stream" USING btree ("last_live_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE not "stream"."is_live" and "stream"."last_live_at" is not null;--> statement-breakpoint
ALTER TABLE "stream" ADD CONSTRAINT "stream_followers_only_minutes_range" CHECK ("stream"."followers_only_minutes" between 0 and 43200);