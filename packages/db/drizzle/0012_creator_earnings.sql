CREATE TABLE "creator_earnings" (
	"user_id" text NOT NULL,
	"slot" smallint NOT NULL,
	"amount" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "creator_earnings_user_id_slot_pk" PRIMARY KEY("user_id","slot"),
	CONSTRAINT "creator_earnings_not_negative" CHECK ("creator_earnings"."amount" >= 0)
);
--> statement-breakpoint
ALTER TABLE "wallet" DROP CONSTRAINT "wallet_earnings_not_negative";--> statement-breakpoint
ALTER TABLE "creator_earnings" ADD CONSTRAINT "creator_earnings_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Earnings so far move to slot 0 (the ledger already agrees with them).
INSERT INTO "creator_earnings" ("user_id", "slot", "amount") SELECT "user_id", 0, "earnings" FROM "wallet" WHERE "earnings" > 0;--> statement-breakpoint
ALTER TABLE "wallet" DROP COLUMN "earnings";