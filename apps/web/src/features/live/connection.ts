import { ConnectionError, ConnectionErrorReason, ConnectionState } from "livekit-client";

/** Where a LiveKit connection stands, in the words the page shows. */
export type LinkStatus =
  | { state: "idle" }
  | { state: "connecting"; url: string }
  | { state: "connected"; url: string }
  | { state: "reconnecting"; url: string }
  | { state: "failed"; url: string; reason: string };

export function fromConnectionState(state: ConnectionState, url: string): LinkStatus | null {
  switch (state) {
    case ConnectionState.Connecting:
      return { state: "connecting", url };
    case ConnectionState.Connected:
      return { state: "connected", url };
    case ConnectionState.Reconnecting:
    case ConnectionState.SignalReconnecting:
      return { state: "reconnecting", url };
    default:
      return null;
  }
}

/** The technical reason, short: shown under the plain-language headline. */
export function describeConnectionError(error: unknown): string {
  if (error instanceof ConnectionError) {
    switch (error.reason) {
      case ConnectionErrorReason.NotAllowed:
        return `the server refused the access token (${error.status ?? "not allowed"}): ${error.message}`;
      case ConnectionErrorReason.ServerUnreachable:
        return "the server did not answer";
      case ConnectionErrorReason.Timeout:
        return "the connection timed out";
      case ConnectionErrorReason.ServiceNotFound:
        return "the server is too old for this app (upgrade LiveKit)";
      default:
        return error.message || "the connection closed";
    }
  }
  return error instanceof Error ? error.message : String(error);
}

/** True when connecting was cancelled on purpose (the page left or started over). */
export function isCancelled(error: unknown): boolean {
  return error instanceof ConnectionError && error.reason === ConnectionErrorReason.Cancelled;
}
