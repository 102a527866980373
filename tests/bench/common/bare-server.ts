/**
 * The bare webhook servers the benches compare the app with (baseline-server.ts, naive-server.ts,
 * loop/baseline-client.ts): node:http, POST /webhooks with the body read whole, the HMAC checked
 * with a constant-time compare, the app's keep-alive; one listen-and-stop for their child processes.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from "node:http";

export function validSignature(body: Buffer, header: string | string[] | undefined, key: string): boolean {
  if (typeof header !== "string") return false;
  const expected = createHmac("sha256", key).update(body).digest();
  const given = Buffer.from(header, "base64");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** One value of a header (null when absent or repeated). */
export const headerValue = (value: string | string[] | undefined): string | null =>
  typeof value === "string" ? value : null;

export const answer = (res: ServerResponse, status: number): void => {
  res.writeHead(status, { "content-length": "0" }).end();
};

/**
 * A server for POST /webhooks: `onDelivery` gets the whole body and headers (GET elsewhere answers
 * 200, other methods 405). Other routes can be served by `otherRoute` (return true when handled).
 */
export function webhookServer(
  onDelivery: (body: Buffer, headers: IncomingHttpHeaders, res: ServerResponse) => void,
  otherRoute?: (method: string, url: string, body: Buffer, res: ServerResponse) => boolean,
): Server {
  const server = createServer((req, res) => {
    const method = req.method ?? "GET";
    const url = req.url ?? "/";
    const isWebhook = method === "POST" && url === "/webhooks";
    if (!isWebhook && !otherRoute) {
      answer(res, method === "GET" ? 200 : 405);
      return;
    }
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      if (isWebhook) onDelivery(body, req.headers, res);
      else if (!otherRoute?.(method, url, body, res)) answer(res, method === "GET" ? 200 : 405);
    });
    req.on("error", () => res.destroy());
  });
  // Same keep-alive as the app's server.ts, so both see the same connection reuse.
  server.keepAliveTimeout = 65_000;
  return server;
}

/**
 * Listen on PORT (0 = any free port) and HOST (127.0.0.1), print "<name> listening on <port>" once
 * ready (the bench waits for that line), and on SIGTERM/SIGINT close every connection, run
 * `onStop` and exit 0.
 */
export function listenUntilSignal(server: Server, name: string, onStop?: () => Promise<void>): void {
  const host = process.env.HOST ?? "127.0.0.1";
  const port = Number(process.env.PORT ?? 0);
  server.listen(port, host, () => {
    const address = server.address();
    const bound = typeof address === "object" && address ? address.port : port;
    console.log(`${name} listening on ${bound}`);
  });
  const stop = () => {
    server.close(() => void (onStop?.() ?? Promise.resolve()).finally(() => process.exit(0)));
    server.closeAllConnections();
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

/** An environment variable the child cannot run without (exits 1 with a message). */
export function requiredEnv(...names: string[]): string[] {
  const values = names.map((n) => process.env[n]);
  if (values.some((v) => !v)) {
    console.error(`${names.join(" and ")} must be set`);
    process.exit(1);
  }
  return values as string[];
}
