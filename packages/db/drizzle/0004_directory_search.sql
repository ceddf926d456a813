-- Substring search over channel titles and usernames (stream.live({ query })) with trigram indexes,
-- so `ILIKE '%…%'` stays fast with 100,000 channels. pg_trgm ships with PostgreSQL (and PGlite).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "stream_title_trgm" ON "stream" USING gin ("title" gin_trgm_ops);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "user_username_trgm" ON "user" USING gin ("username" gin_trgm_ops);
