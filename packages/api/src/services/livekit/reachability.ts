/** Whether LiveKit's server API answered, as `/healthz` and the start-up check report it. */
export interface LiveKitReachability {
  reachable: boolean;
  /** Why not, in a few words (never a secret: the probe sends none). */
  reason?: string;
}

/**
 * Asks LiveKit's HTTP root (livekit-server answers `OK`); any HTTP answer means it is there. Bounded by
 * `timeoutMs`, never throws.
 */
export async function probeLiveKit(apiUrl: string, timeoutMs = 1500): Promise<LiveKitReachability> {
  try {
    const response = await fetch(new URL("/", apiUrl), { signal: AbortSignal.timeout(timeoutMs), redirect: "manual" });
    await response.body?.cancel();
    return { reachable: true };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    const timedOut = (error as Error).name === "TimeoutError";
    return { reachable: false, reason: timedOut ? `no answer within ${timeoutMs} ms` : (cause ?? (error as Error).message) };
  }
}

/** The probe's answer kept for `maxAgeMs`, one probe at a time: a busy health check never piles up requests. */
export function cachedLiveKitProbe(apiUrl: string, { maxAgeMs = 5000, timeoutMs = 1500 } = {}) {
  let last: { at: number; result: Promise<LiveKitReachability> } | undefined;
  return () => {
    if (!last || Date.now() - last.at > maxAgeMs) last = { at: Date.now(), result: probeLiveKit(apiUrl, timeoutMs) };
    return last.result;
  };
}
