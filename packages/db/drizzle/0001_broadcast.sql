CREATE TYPE "public"."broadcast_end_reason" AS ENUM('creator', 'timeout', 'left', 'room_finished', 'admin');--> statement-breakpoint
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
	"viewer_count" integer DEFAULT 0 NOT NULL,
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
ALTER TABLE "broadcast" ADD CONSTRAINT "broadcast_stream_id_stream_id_fk" FOREIGN KEY ("stream_id") REFERENCES "public"."stream"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "broadcast_one_open_per_stream" ON "broadcast" USING btree ("stream_id") WHERE "broadcast"."ended_at" is null;--> statement-breakpoint
CREATE INDEX "broadcast_open_heartbeat" ON "broadcast" USING btree ("last_heartbeat_at") WHERE "broadcast"."ended_at" is null;--> statement-breakpoint
CREATE INDEX "broadcast_stream_id_started_at_index" ON "broadcast" USING btree ("stream_id","started_at");