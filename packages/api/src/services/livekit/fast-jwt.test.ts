import { AccessToken, TokenVerifier, TrackSource } from "livekit-server-sdk";
import { afterEach, describe, expect, it, vi } from "vitest";
import { TOKEN_TTL_SECONDS } from "./config";
import { signLiveKitToken } from "./fast-jwt";
import { mintPublisherToken, mintViewerToken } from "./tokens";

const credentials = { apiKey: "APIkey123", apiSecret: "s3cret-0123456789abcdef0123456789abcdef" };
const config = { ...credentials, url: "ws://livekit.test:7880", apiUrl: "http://livekit.test:7880" };
const verifier = new TokenVerifier(credentials.apiKey, credentials.apiSecret);

/** What `AccessToken#toJwt()` (jose) produces for the same subject and grant. */
function sdkToken(subject: { identity: string; name?: string }, grant: ConstructorParameters<typeof Object>[0]) {
  const token = new AccessToken(credentials.apiKey, credentials.apiSecret, { ...subject, ttl: TOKEN_TTL_SECONDS });
  token.addGrant(grant as Parameters<AccessToken["addGrant"]>[0]);
  return token.toJwt();
}

const viewerGrant = (room: string) => ({
  roomJoin: true,
  room,
  canSubscribe: true,
  hidden: true,
  canPublish: false,
  canPublishData: false,
});

afterEach(() => {
  vi.useRealTimers();
});

describe("signLiveKitToken", () => {
  it("is byte-for-byte the token the SDK mints for a viewer, with and without a name", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: new Date("2026-05-01T12:00:00.400Z") });
    for (const subject of [{ identity: "guest-abc" }, { identity: "viewer-u1", name: "Zoë_Ünïcode" }]) {
      const ours = mintViewerToken(config, { ...subject, roomName: "broadcast-1" });
      expect(ours).toBe(await sdkToken(subject, viewerGrant("broadcast-1")));
    }
  });

  it("is byte-for-byte the SDK's publisher token (track sources as strings)", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: new Date("2026-05-01T12:00:00.999Z") });
    const ours = mintPublisherToken(config, { identity: "user-1", name: "creator", roomName: "broadcast-2" });
    const sdk = await sdkToken(
      { identity: "user-1", name: "creator" },
      {
        roomJoin: true,
        room: "broadcast-2",
        canPublish: true,
        canPublishSources: [TrackSource.CAMERA, TrackSource.MICROPHONE, TrackSource.SCREEN_SHARE, TrackSource.SCREEN_SHARE_AUDIO],
        canSubscribe: true,
        canPublishData: false,
      },
    );
    expect(ours).toBe(sdk);
  });

  it("passes the SDK's TokenVerifier with exactly the viewer grants, for 15 minutes", async () => {
    const token = mintViewerToken(config, { identity: "guest-xyz", roomName: "broadcast-3" });
    const claims = await verifier.verify(token);
    expect(claims.video).toEqual(viewerGrant("broadcast-3"));
    expect(claims.sub).toBe("guest-xyz");
    expect(claims.iss).toBe(credentials.apiKey);
    expect(claims.name).toBeUndefined();
    expect(claims.exp! - claims.nbf!).toBe(TOKEN_TTL_SECONDS);
    expect(Math.abs(claims.nbf! - Date.now() / 1000)).toBeLessThan(2);
  });

  it("passes the verifier for many subjects (identities, names, rooms)", async () => {
    for (let i = 0; i < 200; i++) {
      const subject = {
        identity: `viewer-${i}-${"x".repeat(i % 40)}`,
        name: i % 3 ? `name ${i} ✓` : undefined,
        roomName: `broadcast-${i}`,
      };
      const claims = await verifier.verify(mintViewerToken(config, subject));
      expect(claims).toMatchObject({ sub: subject.identity, video: viewerGrant(subject.roomName) });
      expect(claims.name).toBe(subject.name);
    }
  });

  it("is refused by a verifier with another secret or another key, and when tampered with", async () => {
    const token = signLiveKitToken(credentials, { identity: "guest-1", ttlSeconds: 60, video: viewerGrant("r") });
    await expect(new TokenVerifier(credentials.apiKey, "another-secret").verify(token)).rejects.toThrow();
    await expect(new TokenVerifier("otherKey", credentials.apiSecret).verify(token)).rejects.toThrow();
    const [header, payload, signature] = token.split(".");
    const forged = Buffer.from(Buffer.from(payload!, "base64url").toString().replace('"hidden":true', '"hidden":false')).toString(
      "base64url",
    );
    await expect(verifier.verify(`${header}.${forged}.${signature}`)).rejects.toThrow();
  });

  it("expires: the verifier refuses it after its lifetime", async () => {
    const issued = Date.now() - 120_000;
    const token = signLiveKitToken(credentials, { identity: "guest-1", ttlSeconds: 60, video: viewerGrant("r") }, issued);
    await expect(verifier.verify(token)).rejects.toThrow(/exp/);
  });

  it("refuses to sign without credentials or identity, as the SDK does", () => {
    const video = viewerGrant("r");
    expect(() => signLiveKitToken({ apiKey: "", apiSecret: "s" }, { identity: "a", ttlSeconds: 1, video })).toThrow();
    expect(() => signLiveKitToken(credentials, { identity: "", ttlSeconds: 1, video })).toThrow(/identity/);
  });
});
