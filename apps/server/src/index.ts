export { buildApp, type BuildAppOptions } from "./app";
export { loadEnv, EnvError, type Env } from "./env";
