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
