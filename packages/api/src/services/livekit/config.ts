export interface LiveKitConfig {
  /** What browsers connect to (LIVEKIT_URL), ws:// or wss://. */
  url: string;
  /** LiveKit's server API (RoomService); the http(s) form of `url` unless set apart. */
  apiUrl: string;
  apiKey: string;
  apiSecret: string;
}

/** LiveKit only needs a token to join; a connected participant is refreshed by LiveKit itself. */
export const TOKEN_TTL_SECONDS = 15 * 60;
