import Fastify from "fastify";
import postgres from "postgres";

/**
 * The signed-in read without OnAir: a bare Fastify route that looks the bearer token's session up
 * (session joined to its user, unexpired) and selects the user's wallet with postgres.js, per request.
 */
process.once("message", (config: { databaseUrl: string; connections: number }) => {
  const sql = postgres(config.databaseUrl, { max: config.connections });
  const app = Fastify({ logger: false, keepAliveTimeout: 30_000 });
  app.get("/wallet", async (request, reply) => {
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? "")?.[1];
    const [session] = token
      ? await sql`select u.id, u.role from session s join "user" u on u.id = s.user_id
                  where s.token = ${token} and s.expires_at > now()`
      : [];
    if (!session) return reply.code(401).send({ error: "UNAUTHORIZED" });
    const [row] = await sql`select coalesce(max(balance), 0)::int as balance,
                                   (select coalesce(sum(amount), 0)::int from creator_earnings where user_id = ${session.id as string}) as earnings
                            from wallet where user_id = ${session.id as string}`;
    return { balance: (row?.balance as number | undefined) ?? 0, earnings: (row?.earnings as number | undefined) ?? 0 };
  });
  void app.listen({ port: 0, host: "127.0.0.1" }).then(() => {
    const address = app.server.address();
    process.send?.({ port: typeof address === "object" && address ? address.port : 0 });
  });
  process.once("SIGTERM", () => void app.close().then(() => sql.end().then(() => process.exit(0))));
});
