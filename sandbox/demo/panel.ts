/**
 * The demo's store control panel (/demo): a person plays the store and its
 * carriers (place orders, ship, delay, fail a delivery, refund, cancel, move
 * the clock) and watches the webhooks arrive in Amends. Server-rendered HTML
 * with plain forms, so it works without JavaScript.
 *
 * It changes the store and moves the clock, so it gates itself: it refuses to mount, and each of
 * its routes answers 404, unless demo mode is on (AMENDS_DEMO=true, outside production). Whatever
 * mounts it, or a parent that hides a link to it, is not what keeps it closed.
 */
import type { Express, NextFunction, Request, Response } from "express";
import { bufferedBody } from "../../app/http/request-bodies.server";
import type { Sandbox } from "../index";
import { DAY, HOUR } from "../clock";
import type { Order, ShopState } from "../store";
import type { EffectTruth } from "../history/world";

export interface InboxRow {
  topic: string;
  status: string;
  receivedAt: Date;
  lastError: string | null;
}

export interface RecoveryRow {
  orderName: string;
  type: string;
  severity: string;
  detectedAt: Date;
  decision: string | null;
  summary: string | null;
  offer: { kind: string; status: string; code: string | null; faceValue: string } | null;
}

/** The seeded world's truth (demo history): what an issued make-good really changes. */
export interface HistoryTruth {
  /** The seeded effect: chance that an issued make-good brings an extra order. */
  effectParameter: number;
  horizonDays: number;
  holdoutShare: number;
  from: Date;
  /** Failures before this have had their whole window. */
  maturedBefore: Date;
  all: EffectTruth;
  matured: EffectTruth;
  makeGoods: number;
  persuadedOrders: number;
  redeemed: number;
}

/** What Amends's dashboard measured over the same matured incidents. */
export interface MeasuredLift {
  treated: number;
  holdout: number;
  difference: number | null;
  interval: { low: number; high: number } | null;
  /** The lift over the share of assigned incidents whose make-good went out: the truth's own measure. */
  perIssued: { difference: number; interval: { low: number; high: number } } | null;
  sentence: string;
}

export interface PanelOptions {
  sandbox: Sandbox;
  shop: string;
  /** What Amends has received lately (read from the app's database by the demo script). */
  inbox: () => Promise<InboxRow[]>;
  /** Incidents Amends detected lately and the make-goods it decided (from the app's database). */
  recovery: () => Promise<RecoveryRow[]>;
  /** Called after the clock moved on, so the app's timers that became due run (the demo script moves its job queue). */
  onClockAdvanced?: (ms: number) => Promise<void>;
  /** With the demo's history: the world's truth beside what Amends measured. */
  truth?: () => Promise<{ world: HistoryTruth; measured: MeasuredLift } | null>;
}

const pts = (share: number | null | undefined) =>
  share === null || share === undefined ? "n/a" : `${(share * 100).toFixed(1)} points`;
const pct = (share: number | null | undefined) =>
  share === null || share === undefined ? "n/a" : `${(share * 100).toFixed(1)}%`;

