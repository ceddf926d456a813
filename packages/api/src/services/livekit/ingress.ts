import { IngressClient, IngressInput, TwirpError } from "livekit-server-sdk";
import type { LiveKitConfig } from "./config";
import { ingressHealth, type IngressHealth } from "./ingress-health";
import type { Logger } from "./rooms";

export type IngressKind = "rtmp" | "whip";

export interface CreatedIngress {
  ingressId: string;
  url: string;
  streamKey: string;
}

/**
 * LiveKit refused or could not be asked. `message` is for the creator; it never carries a stream key
 * (OnAir never sends one to LiveKit: LiveKit makes them).
 */
export class IngressError extends Error {
  constructor(
    message: string,
    readonly kind: "unavailable" | "quota" | "not_found" | "active" | "refused",
  ) {
    super(message);
    this.name = "IngressError";
  }
}

/** LiveKit's Ingress API as OnAir uses it. Every failure is an IngressError. */
/** Where an ingress publishes, and as whom (the creator's own identity, so it is the broadcast's publisher). */
export interface IngressTarget {
  roomName: string;
  identity: string;
  name: string;
}

export interface LiveKitIngress {
  create(kind: IngressKind, target: IngressTarget): Promise<CreatedIngress>;
  /** Points an inactive ingress at another room (LiveKit refuses while software is connected: "active"). */
  moveToRoom(ingressId: string, target: IngressTarget): Promise<void>;
  /** Deletes it at LiveKit: its key stops working at once (an ingress LiveKit no longer knows counts as deleted). */
  remove(ingressId: string): Promise<void>;
  /** Its state as LiveKit reports it (waiting / receiving / live, the incoming video); null when LiveKit no longer knows it. */
  health(ingressId: string): Promise<IngressHealth | null>;
}

function describe(error: unknown): IngressError {
  if (!(error instanceof TwirpError)) {
    return new IngressError("LiveKit's ingress service could not be reached. Try again in a moment.", "unavailable");
  }
  const said = error.message ? `: ${error.message}` : "";
  switch (error.code) {
    case "resource_exhausted":
      return new IngressError(`LiveKit refused: the ingress quota is used up${said}`, "quota");
    case "not_found":
      return new IngressError(`LiveKit does not know this ingress${said}`, "not_found");
    case "failed_precondition":
      return new IngressError(`LiveKit refused while the ingress is in use${said}`, "active");
    case "bad_route":
    case "unimplemented":
    case "unavailable":
      return new IngressError(`LiveKit has no ingress service running${said}`, "unavailable");
    default:
      return new IngressError(`LiveKit refused the ingress request (${error.code ?? error.status})${said}`, "refused");
  }
}

const options = (target: IngressTarget) => ({
  name: `onair-${target.name}`,
  roomName: target.roomName,
  participantIdentity: target.identity,
  participantName: target.name,
});

export function createLiveKitIngress(config: LiveKitConfig, log: Logger): LiveKitIngress {
  const client = new IngressClient(config.apiUrl, config.apiKey, config.apiSecret, { requestTimeout: 5, failover: false });

  async function attempt<T>(action: string, ingressId: string | undefined, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      const problem = describe(error);
      // Only the action, ids and LiveKit's own reason: never a stream key.
      log.warn({ action, ingressId, apiUrl: config.apiUrl, reason: problem.message }, "LiveKit ingress call failed");
      throw problem;
    }
  }

  return {
    async create(kind, target) {
      const info = await attempt("createIngress", undefined, () =>
        client.createIngress(kind === "rtmp" ? IngressInput.RTMP_INPUT : IngressInput.WHIP_INPUT, options(target)),
      );
      if (!info.ingressId || !info.url || !info.streamKey) {
        throw new IngressError("LiveKit answered without an ingress URL or stream key", "refused");
      }
      return { ingressId: info.ingressId, url: info.url, streamKey: info.streamKey };
    },
    async moveToRoom(ingressId, target) {
      await attempt("updateIngress", ingressId, () => client.updateIngress(ingressId, options(target)));
    },
    async health(ingressId) {
      const [info] = await attempt("listIngress", ingressId, () => client.listIngress({ ingressId }));
      return info ? ingressHealth(info) : null;
    },
    async remove(ingressId) {
      try {
        await attempt("deleteIngress", ingressId, () => client.deleteIngress(ingressId));
      } catch (error) {
        if (error instanceof IngressError && error.kind === "not_found") return;
        throw error;
      }
    },
  };
}
