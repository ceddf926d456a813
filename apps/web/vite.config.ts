import tailwindcss from "@tailwindcss/vite";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";
import { precompress } from "./precompress";

const api = "http://localhost:3000";
const devOrigin = "http://localhost:5173";

/**
 * The API trusts only its PUBLIC_URL origin for cookie auth. In development the browser talks to
 * this dev server, so requests it proxies are presented with the API's own origin.
 */
const proxied = {
  target: api,
  configure(proxy: {
    on(event: "proxyReq", fn: (req: { getHeader(n: string): unknown; setHeader(n: string, v: string): void }) => void): void;
  }) {
    proxy.on("proxyReq", (req) => {
      if (req.getHeader("origin") === devOrigin) req.setHeader("origin", api);
    });
  },
};

export default defineConfig({
  plugins: [react(), tailwindcss(), precompress()],
  server: {
    port: 5173,
    strictPort: true,
    proxy: {
      "/trpc": proxied,
      "/api": proxied,
    },
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: false,
    // dist/.vite/manifest.json: the server preloads a channel page's chunks from it (apps/server/src/web-html.ts).
    manifest: true,
    rolldownOptions: {
      // The app, and a live channel page's early LiveKit join (the server adds it to those pages: web.ts).
      input: { index: "index.html", join: "src/features/live/join-now.ts" },
      output: {
        // Libraries every page needs change less often than the app: separate chunks cache better.
        // (Only those: a library in a group loads with the first page, wherever it is used.)
        codeSplitting: {
          groups: [
            {
              name: "react",
              test: /node_modules[\\/](react|react-dom|scheduler|react-router|cookie|set-cookie-parser)[\\/]/,
              priority: 20,
            },
            {
              name: "data",
              test: /node_modules[\\/](@tanstack|@trpc|superjson|copy-anything|is-what)[\\/]/,
              priority: 10,
            },
          ],
        },
      },
    },
  },
});
