CREATE TYPE "public"."wallet_credit_kind" AS ENUM('welcome', 'admin', 'purchase');--> statement-breakpoint
CREATE TABLE "gift" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"icon" text NOT NULL,
	"price" integer NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "gift_price_positive" CHECK ("gift"."price" > 0)
);
--> statement-breakpoint
CREATE TABLE "gift_transaction" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"sender_id" text NOT NULL,
	"creator_id" text NOT NULL,
	"stream_id" uuid NOT NULL,
	"broadcast_id" uuid NOT NULL,
	"gift_id" text NOT NULL,
	"price" integer NOT NULL,
	"message" text,
	"idempotency_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "gift_transaction_price_positive" CHECK ("gift_transaction"."price" > 0)
);
--> statement-breakpoint
CREATE TABLE "wallet" (
	"user_id" text PRIMARY KEY NOT NULL,
	"balance" integer DEFAULT 0 NOT NULL,
	"earnings" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "wallet_balance_not_negative" CHECK ("wallet"."balance" >= 0),
	CONSTRAINT "wallet_earnings_not_negative" CHECK ("wallet"."earnings" >= 0)
);
--> statement-breakpoint
CREATE TABLE "wallet_credit" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" text NOT NULL,
	"kind" "wallet_credit_kind" NOT NULL,
	"amount" integer NOT NULL,
	"reason" text NOT NULL,
	"granted_by_id" text,
	"external_ref" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "wallet_credit_externalRef_unique" UNIQUE("external_ref"),
	CONSTRAINT "wallet_credit_positive" CHECK ("wallet_credit"."amount" > 0)
);
--> statement-breakpoint
ALTER TABLE "gift_transaction" ADD CONSTRAINT "gift_transaction_sender_id_user_id_fk" FOREIGN KEY ("sender_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gift_transaction" ADD CONSTRAINT "gift_transaction_creator_id_user_id_fk" FOREIGN KEY ("creator_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gift_transaction" ADD CONSTRAINT "gift_transaction_stream_id_stream_id_fk" FOREIGN KEY ("stream_id") REFERENCES "public"."stream"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gift_transaction" ADD CONSTRAINT "gift_transaction_broadcast_id_broadcast_id_fk" FOREIGN KEY ("broadcast_id") REFERENCES "public"."broadcast"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gift_transaction" ADD CONSTRAINT "gift_transaction_gift_id_gift_id_fk" FOREIGN KEY ("gift_id") REFERENCES "public"."gift"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wallet" ADD CONSTRAINT "wallet_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wallet_credit" ADD CONSTRAINT "wallet_credit_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wallet_credit" ADD CONSTRAINT "wallet_credit_granted_by_id_user_id_fk" FOREIGN KEY ("granted_by_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "gift_transaction_sender_key" ON "gift_transaction" USING btree ("sender_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "gift_transaction_broadcast_id_index" ON "gift_transaction" USING btree ("broadcast_id");--> statement-breakpoint
CREATE INDEX "gift_transaction_creator_id_created_at_index" ON "gift_transaction" USING btree ("creator_id","created_at");--> statement-breakpoint
CREATE INDEX "gift_transaction_sender_id_created_at_index" ON "gift_transaction" USING btree ("sender_id","created_at");--> statement-breakpoint
CREATE INDEX "wallet_credit_user_id_created_at_index" ON "wallet_credit" USING btree ("user_id","created_at");