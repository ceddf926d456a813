import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { TokenVerifier, type ClaimGrants } from "livekit-server-sdk";

export interface RoomServiceCall {
  method: string;
  body: Record<string, unknown>;
  grants: ClaimGrants;
}

/** An ingress as LiveKit's Ingress service reports it (protobuf JSON field names). */
export interface DoubleIngress {
  ingressId: string;
  name: string;
  streamKey: string;
  url: string;
  inputType: "RTMP_INPUT" | "WHIP_INPUT";
  roomName: string;
  participantIdentity: string;
  participantName: string;
  state: {
    status: "ENDPOINT_INACTIVE" | "ENDPOINT_BUFFERING" | "ENDPOINT_PUBLISHING" | "ENDPOINT_ERROR";
    error?: string;
    /** The incoming video as LiveKit's ingress measures it (`InputVideoState`). */
    video?: { mimeType: string; averageBitrate: number; width: number; height: number; framerate: number };
  };
}

/**
 * An in-repo stand-in for LiveKit's RoomService and Ingress service (Twirp over JSON at
 * /twirp/livekit.RoomService/* and /twirp/livekit.Ingress/*). Like LiveKit, it verifies the bearer
 * token's signature and refuses calls whose grants do not cover them: DeleteRoom needs `roomCreate`;
 * UpdateRoomMetadata, ListParticipants, RemoveParticipant and UpdateParticipant need `roomAdmin` for that very room; every
 * Ingress call needs `ingressAdmin`. An ingress can be moved to another room only while inactive.
 * Accepted calls are recorded in `calls`; `ingressFailure` makes the next Ingress calls fail as set.
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
  const ingresses = new Map<string, DoubleIngress>();
  const state = { ingressFailure: null as { status: number; code: string; msg: string } | null };

  function twirpError(res: ServerResponse, status: number, code: string, msg: string) {
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify({ code, msg }));
  }

  function allowed(service: string, method: string, grants: ClaimGrants, room: unknown): string | null {
    const video = grants.video ?? {};
    if (service === "Ingress") return video.ingressAdmin ? null : `${method} needs the ingressAdmin grant`;
    if (method === "DeleteRoom") return video.roomCreate ? null : "DeleteRoom needs the roomCreate grant";
    if (!video.roomAdmin) return `${method} needs the roomAdmin grant`;
    if (video.room !== room) return `${method} needs roomAdmin for room ${String(room)}, token is for ${video.room}`;
    return null;
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const match = /^\/twirp\/livekit\.(RoomService|Ingress)\/(\w+)$/.exec(req.url ?? "");
    if (req.method !== "POST" || !match) return twirpError(res, 404, "bad_route", `no route ${req.url}`);
    const service = match[1]!;
    const method = match[2]!;
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
    const problem = allowed(service, method, grants, body.room);
    if (problem) {
      refused.push({ method, status: 403, reason: problem });
      return twirpError(res, 403, "permission_denied", problem);
    }
    const json = (value: unknown) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(value));
    if (service === "Ingress") {
      if (state.ingressFailure) {
        const { status, code, msg } = state.ingressFailure;
        refused.push({ method, status, reason: msg });
        return twirpError(res, status, code, msg);
      }
      calls.push({ method, body, grants });
      return ingressCall(method, body, json, (status, code, msg) => twirpError(res, status, code, msg));
    }
    calls.push({ method, body, grants });
    const room = String(body.room);
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
      case "RemoveParticipant": {
        const present = participants.get(room) ?? [];
        if (!present.includes(String(body.identity))) return twirpError(res, 404, "not_found", "participant not found");
        participants.set(
          room,
          present.filter((identity) => identity !== body.identity),
        );
        return json({});
      }
      case "UpdateParticipant": {
        const identity = String(body.identity);
        if (!(participants.get(room) ?? []).includes(identity)) return twirpError(res, 404, "not_found", "participant not found");
        if ((body.permission as { canPublish?: boolean } | undefined)?.canPublish !== true) publishing.delete(identity);
        return json({ identity, permission: body.permission });
      }
      default:
        return twirpError(res, 404, "bad_route", `${method} is not implemented by the test double`);
    }
  }

  /** A proto3 JSON string field as the double stores it ("" when absent or not a string). */
  const text = (value: unknown) => (typeof value === "string" ? value : "");

  function ingressCall(
    method: string,
    body: Record<string, unknown>,
    json: (value: unknown) => void,
    fail: (status: number, code: string, msg: string) => void,
  ) {
    const found = ingresses.get(String(body.ingressId));
    switch (method) {
      case "CreateIngress": {
        // proto3 JSON leaves the default (RTMP_INPUT, 0) out
        const inputType = body.inputType === "WHIP_INPUT" ? "WHIP_INPUT" : "RTMP_INPUT";
        const info: DoubleIngress = {
          ingressId: `IN_${randomBytes(6).toString("hex")}`,
          name: text(body.name),
          streamKey: randomBytes(12).toString("base64url"),
          url: inputType === "RTMP_INPUT" ? "rtmp://127.0.0.1:1935/x" : "http://127.0.0.1:8080/w",
          inputType,
          roomName: text(body.roomName),
          participantIdentity: text(body.participantIdentity),
          participantName: text(body.participantName),
          state: { status: "ENDPOINT_INACTIVE" },
        };
        ingresses.set(info.ingressId, info);
        return json(info);
      }
      case "UpdateIngress":
        if (!found) return fail(404, "not_found", "ingress does not exist");
        if (found.state.status !== "ENDPOINT_INACTIVE") return fail(412, "failed_precondition", "ingress is active");
        for (const field of ["name", "roomName", "participantIdentity", "participantName"] as const) {
          if (typeof body[field] === "string" && body[field]) found[field] = body[field];
        }
        return json(found);
      case "ListIngress":
        return json({
          items: [...ingresses.values()].filter((info) =>
            body.ingressId ? info.ingressId === body.ingressId : !body.roomName || info.roomName === body.roomName,
          ),
        });
      case "DeleteIngress":
        if (!found) return fail(404, "not_found", "ingress does not exist");
        ingresses.delete(found.ingressId);
        return json(found);
      default:
        return fail(404, "bad_route", `${method} is not implemented by the test double`);
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
    /** Ingresses by id, as LiveKit holds them (set `state.status` to play software connecting). */
    ingresses,
    /** Set to make every Ingress call fail with this Twirp error (no ingress service, quota), null to stop. */
    set ingressFailure(failure: { status: number; code: string; msg: string } | null) {
      state.ingressFailure = failure;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type LiveKitDouble = Awaited<ReturnType<typeof startLiveKitDouble>>;
