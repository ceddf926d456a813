/**
 * Subscriptions (SSE streams) open at once per client address, shared by both paths to /trpc (the
 * lane and Fastify's routes): one client cannot hold every slot the server has. `open` says whether
 * one more may start; the returned function ends it (call it once, when its response closes).
 */
export function createSubscriptionLimit(perClient: number) {
  const open = new Map<string, number>();
  return {
    open(client: string): (() => void) | null {
      const count = open.get(client) ?? 0;
      if (count >= perClient) return null;
      open.set(client, count + 1);
      let ended = false;
      return () => {
        if (ended) return;
        ended = true;
        const left = (open.get(client) ?? 1) - 1;
        if (left === 0) open.delete(client);
        else open.set(client, left);
      };
    },
  };
}

export type SubscriptionLimit = ReturnType<typeof createSubscriptionLimit>;
