import type { BaselineConfig } from "../baselines/shared";
import { startBaselineServer } from "./child";
import { measure, type LoadRequest, type LoadResult } from "./load";

export const BASELINES = {
  express: { script: "baselines/express-token.ts", label: "Express 4 + livekit-server-sdk (toJwt)" },
  "node-token": { script: "baselines/http-token.ts", label: "bare node:http + livekit-server-sdk (toJwt)" },
  floor: { script: "baselines/floor.ts", label: "bare node:http, fixed JSON body (HTTP floor)" },
} as const;
export type BaselineName = keyof typeof BASELINES;

/** Starts the baseline server in its own process, replays `requests` against it, stops it. */
export async function measureBaseline(
  name: BaselineName,
  config: BaselineConfig,
  load: { requests: LoadRequest[]; connections: number; seconds: number; warmupSeconds?: number },
): Promise<LoadResult> {
  const server = await startBaselineServer(BASELINES[name].script, config);
  try {
    return await measure(name, { url: server.url, ...load });
  } finally {
    await server.stop();
  }
}
