import { createServer } from "node:http";
import express from "express";
import { mintViewerToken, serveBaseline } from "./shared";

// The usual token server (LiveKit's Express example), serving the channel view and a viewer token.
serveBaseline((config) => {
  const app = express();
  app.use(express.json());
  app.get("/*", (_req, res) => {
    res.type("application/json").send(config.channelBody);
  });
  app.post("/*", async (_req, res) => {
    res.json(await mintViewerToken(config));
  });
  return createServer(app);
});