function truthSection(truth: { world: HistoryTruth; measured: MeasuredLift } | null, shop: ShopState): string {
  if (!truth) return "";
  const { world, measured } = truth;
  return `<section aria-labelledby="truth-h"><h2 id="truth-h">The world's truth beside what Amends measured</h2>
<p class="muted">The store's history was replayed through Amends: every customer's ordinary orders were drawn in advance, and an issued make-good brings an extra order with probability ${pct(world.effectParameter)} (the seeded effect). Incidents detected from ${esc(when(world.from, shop))} to ${esc(when(world.maturedBefore, shop))} have had their whole ${world.horizonDays}-day window.</p>
<table><tbody>
<tr><th>True effect of an issued make-good (matured failures)</th><td><strong>${pts(world.matured.effect)}</strong> over ${world.matured.n} failures: ${pct(world.matured.withRate)} buy again with one, ${pct(world.matured.withoutRate)} without</td></tr>
<tr><th>True effect (every failure so far)</th><td>${pts(world.all.effect)} over ${world.all.n} failures</td></tr>
<tr><th>Amends measured per make-good that went out (its latest readout)</th><td><strong>${pts(measured.perIssued?.difference)}</strong>${measured.perIssued ? `, 95% interval ${pts(measured.perIssued.interval.low)} to ${pts(measured.perIssued.interval.high)}` : ""}</td></tr>
<tr><th>Amends measured by assignment (assigned a make-good minus held out)</th><td>${pts(measured.difference)}${measured.interval ? `, 95% interval ${pts(measured.interval.low)} to ${pts(measured.interval.high)}` : ""} (${measured.treated} assigned, ${measured.holdout} held out; holdout share ${pct(world.holdoutShare)})</td></tr>
<tr><th>Dashboard says</th><td>${esc(measured.sentence)}</td></tr>
<tr><th>Customers' answers</th><td>${world.makeGoods} make-goods reached customers; ${world.persuadedOrders} persuaded orders, ${world.redeemed} paid with the make-good</td></tr>
</tbody></table></section>`;
}

const esc = (value: unknown) =>
  String(value).replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );

function when(date: Date, shop: ShopState): string {
  return new Intl.DateTimeFormat("en-US", {
    timeZone: shop.ianaTimezone,
    dateStyle: "medium",
    timeStyle: "short",
  }).format(date);
}

function orderState(order: Order): string {
  if (order.cancelledAt) return `cancelled (${order.cancelReason})`;
  const shipped = order.fulfillments.filter((f) => f.status === "success");
  const lastEvent = shipped.flatMap((f) => f.events).sort((a, b) => b.happenedAt.getTime() - a.happenedAt.getTime())[0];
  const refunded = order.refunds.length ? `, ${order.refunds.length} refund(s)` : "";
  if (shipped.length === 0) return `unfulfilled${refunded}`;
  const remaining = order.lineItems.some((li) => li.fulfillableQuantity > 0);
  return `${remaining ? "partly shipped" : "shipped"}${lastEvent ? `, ${lastEvent.status.replace(/_/g, " ")}` : ""}${refunded}`;
}

const ACTIONS: Array<{ action: string; label: string; applies: (o: Order) => boolean }> = [
  {
    action: "fulfill",
    label: "Ship",
    applies: (o) => !o.cancelledAt && o.lineItems.some((li) => li.fulfillableQuantity > 0),
  },
  { action: "in_transit", label: "In transit", applies: (o) => o.fulfillments.length > 0 },
  { action: "delayed", label: "Carrier delay", applies: (o) => o.fulfillments.length > 0 },
  { action: "failure", label: "Failed delivery", applies: (o) => o.fulfillments.length > 0 },
  { action: "delivered", label: "Delivered", applies: (o) => o.fulfillments.length > 0 },
  { action: "refund", label: "Refund a line", applies: (o) => !o.cancelledAt },
  { action: "cancel", label: "Cancel (out of stock)", applies: (o) => !o.cancelledAt && o.fulfillments.length === 0 },
];

function page(
  options: PanelOptions,
  inbox: InboxRow[],
  recovery: RecoveryRow[],
  truth: { world: HistoryTruth; measured: MeasuredLift } | null,
  flash: string | undefined,
): string {
  const { sandbox, shop: domain } = options;
  const shop = sandbox.store.shop(domain);
  const orders = [...shop.orders.values()].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime()).slice(0, 15);
  const customers = [...shop.customers.values()].slice(0, 40);
  const variants = [...shop.products.values()]
    .flatMap((p) => p.variants.map((v) => ({ ...v, product: p.title })))
    .slice(0, 40);
  const deliveries = sandbox.sender.deliveries({ shop: domain }).slice(-12).reverse();
  const staff = sandbox.staff;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Sandbox store control panel · Amends demo</title>
