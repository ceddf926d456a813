import { randomFillSync } from "node:crypto";

/**
 * Random bytes from the CSPRNG, drawn 4 KiB at a time: one `randomFillSync` per ~450 guest identities
 * instead of one per call (each call is a trip into OpenSSL, costly in a busy server).
 */
const POOL_SIZE = 4096;
const pool = Buffer.alloc(POOL_SIZE);
let offset = POOL_SIZE;

/** `size` fresh random bytes (never handed out twice), base64url-encoded. */
export function randomBase64url(size: number): string {
  if (size > POOL_SIZE) return randomFillSync(Buffer.alloc(size)).toString("base64url");
  if (offset + size > POOL_SIZE) {
    randomFillSync(pool);
    offset = 0;
  }
  const text = pool.toString("base64url", offset, offset + size);
  offset += size;
  return text;
}
