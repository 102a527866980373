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
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";

const secret = process.env.BENCH_SECRET;
if (!secret) {
  console.error("BENCH_SECRET is not set");
  process.exit(1);
}
const host = process.env.HOST ?? "127.0.0.1";
const port = Number(process.env.PORT ?? 0);

function validSignature(body: Buffer, header: string | string[] | undefined, key: string): boolean {
  if (typeof header !== "string") return false;
  const expected = createHmac("sha256", key).update(body).digest();
  const given = Buffer.from(header, "base64");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const server = createServer((req, res) => {
  if (req.method !== "POST" || req.url !== "/webhooks") {
    res.writeHead(req.method === "GET" ? 200 : 405, { "content-length": "0" }).end();
    return;
  }
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    const ok = validSignature(Buffer.concat(chunks), req.headers["x-shopify-hmac-sha256"], secret);
    res.writeHead(ok ? 200 : 401, { "content-length": "0" }).end();
  });
  req.on("error", () => res.destroy());
});
// Same keep-alive as the app's server.ts, so both see the same connection reuse.
server.keepAliveTimeout = 65_000;

server.listen(port, host, () => {
  const address = server.address();
  const bound = typeof address === "object" && address ? address.port : port;
  console.log(`baseline listening on ${bound}`);
});

const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
