import { useQuery } from "@tanstack/react-query";
import { trpc } from "../../lib/trpc";

const PROBE_TIMEOUT_MS = 5000;

/**
 * Can this browser reach LiveKit? Any HTTP answer from its root counts (an opaque `no-cors` answer is
 * enough); a network error or no answer in time means going live would open a broadcast with no video.
 */
async function probe(wsUrl: string): Promise<true> {
  const root = new URL("/", wsUrl.replace(/^ws/, "http"));
  await fetch(root, { mode: "no-cors", cache: "no-store", signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
  return true;
}

export type Preflight =
  | { state: "checking"; url?: string }
  | { state: "ok"; url: string }
  /** `withoutVideoAllowed`: outside production the page may offer going live without video. */
  | { state: "unreachable"; url: string; withoutVideoAllowed: boolean };

/** The Go Live page's pre-flight against LIVEKIT_URL, re-checked on demand. */
export function useLiveKitPreflight(): Preflight & { recheck: () => void; rechecking: boolean } {
  const server = trpc.stream.mediaServer.useQuery(undefined, { staleTime: Infinity });
  const url = server.data?.wsUrl;
  const check = useQuery({
    queryKey: ["livekit-preflight", url],
    queryFn: () => probe(url!),
    enabled: url !== undefined,
    retry: false,
    staleTime: 30_000,
  });
  const recheck = () => void check.refetch();
  const rechecking = check.isFetching;
  if (!url || check.isPending) return { state: "checking", url, recheck, rechecking };
  if (check.isSuccess) return { state: "ok", url, recheck, rechecking };
  return { state: "unreachable", url, withoutVideoAllowed: server.data?.withoutVideoAllowed === true, recheck, rechecking };
}
