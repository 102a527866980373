/**
 * `npm run abuse [-- --no-build] [--short] [--out=FILE]`: the attack suite (attacks.ts) against the
 * production build on loopback, with the server's default limits (--short: the counts and short
 * timeouts of the version `npm test` runs, tests/abuse/abuse.test.ts). Prints a table (attack,
 * requests, answers by status, whether the process was alive and a genuine delivery accepted
 * afterwards) and writes the results as JSON to --out, or for a full run to
 * tests/abuse/results/abuse-latest.json. Exits 1 if anything was not as expected.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseEnv } from "../../app/env.server";
import { buildApp, ROOT, startProductionApp } from "../helpers/child-server";
import { abuseTable, FULL, passed, runAbuseSuite, SHORT } from "./attacks";
import { largeOrderWebhook } from "./large-order";
import { SHORT_LIMITS } from "./limits";

const args = new Set(process.argv.slice(2));
let out: string | undefined;
for (const arg of args) {
  if (arg.startsWith("--out=")) out = path.resolve(arg.slice("--out=".length));
  else if (!["--no-build", "--short"].includes(arg))
    throw new Error(`unknown option ${arg} (options: --no-build, --short, --out=FILE)`);
}
const scale = args.has("--short") ? SHORT : FULL;

const secret = randomBytes(32).toString("hex");
const env = scale === SHORT ? SHORT_LIMITS : {};
const limits = parseEnv({
  SHOPIFY_API_KEY: "k",
  SHOPIFY_API_SECRET: "s",
  SHOPIFY_APP_URL: "http://127.0.0.1",
  SCOPES: "read_orders",
  ...env,
});

if (!args.has("--no-build")) {
  console.warn("Building the app (npm run build) ...");
  buildApp();
}
const largeOrder = await largeOrderWebhook();
console.warn(
  `Starting Amends (production build) on loopback; body cap ${limits.MAX_REQUEST_BODY_BYTES} bytes, headers within ${limits.HEADERS_TIMEOUT_MS} ms, whole request within ${limits.REQUEST_TIMEOUT_MS} ms`,
);
const app = await startProductionApp({ secret, env });
const started = new Date();
let ok = false;
try {
  const run = await runAbuseSuite(
    {
      host: "127.0.0.1",
      port: app.port,
      secret,
      databaseUrl: app.databaseUrl,
      alive: () => app.server.running,
      maxBodyBytes: limits.MAX_REQUEST_BODY_BYTES,
      headersTimeoutMs: limits.HEADERS_TIMEOUT_MS,
      requestTimeoutMs: limits.REQUEST_TIMEOUT_MS,
      unhandledRejections: () => app.server.unhandledRejections,
    },
    scale,
    {
      largeOrder,
      onResult: (r) =>
        console.warn(
          `  ${r.asExpected && r.aliveAfter && r.validDeliveryAfter ? "ok  " : "FAIL"} ${r.attack} (${r.requests} requests, ${(r.ms / 1000).toFixed(1)} s)`,
        ),
    },
  );
  ok = passed(run);
  const machine = `${os.cpus()[0]?.model ?? "unknown CPU"}, ${os.cpus().length} cores, Node ${process.version}`;
  console.warn(`\nAbuse suite (${scale.name}), ${started.toISOString()}, ${machine}`);
  console.warn(abuseTable(run.results));
  console.warn(
    `\nUnhandled rejections logged by the app: ${run.unhandledRejections}. Process alive at the end: ${app.server.running ? "yes" : "NO"}.`,
  );
  console.warn(
    ok
      ? "Every attack answered as expected; the process stayed up and kept accepting genuine deliveries."
      : "NOT as expected: see the rows marked NO.",
  );
  const file = out ?? (scale === FULL ? path.join(ROOT, "tests/abuse/results/abuse-latest.json") : undefined);
  if (file) {
    mkdirSync(path.dirname(file), { recursive: true });
    const report = {
      at: started.toISOString(),
      machine,
      scale: scale.name,
      limits: {
        maxBodyBytes: limits.MAX_REQUEST_BODY_BYTES,
        headersTimeoutMs: limits.HEADERS_TIMEOUT_MS,
        requestTimeoutMs: limits.REQUEST_TIMEOUT_MS,
      },
      ...run,
      aliveAtEnd: app.server.running,
      passed: ok,
    };
    writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  }
} finally {
  await app.stop();
}
process.exit(ok ? 0 : 1);
