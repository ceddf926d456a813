import { runAutocannon, type LoadSpec } from "./lib/load";

// The load generator's own process: one spec in, one result out.
process.once("message", (spec: LoadSpec) => {
  runAutocannon(spec)
    .then((result) => process.send?.({ result }))
    .catch((error: unknown) => process.send?.({ error: String(error) }));
});
