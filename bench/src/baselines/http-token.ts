import { createServer } from "node:http";
import { mintViewerToken, serveBaseline } from "./shared";

// Bare node:http: GET → the channel view, POST → a freshly minted viewer token (`toJwt`).
serveBaseline((config) => {
  const channel = Buffer.from(config.channelBody);
  return createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      if (req.method !== "POST") {
        res.writeHead(200, { "content-type": "application/json", "content-length": channel.length });
        res.end(channel);
        return;
      }
      JSON.parse(Buffer.concat(chunks).toString() || "null");
      void mintViewerToken(config).then((token) => {
        const body = JSON.stringify(token);
        res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
        res.end(body);
      });
    });
  });
});
