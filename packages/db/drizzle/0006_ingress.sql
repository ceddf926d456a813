CREATE TYPE "public"."ingress_kind" AS ENUM('rtmp', 'whip');--> statement-breakpoint
ALTER TYPE "public"."stream_mode" ADD VALUE 'ingress';--> statement-breakpoint
CREATE TABLE "ingress" (
	"user_id" text PRIMARY KEY NOT NULL,
	"ingress_id" text NOT NULL,
	"kind" "ingress_kind" NOT NULL,
	"url" text NOT NULL,
	"stream_key" text NOT NULL,
	"room_name" text NOT NULL,
	"refused_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ingress_ingressId_unique" UNIQUE("ingress_id")
);
--> statement-breakpoint
ALTER TABLE "broadcast" ADD COLUMN "mode" "stream_mode" DEFAULT 'browser' NOT NULL;--> statement-breakpoint
ALTER TABLE "ingress" ADD CONSTRAINT "ingress_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;