import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { TokenVerifier, type ClaimGrants } from "livekit-server-sdk";

export interface RoomServiceCall {
  method: string;
  body: Record<string, unknown>;
  grants: ClaimGrants;
}

/**
 * An in-repo stand-in for LiveKit's RoomService (Twirp over JSON at /twirp/livekit.RoomService/*).
 * Like LiveKit, it verifies the bearer token's signature and refuses calls whose grants do not cover
 * them: DeleteRoom needs `roomCreate`; UpdateRoomMetadata and ListParticipants need `roomAdmin` for
 * that very room. Accepted calls are recorded in `calls`.
 */
export async function startLiveKitDouble(credentials: { apiKey: string; apiSecret: string }) {
  const verifier = new TokenVerifier(credentials.apiKey, credentials.apiSecret);
  const calls: RoomServiceCall[] = [];
  const refused: { method: string; status: number; reason: string }[] = [];
  /** Identities per room, as `ListParticipants` reports them. */
  const participants = new Map<string, string[]>();
  /** Identities that `ListParticipants` reports with a published video track. */
  const publishing = new Set<string>();
  const metadata = new Map<string, string>();

  function twirpError(res: ServerResponse, status: number, code: string, msg: string) {
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify({ code, msg }));
  }

  function allowed(method: string, grants: ClaimGrants, room: unknown): string | null {
    const video = grants.video ?? {};
    if (method === "DeleteRoom") return video.roomCreate ? null : "DeleteRoom needs the roomCreate grant";
    if (!video.roomAdmin) return `${method} needs the roomAdmin grant`;
    if (video.room !== room) return `${method} needs roomAdmin for room ${String(room)}, token is for ${video.room}`;
    return null;
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const match = /^\/twirp\/livekit\.RoomService\/(\w+)$/.exec(req.url ?? "");
    if (req.method !== "POST" || !match) return twirpError(res, 404, "bad_route", `no route ${req.url}`);
    const method = match[1]!;
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString() || "{}") as Record<string, unknown>;
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    let grants: ClaimGrants;
    try {
      if (!token) throw new Error("authorization header is missing");
      grants = await verifier.verify(token);
    } catch (error) {
      refused.push({ method, status: 401, reason: (error as Error).message });
      return twirpError(res, 401, "unauthenticated", (error as Error).message);
    }
    const problem = allowed(method, grants, body.room);
    if (problem) {
      refused.push({ method, status: 403, reason: problem });
      return twirpError(res, 403, "permission_denied", problem);
    }
    calls.push({ method, body, grants });
    const room = String(body.room);
    const json = (value: unknown) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(value));
    switch (method) {
      case "DeleteRoom":
        participants.delete(room);
        return json({});
      case "UpdateRoomMetadata":
        metadata.set(room, String(body.metadata));
        return json({ name: room, metadata: body.metadata });
      case "ListParticipants":
        return json({
          participants: (participants.get(room) ?? []).map((identity) => ({
            identity,
            tracks: publishing.has(identity) ? [{ sid: `TR_${identity}`, type: "VIDEO", source: "CAMERA" }] : [],
          })),
        });
      default:
        return twirpError(res, 404, "bad_route", `${method} is not implemented by the test double`);
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => twirpError(res, 500, "internal", String(error)));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    refused,
    participants,
    publishing,
    metadata,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type LiveKitDouble = Awaited<ReturnType<typeof startLiveKitDouble>>;
