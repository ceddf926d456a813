import type { IncomingMessage } from "node:http";
import { isIPv6 } from "node:net";

/**
 * The `Host` header every request must carry well formed, on both paths (http-guard.ts answers 400
 * with the problem; the lane declines such requests so that it does). tRPC's adapter builds each
 * request's URL with `new URL(path, "http://" + host)`: a Host that makes it throw was a 500 there,
 * and the lane answered it. RFC 9112 §3.2: exactly one Host line (none is fine in HTTP/1.0; Node
 * itself refuses an HTTP/1.1 request without one); RFC 3986's `host [":" port]`, the host a DNS name
 * (at most 253 characters), IPv4 address or bracketed IPv6 literal (no zone id), the port 0–65535 or
 * empty; and nothing that Node's URL parser refuses (`1.2.3.999`, bad punycode such as `xn--a`).
 */

const HOST = /^(?:([A-Za-z0-9._-]+)|\[([0-9A-Fa-f:.]+)\])(?::([0-9]*))?$/;
/** RFC 1035's limit on a name in text form. */
const MAX_NAME = 253;
const MALFORMED = "Malformed Host header";

/** The last Host found well formed: nearly every request repeats it (skips the URL parser). */
let lastGood = "";

function hostValueProblem(host: string): string | null {
  const match = HOST.exec(host);
  if (!match) return `${MALFORMED}: expected host[:port], the host a DNS name, an IPv4 address or an [IPv6] address`;
  const [, name, ipv6, port] = match;
  if (name !== undefined && name.length > MAX_NAME) return `${MALFORMED}: the host name is longer than ${MAX_NAME} characters`;
  if (ipv6 !== undefined && !isIPv6(ipv6)) return `${MALFORMED}: not a valid IPv6 address`;
  if (port && Number(port) > 65535) return `${MALFORMED}: the port must be a number from 0 to 65535`;
  if (!URL.canParse(`http://${host}`)) return `${MALFORMED}: not a valid host name or IP address`;
  return null;
}

/** What is wrong with the request's Host header, or null when it is fine. Never echoes the value. */
export function hostProblem(request: Pick<IncomingMessage, "headers" | "rawHeaders" | "httpVersion">): string | null {
  const host = request.headers.host;
  if (host === undefined) return request.httpVersion === "1.0" ? null : "A Host header is required";
  let lines = 0;
  const raw = request.rawHeaders;
  for (let index = 0; index < raw.length; index += 2) {
    const name = raw[index]!;
    if (name.length === 4 && name.toLowerCase() === "host") lines++;
  }
  if (lines > 1) return "More than one Host header";
  if (host === lastGood) return null;
  const problem = hostValueProblem(host);
  if (problem === null) lastGood = host;
  return problem;
}
