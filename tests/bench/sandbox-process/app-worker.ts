/**
 * A worker process of the app for the multi-process benches: Shopify's URLs forwarded to the
 * sandbox process (AMENDS_SANDBOX_URL), then `scripts/worker.ts` (`npm run worker`) unchanged.
 */
import { installForwarder } from "./forwarder";

const sandboxUrl = process.env.AMENDS_SANDBOX_URL;
if (!sandboxUrl) throw new Error("AMENDS_SANDBOX_URL is not set");
await installForwarder(sandboxUrl);
process.stdout.write("WORKER STARTING\n");
await import("../../../scripts/worker");
