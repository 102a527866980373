/**
 * `npm run demo`: Amends against the sandbox store, with no Shopify account and
 * no internet (see scripts/start-demo.ts), then prints the one URL to open.
 */
import { DEMO_SHOP, startDemo } from "./start-demo";

const demo = await startDemo();
// Imported only now: the app's modules load after the demo has routed Shopify's requests to the sandbox.
const { stopOnSignals } = await import("../server");
stopOnSignals(demo.close);

console.log(`
  Amends demo: open ${demo.signInUrl}

  Sandbox shop ${DEMO_SHOP}: ${demo.seeded.customers} customers, ${demo.seeded.orders} orders over 8 weeks.
  The store control panel (${demo.url}/demo) places orders, ships, delays and refunds them.
  Ctrl-C stops the app and its embedded database.
`);
