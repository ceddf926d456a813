import { createServer, type ServerResponse } from "node:http";
import { serveBaseline } from "./shared";

// The fan-out floor: bare node:http holding SSE responses and writing each message to all of them.
const subscribers = new Set<ServerResponse>();

serveBaseline(() => {
  process.on("message", (message: { broadcast?: string }) => {
    if (message.broadcast === undefined) return;
    const frame = `data: ${JSON.stringify({ text: message.broadcast })}\n\n`;
    for (const res of subscribers) res.write(frame);
  });
  return createServer((req, res) => {
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
    res.write("event: connected\ndata: {}\n\n");
    subscribers.add(res);
    req.on("close", () => subscribers.delete(res));
  });
});
