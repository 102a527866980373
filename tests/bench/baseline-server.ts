/**
 * The benchmark's baseline: the least a webhook endpoint can do. A bare
 * node:http server that reads the body, checks X-Shopify-Hmac-Sha256 with a
 * constant-time compare and answers 200 (401 on a bad signature). No
 * framework, no database. Started as a child process by webhooks.bench.ts so
 * it never shares an event loop with the load generator.
 *
 * Env: BENCH_SECRET (required), PORT (0 = any free port), HOST (127.0.0.1).
 * Prints "baseline listening on <port>" once ready; stops on SIGTERM/SIGINT.
 */
import { answer, listenUntilSignal, requiredEnv, validSignature, webhookServer } from "./common/bare-server";

const [secret = ""] = requiredEnv("BENCH_SECRET");

const server = webhookServer((body, headers, res) => {
  answer(res, validSignature(body, headers["x-shopify-hmac-sha256"], secret) ? 200 : 401);
});
listenUntilSignal(server, "baseline");
