-- The gift catalogue, and a wallet (with the welcome grant) for every account created before gifts.
INSERT INTO "gift" ("id", "name", "icon", "price", "sort_order") VALUES
  ('wave', 'Wave', '👋', 5, 1),
  ('heart', 'Heart', '❤️', 10, 2),
  ('star', 'Star', '⭐', 25, 3),
  ('fire', 'Fire', '🔥', 50, 4),
  ('rocket', 'Rocket', '🚀', 100, 5),
  ('crown', 'Crown', '👑', 500, 6)
ON CONFLICT ("id") DO NOTHING;
--> statement-breakpoint
INSERT INTO "wallet" ("user_id", "balance") SELECT "id", 100 FROM "user" ON CONFLICT ("user_id") DO NOTHING;
--> statement-breakpoint
INSERT INTO "wallet_credit" ("user_id", "kind", "amount", "reason")
  SELECT "id", 'welcome', 100, 'Welcome to OnAir' FROM "user"
  WHERE NOT EXISTS (SELECT 1 FROM "wallet_credit" c WHERE c."user_id" = "user"."id" AND c."kind" = 'welcome');