<style>
 body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1a1a1a;background:#f1f1f1}
 header,main{max-width:1100px;margin:0 auto;padding:16px}
 header{display:flex;gap:16px;align-items:center;flex-wrap:wrap}
 section{background:#fff;border-radius:12px;padding:16px;margin-bottom:16px;box-shadow:0 1px 2px #0002}
 h1{font-size:20px;margin:0} h2{font-size:16px;margin:0 0 12px}
 table{border-collapse:collapse;width:100%} th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #eee;vertical-align:top}
 form{display:inline} button{font:inherit;padding:4px 10px;border-radius:8px;border:1px solid #bbb;background:#fafafa;cursor:pointer;margin:2px}
 button.primary{background:#303030;color:#fff;border-color:#303030} .flash{background:#fff4d6;border:1px solid #e6c200;padding:8px 12px;border-radius:8px}
 label{margin-right:8px} select,input{font:inherit;padding:3px}
 .muted{color:#616161}
</style></head><body>
<header>
 <h1>Sandbox store: ${esc(shop.name)}</h1>
 <span class="muted">Store time: <strong>${esc(when(sandbox.clock.now(), shop))}</strong> (${esc(shop.ianaTimezone)})</span>
 <span>Open Amends as ${staff.map((s) => `<a href="/demo/sign-in?staff=${s.id}">${esc(s.firstName)}${s.accountOwner ? " (owner)" : ""}</a>`).join(" · ")}</span>
</header>
<main>
${flash ? `<p class="flash" role="status">${esc(flash)}</p>` : ""}
${truthSection(truth, shop)}
<section aria-labelledby="clock-h"><h2 id="clock-h">Clock</h2>
 ${[
   ["1h", "+1 hour"],
   ["1d", "+1 day"],
   ["3d", "+3 days"],
 ]
   .map(
     ([v, l]) =>
       `<form method="post" action="/demo/actions/advance"><input type="hidden" name="by" value="${v}"><button>${l}</button></form>`,
   )
   .join("")}
 <form method="post" action="/demo/actions/flush"><button>Deliver webhooks that are due</button></form>
 <span class="muted">${sandbox.sender.pending().length} webhook(s) waiting</span>
</section>
<section aria-labelledby="order-h"><h2 id="order-h">Place an order</h2>
 <form method="post" action="/demo/actions/order">
  <label>Customer <select name="customer"><option value="guest">Guest checkout</option>${customers.map((c) => `<option value="${c.id}">${esc(c.firstName)} ${esc(c.lastName)} (${c.numberOfOrders} orders)</option>`).join("")}</select></label>
  <label>Product <select name="variant">${variants.map((v) => `<option value="${v.id}">${esc(v.product)}${v.title !== "Default Title" ? ` – ${esc(v.title)}` : ""} (${esc(v.price)})</option>`).join("")}</select></label>
  <label>Quantity <input name="quantity" type="number" min="1" max="9" value="1" style="width:4em"></label>
  <label>Discount code <input name="code" size="12"></label>
  <button class="primary">Place order</button>
 </form>
</section>
<section aria-labelledby="orders-h"><h2 id="orders-h">Latest orders</h2>
<table><thead><tr><th>Order</th><th>Placed</th><th>Customer</th><th>Total</th><th>State</th><th>Make something happen</th></tr></thead><tbody>
${orders
  .map((o) => {
    const c = o.customerId ? shop.customers.get(o.customerId) : undefined;
    const buttons = ACTIONS.filter((a) => a.applies(o))
      .map(
        (a) =>
          `<form method="post" action="/demo/actions/${a.action}"><input type="hidden" name="order" value="${o.id}"><button>${a.label}</button></form>`,
      )
      .join("");
    return `<tr><td>${esc(o.name)}</td><td>${esc(when(o.createdAt, shop))}</td><td>${c ? esc(`${c.firstName} ${c.lastName}`) : "guest"}</td><td>${esc(o.total)} ${esc(o.currency)}</td><td>${esc(orderState(o))}</td><td>${buttons}</td></tr>`;
  })
  .join("")}
</tbody></table></section>
<section aria-labelledby="wh-h"><h2 id="wh-h">Webhooks sent to Amends</h2>
<table><thead><tr><th>Topic</th><th>Triggered</th><th>Answer</th></tr></thead><tbody>
${deliveries.map((d) => `<tr><td>${esc(d.topic)}</td><td>${esc(when(d.triggeredAt, shop))}</td><td>${esc(d.state)}${d.status ? ` (${d.status})` : ""}</td></tr>`).join("") || `<tr><td colspan="3" class="muted">Nothing yet: place an order.</td></tr>`}
</tbody></table></section>
<section aria-labelledby="rec-h"><h2 id="rec-h">What Amends detected and offered</h2>
<table><thead><tr><th>Order</th><th>Incident</th><th>Detected</th><th>Decision</th><th>Make-good</th></tr></thead><tbody>
${
  recovery
    .map(
      (r) =>
        `<tr><td>${esc(r.orderName)}</td><td>${esc(r.type.toLowerCase().replace(/_/g, " "))}, ${esc(r.severity)}</td><td>${esc(when(r.detectedAt, shop))}</td><td>${esc(r.summary ?? r.decision ?? "deciding...")}</td><td>${
          r.offer
            ? `${esc(r.offer.kind.toLowerCase().replace(/_/g, " "))} ${esc(r.offer.faceValue)}: ${esc(r.offer.status.toLowerCase())}${r.offer.code ? ` (code ${esc(r.offer.code)})` : ""}`
            : ""
        }</td></tr>`,
    )
    .join("") ||
  `<tr><td colspan="5" class="muted">No service failures yet: delay or fail a delivery, refund, cancel, or move the clock past an order's ship-by day.</td></tr>`
}
</tbody></table></section>
<section aria-labelledby="inbox-h"><h2 id="inbox-h">Webhooks Amends recorded</h2>
<table><thead><tr><th>Topic</th><th>Received</th><th>Status</th><th>Note</th></tr></thead><tbody>
${inbox.map((r) => `<tr><td>${esc(r.topic)}</td><td>${esc(when(r.receivedAt, shop))}</td><td>${esc(r.status)}</td><td>${esc(r.lastError ?? "")}</td></tr>`).join("") || `<tr><td colspan="4" class="muted">Nothing yet.</td></tr>`}
</tbody></table></section>
</main></body></html>`;
}

function pick<T>(items: T[]): T {
  return items[Math.floor(Math.random() * items.length)]!;
}

/** Read at every request: demo mode switched off later closes the panel too. */
function demoModeOn(): boolean {
  return process.env.AMENDS_DEMO === "true" && process.env.NODE_ENV !== "production";
}

function onlyInDemoMode(_req: Request, res: Response, next: NextFunction): void {
  if (demoModeOn()) next();
  else res.status(404).type("text").send("Not Found");
}

export function mountControlPanel(app: Express, options: PanelOptions): void {
  if (!demoModeOn()) throw new Error("the demo control panel mounts only with AMENDS_DEMO=true outside production");
  const { sandbox, shop } = options;
  const activity = sandbox.activity;
  const orderOf = (req: Request) => {
    const order = sandbox.store.shop(shop).orders.get(String(req.body.order));
    if (!order) throw new Error("That order does not exist in the sandbox store.");
    return order;
  };
  const lastFulfillment = (order: Order) => {
    const f = order.fulfillments.at(-1);
    if (!f) throw new Error(`${order.name} has not shipped yet.`);
    return f;
  };
  const inDays = (days: number) => new Date(sandbox.clock.now().getTime() + days * DAY);

  const actions: Record<string, (req: Request) => Promise<string>> = {
    async advance(req) {
      const by = { "1h": HOUR, "1d": DAY, "3d": 3 * DAY }[String(req.body.by)] ?? HOUR;
      sandbox.clock.advance(by);
      await options.onClockAdvanced?.(by);
      const due = await sandbox.sender.flushDue();
      return `Clock moved on; ${due.length} due webhook(s) delivered.`;
    },
    async flush() {
      return `${(await sandbox.sender.flushDue()).length} webhook(s) delivered.`;
    },
    async order(req) {
      const quantity = Math.max(1, Math.min(9, Number(req.body.quantity) || 1));
      const customer = String(req.body.customer);
      const code = String(req.body.code ?? "").trim();
      const order = await activity.placeOrder(shop, {
        ...(customer === "guest" ? { guest: true as const } : { customerId: customer }),
        lines: [{ variantId: String(req.body.variant), quantity }],
        ...(code ? { discountCode: code } : {}),
      });
      return `${order.name} placed (${order.total} ${order.currency}).`;
    },
    async fulfill(req) {
      const order = orderOf(req);
      await activity.fulfill(shop, order.id, {
        trackingCompany: pick(["UPS", "DHL Express", "USPS"]),
        trackingNumber: `1Z${Date.now()}`,
        estimatedDeliveryAt: inDays(3),
      });
      return `${order.name} shipped.`;
    },
    async in_transit(req) {
      const order = orderOf(req);
      await activity.addFulfillmentEvent(shop, order.id, lastFulfillment(order).id, {
        status: "in_transit",
        estimatedDeliveryAt: inDays(2),
      });
      return `${order.name} is in transit.`;
    },
    async delayed(req) {
      const order = orderOf(req);
      await activity.addFulfillmentEvent(shop, order.id, lastFulfillment(order).id, {
        status: "delayed",
        estimatedDeliveryAt: inDays(5),
        message: "Weather delay at the regional hub",
      });
      return `${order.name}: the carrier reports a delay; new estimate in 5 days.`;
    },
    async failure(req) {
      const order = orderOf(req);
      await activity.addFulfillmentEvent(shop, order.id, lastFulfillment(order).id, {
        status: "failure",
        message: "Package damaged in transit; returning to sender",
      });
      return `${order.name}: delivery failed.`;
    },
    async delivered(req) {
      const order = orderOf(req);
      await activity.addFulfillmentEvent(shop, order.id, lastFulfillment(order).id, { status: "delivered" });
      return `${order.name} delivered.`;
    },
    async refund(req) {
      const order = orderOf(req);
      const line = order.lineItems.find((li) => li.quantity - li.refundedQuantity > 0);
      if (!line) throw new Error(`${order.name} has nothing left to refund.`);
      await activity.refund(shop, order.id, {
        lines: [{ lineItemId: line.id, quantity: 1 }],
        note: "Item arrived damaged",
      });
      return `${order.name}: one ${line.title} refunded.`;
    },
    async cancel(req) {
      const order = orderOf(req);
      await activity.cancel(shop, order.id, { reason: "inventory", staffNote: "Out of stock" });
      return `${order.name} cancelled: out of stock.`;
    },
  };

  // Express 4 ignores a handler's promise: a failure must reach next(), or it would be an unhandled rejection.
  app.get("/demo", onlyInDemoMode, (req: Request, res: Response, next: NextFunction) => {
    Promise.all([options.inbox(), options.recovery(), options.truth?.() ?? null])
      .then(([inbox, recovery, truth]) =>
        res
          .type("html")
          .send(
            page(options, inbox, recovery, truth, typeof req.query.flash === "string" ? req.query.flash : undefined),
          ),
      )
      .catch(next);
  });

  app.post("/demo/actions/:action", onlyInDemoMode, (req: Request, res: Response, next: NextFunction) => {
    // The server has read the body already (app/http/request-bodies.server.ts): a URL-encoded form.
    req.body = Object.fromEntries(new URLSearchParams(bufferedBody(req)?.toString("utf8") ?? ""));
    const run = actions[String(req.params.action)];
    (run ? run(req) : Promise.resolve("Unknown action."))
      .catch((error: unknown) => (error instanceof Error ? error.message : String(error)))
      .then((message) => res.redirect(303, `/demo?flash=${encodeURIComponent(message)}`))
      .catch(next);
  });
}
