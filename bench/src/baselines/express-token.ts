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
  app.post("/*", (_req, res) => {
    void mintViewerToken(config).then((token) => res.json(token));
  });
  return createServer(app);
});
