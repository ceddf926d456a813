import { TokenVerifier } from "livekit-server-sdk";
import type { BaselineConfig } from "../baselines/shared";
import { BASELINES, measureBaseline, type BaselineName } from "../lib/baselines";
import { captureJoin } from "../lib/capture";
import { runSeconds } from "../lib/config";
import { measure, type LoadResult } from "../lib/load";
import { dbKinds, LIVEKIT, openBenchDatabase, startOnAir } from "../lib/onair";
import { report, times } from "../lib/report";
import { makeLiveCreator, seedViewers } from "../lib/seed";

const CONNECTIONS = 100;
/** Signed-in viewers who join over and over: their sessions are cached after their first join (warm-up). */
const WARM_VIEWERS = 1_000;
/** Viewers who join once each: every join looks the session up in the database (cold). More than a run can use. */
const COLD_VIEWERS = 40_000;

/** Every claim LiveKit will act on, checked with the SDK's own verifier. */
async function checkViewerToken(token: string, roomName: string) {
  const claims = await new TokenVerifier(LIVEKIT.apiKey, LIVEKIT.apiSecret).verify(token);
  const video = claims.video ?? {};
  const ok =
    video.roomJoin === true &&
    video.room === roomName &&
    video.canSubscribe === true &&
    video.hidden === true &&
    video.canPublish === false &&
    video.canPublishData === false &&
    typeof claims.sub === "string";
  if (!ok) throw new Error(`viewer token has unexpected grants: ${JSON.stringify(claims)}`);
}

export async function storm() {
  const kinds = dbKinds();
  const seconds = runSeconds(kinds.length > 1 ? 4 : 7);
  const load = { connections: CONNECTIONS, seconds, warmupSeconds: 1 };
  console.log(`  ${CONNECTIONS} connections, ${seconds} s per run (+1 s warm-up); a join = GET stream.byUsername + POST stream.token`);
  const results: { case: string; result: LoadResult; signedIn: boolean; informational?: boolean }[] = [];
  let config: BaselineConfig | undefined;
  let requests: Awaited<ReturnType<typeof captureJoin>>["requests"] = [];

  for (const kind of kinds) {
    const database = await openBenchDatabase(kind);
    const server = await startOnAir(database.handle);
    try {
      const creator = await makeLiveCreator(server);
      const warm = await seedViewers(server.db, WARM_VIEWERS, "warm");
      const cold = await seedViewers(server.db, COLD_VIEWERS, "cold");
      const guest = await captureJoin(server.url, creator.username);
      const member = await captureJoin(server.url, creator.username, warm[0]);
      await checkViewerToken(guest.token.token, guest.token.roomName);
      await checkViewerToken(member.token.token, member.token.roomName);
      if (!guest.token.identity.startsWith("guest-") || !member.token.identity.startsWith("viewer-")) {
        throw new Error("identities are not guest-…/viewer-…");
      }
      config ??= { channelBody: guest.channelBody, ...LIVEKIT, wsUrl: LIVEKIT.url, roomName: guest.token.roomName };
      requests = guest.requests;
      const url = server.url;
      results.push({
        case: `OnAir on ${kind}, guests`,
        signedIn: false,
        result: await measure("guests", { url, requests: guest.requests, ...load }),
      });
      results.push({
        case: `OnAir on ${kind}, signed in (${WARM_VIEWERS.toLocaleString("en")} viewers rejoining)`,
        signedIn: true,
        // Warm-up: one join per viewer, so each session is cached, as after the viewer's page first loaded.
        result: await measure("signed in", {
          url,
          requests: member.requests,
          authorizations: warm,
          ...load,
          warmupRequests: 2 * WARM_VIEWERS,
        }),
      });
      const coldSeconds = Math.min(2, seconds);
      results.push({
        case: `OnAir on ${kind}, signed in, cold (each join a new viewer)`,
        signedIn: true,
        informational: true,
        result: await measure("signed in, cold", {
          url,
          requests: member.requests,
          authorizations: cold,
          connections: CONNECTIONS,
          seconds: coldSeconds,
        }),
      });
    } finally {
      await server.close();
      await database.handle.close();
    }
  }

  const base = {} as Record<BaselineName, LoadResult>;
  for (const name of Object.keys(BASELINES) as BaselineName[]) {
    base[name] = await measureBaseline(name, config!, { requests, ...load });
  }
  for (const { case: label, result, signedIn, informational } of results) {
    const goal = signedIn ? 1.5 : 2;
    const verdict = informational
      ? "no goal: each join reads a session from the database"
      : `${result.rps >= goal * base.express.rps && result.p99 <= 25 ? "meets" : "misses"} goal ≥${goal}× express, p99 ≤ 25 ms`;
    report({
      scenario: "storm",
      case: label,
      rps: result.rps,
      p50: result.p50,
      p99: result.p99,
      ratio: [
        times(result.rps, base.express.rps, "express"),
        times(result.rps, base["node-token"].rps, "node+toJwt"),
        times(result.rps, base.floor.rps, "floor"),
      ].join(" · "),
      note: `${verdict}${problems(result)}`,
    });
  }
  for (const name of Object.keys(BASELINES) as BaselineName[]) {
    const result = base[name];
    report({
      scenario: "storm",
      case: BASELINES[name].label,
      rps: result.rps,
      p50: result.p50,
      p99: result.p99,
      ratio: "baseline",
      note: problems(result).slice(3),
    });
  }
}

export function problems(result: LoadResult): string {
  const bad = [result.non2xx ? `${result.non2xx} non-2xx` : "", result.errors ? `${result.errors} errors` : ""].filter(Boolean);
  return bad.length ? ` · ${bad.join(", ")}` : "";
}
