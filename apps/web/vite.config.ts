import tailwindcss from "@tailwindcss/vite";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const api = "http://localhost:3000";
const devOrigin = "http://localhost:5173";

/**
 * The API trusts only its PUBLIC_URL origin for cookie auth. In development the browser talks to
 * this dev server, so requests it proxies are presented with the API's own origin.
 */
const proxied = {
  target: api,
  configure(proxy: { on(event: "proxyReq", fn: (req: { getHeader(n: string): unknown; setHeader(n: string, v: string): void }) => void): void }) {
    proxy.on("proxyReq", (req) => {
      if (req.getHeader("origin") === devOrigin) req.setHeader("origin", api);
    });
  },
};

export default defineConfig({
  plugins: [react(), tailwindcss()],
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
    rolldownOptions: {
      output: {
        // Libraries every page needs change less often than the app: separate chunks cache better.
        codeSplitting: {
          groups: [
            { name: "react", test: /node_modules[\\/](react|react-dom|scheduler|react-router|cookie|set-cookie-parser)[\\/]/, priority: 20 },
            {
              name: "data",
              test: /node_modules[\\/](@tanstack|@trpc|superjson|copy-anything|is-what|better-auth|@better-fetch|@better-auth|nanostores|better-call|defu|jose|rou3)[\\/]/,
              priority: 10,
            },
          ],
        },
      },
    },
  },
});
