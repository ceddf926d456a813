import { connect, type Socket } from "node:net";

/** Raw HTTP/1.1 for tests: exactly the bytes given (odd methods, Host headers, fragments, half-sent bodies). */

export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Sends `head` (request line and headers, CRLF-separated, without the blank line) and `body`, with `Connection: close`; reads the answer. */
export function rawRequest(port: number, head: string, body = ""): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    socket.on("data", (chunk) => chunks.push(chunk));
    socket.on("error", reject);
    socket.on("close", () => {
      try {
        resolve(parse(Buffer.concat(chunks).toString("latin1")));
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
    const length = body ? `\r\ncontent-length: ${Buffer.byteLength(body)}` : "";
    socket.write(`${head}${length}\r\nconnection: close\r\n\r\n${body}`); // no half-close: the server hangs up
  });
}

function parse(text: string): RawAnswer {
  const split = text.indexOf("\r\n\r\n");
  if (split < 0) throw new Error(`no complete answer: ${JSON.stringify(text)}`);
  const [statusLine, ...lines] = text.slice(0, split).split("\r\n");
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(":");
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  let body = text.slice(split + 4);
  if (headers["transfer-encoding"] === "chunked") {
    let decoded = "";
    for (let at = 0; ;) {
      const end = body.indexOf("\r\n", at);
      const size = parseInt(body.slice(at, end), 16);
      if (!size) break;
      decoded += body.slice(end + 2, end + 2 + size);
      at = end + 2 + size + 2;
    }
    body = decoded;
  }
  return { status: Number(statusLine!.split(" ")[1]), headers, body: Buffer.from(body, "latin1").toString("utf8") };
}

/** A connection that sends `text` and then nothing more; `closed` resolves with what came back once the server hangs up. */
export function halfSent(port: number, text: string): { socket: Socket; closed: Promise<string> } {
  const socket = connect(port, "127.0.0.1");
  const chunks: Buffer[] = [];
  socket.on("data", (chunk) => chunks.push(chunk));
  socket.on("error", () => {});
  const closed = new Promise<string>((resolve) => socket.on("close", () => resolve(Buffer.concat(chunks).toString("latin1"))));
  socket.write(text);
  return { socket, closed };
}

export interface Exchange extends RawAnswer {
  /** The status line and headers as sent, `date` left out. */
  head: string;
  /** Whether the connection was left open after the answer: a second request on it was answered. */
  keptAlive: boolean;
}

/** Where an answer that starts `text` ends (its length, or chunked framing), or null while it is incomplete or runs until close. */
function answerEnd(text: string): number | null {
  const split = text.indexOf("\r\n\r\n");
  if (split < 0) return null;
  const head = text.slice(0, split).toLowerCase();
  const length = /\r\ncontent-length: *(\d+)/.exec(head);
  if (length) return text.length >= split + 4 + Number(length[1]) ? split + 4 + Number(length[1]) : null;
  if (!/\r\ntransfer-encoding: *chunked/.test(head)) return null; // delimited by the server closing
  for (let at = split + 4; ;) {
    const end = text.indexOf("\r\n", at);
    if (end < 0) return null;
    const size = parseInt(text.slice(at, end), 16);
    if (size === 0) return text.startsWith("\r\n", end + 2) ? end + 4 : null;
    at = end + 2 + size + 2;
  }
}

/**
 * Sends exactly `bytes` (no header added) and reads one answer, then asks `probe` on the same
 * connection: `keptAlive` says whether it was answered (the server kept the connection) or the server
 * closed it. An answer without a length runs until the server closes. With `until`, stops reading
 * (and closes) once the body so far matches it: for streams that do not end (`keptAlive` is then false).
 */
export function exchange(
  port: number,
  bytes: string,
  { until, probe = "GET /healthz HTTP/1.1\r\nhost: localhost\r\nconnection: close\r\n\r\n" }: { until?: RegExp; probe?: string } = {},
): Promise<Exchange> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    let text = "";
    let answer: string | null = null;
    let keptAlive = false;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      socket.destroy();
      const full = answer ?? text;
      const { status, headers, body } = parse(full.includes("\r\n\r\n") ? full : `${full}\r\n\r\n`);
      const head = full
        .slice(0, full.indexOf("\r\n\r\n"))
        .split("\r\n")
        .filter((line) => !/^date:/i.test(line))
        .join("\r\n");
      resolve({ status, headers, body, head, keptAlive });
    };
    socket.on("error", () => {});
    socket.on("close", finish);
    socket.on("data", (chunk: Buffer) => {
      if (answer !== null) return void ((keptAlive = true), finish());
      text += chunk.toString("latin1");
      if (until?.test(text.slice(text.indexOf("\r\n\r\n") + 4))) return void ((answer = text), finish());
      const end = answerEnd(text);
      if (end === null) return;
      answer = text.slice(0, end);
      socket.write(probe);
    });
    socket.write(bytes, "latin1");
  });
}
