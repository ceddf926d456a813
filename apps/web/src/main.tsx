import { QueryClientProvider } from "@tanstack/react-query";
import { StrictMode, useState } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app";
import { seedChannelPreload } from "./lib/preload";
import { Toaster } from "./lib/toast";
import { createQueryClient, createTrpcClient, trpc } from "./lib/trpc";
import "./index.css";

function Root() {
  const [queryClient] = useState(() => {
    const client = createQueryClient();
    seedChannelPreload(client);
    return client;
  });
  const [trpcClient] = useState(createTrpcClient);
  return (
    <trpc.Provider client={trpcClient} queryClient={queryClient}>
      <QueryClientProvider client={queryClient}>
        <App />
        <Toaster />
      </QueryClientProvider>
    </trpc.Provider>
  );
}

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);
