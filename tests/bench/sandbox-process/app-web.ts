/**
 * A web process of the app for the multi-process benches: Shopify's URLs forwarded to the sandbox
 * process (AMENDS_SANDBOX_URL), then `server.ts` as in production (its environment as usual:
 * DATABASE_URL, PORT, WORKER_IN_WEB...). Prints "APP READY <url>" once it serves.
 */
import { installForwarder } from "./forwarder";

const sandboxUrl = process.env.AMENDS_SANDBOX_URL;
if (!sandboxUrl) throw new Error("AMENDS_SANDBOX_URL is not set");
await installForwarder(sandboxUrl);
const { startServer, stopOnSignals } = await import("../../../server");
const running = await startServer();
stopOnSignals(running.close);
process.stdout.write(`APP READY ${running.url}\n`);
