import { createServer } from "node:http";
import { serveBaseline } from "./shared";

// The HTTP floor: bare node:http answering every request with a fixed JSON body (the channel view).
serveBaseline((config) => {
  const body = Buffer.from(config.channelBody);
  return createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(200, { "content-type": "application/json", "content-length": body.length });
      res.end(body);
    });
  });
});
