/**
 * `npm run demo`: the app with its embedded database and a demo configuration,
 * no Shopify account needed. Prints the URL to open.
 */
import { randomBytes } from "node:crypto";

process.env.NODE_ENV ??= "development";
process.env.SHOPIFY_API_KEY ??= "amends-demo";
// A fresh throw-away secret per run: nothing real is signed with it.
process.env.SHOPIFY_API_SECRET ??= randomBytes(24).toString("hex");
process.env.PORT ??= "3000";
process.env.SHOPIFY_APP_URL ??= `http://localhost:${process.env.PORT}`;
process.env.SCOPES ??=
  "read_orders,read_customers,write_discounts,write_gift_cards,write_store_credit_account_transactions,read_store_credit_accounts,write_draft_orders,read_products,read_fulfillments,read_merchant_managed_fulfillment_orders,read_assigned_fulfillment_orders,read_third_party_fulfillment_orders";
process.env.EMBEDDED_DB_DIR ??= ".data/demo-postgres";

const { startServer, stopOnSignals } = await import("../server");
const running = await startServer();
stopOnSignals(running.close);
console.log(`\n  Amends demo is running: open ${running.url}\n  (Ctrl-C stops it and its embedded database.)\n`);
