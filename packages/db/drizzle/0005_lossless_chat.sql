ALTER TABLE "chat_message" ADD COLUMN "client_id" text;--> statement-breakpoint
CREATE UNIQUE INDEX "chat_message_user_id_client_id_index" ON "chat_message" USING btree ("user_id","client_id");