/**
 * `npm run demo`: Amends against the sandbox store, with no Shopify account and
 * no internet (see scripts/start-demo.ts), then prints the one URL to open.
 *
 * The shop opens with months of history that went through Amends (scripts/demo-history.ts): the
 * first start replays it (a few minutes) and caches it; later starts copy the cache. `--no-history`
 * (or AMENDS_DEMO_HISTORY=false) opens on the plain seeded store instead, as before.
 */
import { DEMO_SHOP, startDemo } from "./start-demo";
import { exitOnSignalsWhileStarting } from "../app/db/embedded-postgres.server";

// A Ctrl-C during the start (the first one replays months of history) still stops the embedded database.
const handOverSignals = exitOnSignalsWhileStarting();

const history = !process.argv.includes("--no-history") && process.env.AMENDS_DEMO_HISTORY !== "false";
const started = performance.now();
const demo = await startDemo({ history, onProgress: (message) => console.log(`  ${message}`) });
// Imported only now: the app's modules load after the demo has routed Shopify's requests to the sandbox.
const { stopOnSignals } = await import("../server");
handOverSignals();
stopOnSignals(demo.close);

const seconds = ((performance.now() - started) / 1000).toFixed(1);
const about = demo.history
  ? `${demo.seeded.customers} customers, ${demo.seeded.orders} orders; Amends has run on it for months (history ${demo.history.cached ? "from the cache" : "replayed and cached"}, started in ${seconds} s).`
  : `${demo.seeded.customers} customers, ${demo.seeded.orders} orders over 8 weeks.`;
console.log(`
  Amends demo: open ${demo.signInUrl}

  Sandbox shop ${DEMO_SHOP}: ${about}
  The store control panel (${demo.url}/demo) places orders, ships, delays and refunds them${demo.history ? ",\n  and shows the world's true effect beside what Amends measured" : ""}.
  Ctrl-C stops the app and its embedded database.
`);
