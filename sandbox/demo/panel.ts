/**
 * The demo's store control panel (/demo): a person plays the store and its
 * carriers (place orders, ship, delay, fail a delivery, refund, cancel, move
 * the clock) and watches the webhooks arrive in Amends. Server-rendered HTML
 * with plain forms, so it works without JavaScript.
 *
 * Two actions show a failure at once, whatever the day: "Make this order late" moves the clock to
 * just past the ship-by deadline Amends holds the order to (its own computation, from its settings
 * for the shop: handling days, days off, time zone), and "Deliver the delay now" has the carrier
 * report a delay. Each then waits a moment for Amends to detect it and says what it found.
 *
 * It changes the store and moves the clock, so it gates itself: it refuses to mount, and each of
 * its routes answers 404, unless demo mode is on (AMENDS_DEMO=true, outside production). Whatever
 * mounts it, or a parent that hides a link to it, is not what keeps it closed.
 */
import type { Express, NextFunction, Request, Response } from "express";
import { bufferedBody } from "../../app/http/request-bodies.server";
import { isBusinessDate, localDate, type LocalDate } from "../../app/recovery";
import type { OrderShipBy } from "../../app/services/detection.server";
import type { Sandbox } from "../index";
import { DAY, HOUR } from "../clock";
import { gid, type Fulfillment, type Order, type ShopState } from "../store";
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
  /** Where a kind of make-good has its own chance (an experiment's arms): "discount" etc. */
  effectByKind?: Partial<Record<"discount" | "storeCredit" | "giftCard", number>>;
  /** Ratings customers sent through their follow-ups' links. */
  ratings?: number;
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
  /**
   * The ship-by deadline Amends holds an unshipped order to, computed by the app from its own
   * settings for the shop (app/services/detection.server.ts orderShipBy); null when nothing is left
   * to ship. Without it the panel cannot make an order late.
   */
  shipBy?: (orderGid: string) => Promise<OrderShipBy | null>;
  /**
   * Lets the app's due work run before the panel looks again at what Amends detected. Default: a
   * short real pause (the demo's worker runs on its own); a test passes its job runner.
   */
  appCatchUp?: () => Promise<void>;
  /** How long (real time) an action waits for Amends to detect what it did before saying it has not yet. Default 15 s. */
  detectionWaitMs?: number;
  /** With the demo's history: the world's truth beside what Amends measured. */
  truth?: () => Promise<{ world: HistoryTruth; measured: MeasuredLift } | null>;
}

const pts = (share: number | null | undefined) =>
  share === null || share === undefined ? "n/a" : `${(share * 100).toFixed(1)} points`;
const pct = (share: number | null | undefined) =>
  share === null || share === undefined ? "n/a" : `${(share * 100).toFixed(1)}%`;

const KIND_WORDS = { discount: "a code", storeCredit: "store credit", giftCard: "a gift card" } as const;

/** "50% (the seeded effect)", or per kind: "20% for a code, 75% for store credit, 50% for any other make-good". */
function seededEffect(world: HistoryTruth): string {
  const kinds = Object.entries(world.effectByKind ?? {}) as Array<[keyof typeof KIND_WORDS, number]>;
  if (kinds.length === 0) return `${pct(world.effectParameter)} (the seeded effect)`;
  return `${kinds.map(([kind, p]) => `${pct(p)} for ${KIND_WORDS[kind]}`).join(", ")}, ${pct(world.effectParameter)} for any other make-good (the seeded effects)`;
}

function truthSection(truth: { world: HistoryTruth; measured: MeasuredLift } | null, shop: ShopState): string {
  if (!truth) return "";
  const { world, measured } = truth;
  return `<section aria-labelledby="truth-h"><h2 id="truth-h">The world's truth beside what Amends measured</h2>
<p class="muted">The store's history was replayed through Amends: every customer's ordinary orders were drawn in advance, and an issued make-good brings an extra order with probability ${seededEffect(world)}. Incidents detected from ${esc(when(world.from, shop))} to ${esc(when(world.maturedBefore, shop))} have had their whole ${world.horizonDays}-day window.</p>
<table><tbody>
<tr><th>True effect of the make-goods that went out (matured failures)</th><td><strong>${pts(world.matured.effect)}</strong> over ${world.matured.n} failures: ${pct(world.matured.withRate)} buy again with one, ${pct(world.matured.withoutRate)} without</td></tr>
<tr><th>True effect (every failure so far that got one)</th><td>${pts(world.all.effect)} over ${world.all.n} failures</td></tr>
<tr><th>Amends measured per make-good that went out (its latest readout)</th><td><strong>${pts(measured.perIssued?.difference)}</strong>${measured.perIssued ? `, 95% interval ${pts(measured.perIssued.interval.low)} to ${pts(measured.perIssued.interval.high)}` : ""}</td></tr>
<tr><th>Amends measured by assignment (assigned a make-good minus held out)</th><td>${pts(measured.difference)}${measured.interval ? `, 95% interval ${pts(measured.interval.low)} to ${pts(measured.interval.high)}` : ""} (${measured.treated} assigned, ${measured.holdout} held out; holdout share ${pct(world.holdoutShare)})</td></tr>
<tr><th>Dashboard says</th><td>${esc(measured.sentence)}</td></tr>
<tr><th>Customers' answers</th><td>${world.makeGoods} make-goods reached customers; ${world.persuadedOrders} persuaded orders, ${world.redeemed} paid with the make-good${world.ratings === undefined ? "" : `; ${world.ratings} ratings sent from follow-ups`}</td></tr>
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

/** With the weekday: "Wed, Mar 12, 2025, 11:59 PM EDT". */
function dayAndTime(date: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-US", {
    timeZone,
    weekday: "short",
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: "numeric",
    minute: "2-digit",
    timeZoneName: "short",
  }).format(date);
}

/** A local date as "Sat, Mar 8" (the date names the day wherever it is read). */
function dayName(date: LocalDate): string {
  return new Intl.DateTimeFormat("en-US", { timeZone: "UTC", weekday: "short", month: "short", day: "numeric" }).format(
    new Date(`${date}T12:00:00Z`),
  );
}

function duration(ms: number): string {
  const minutesInAll = Math.round(ms / 60_000);
  const days = Math.floor(minutesInAll / (24 * 60));
  const hours = Math.floor((minutesInAll % (24 * 60)) / 60);
  const minutes = minutesInAll % 60;
  return (
    [days && `${days} d`, hours && `${hours} h`, minutes && `${minutes} min`].filter(Boolean).join(" ") ||
    "under a minute"
  );
}

/**
 * Why the deadline falls where it does, in words: the handling days from the day the order came in,
 * and the days off (weekend days and holidays in Amends's settings) that did not count.
 */
function shipByReason(shipBy: OrderShipBy): string {
  if (shipBy.deadline.source === "FULFILL_BY") return "the fulfillment order's own fulfill-by date";
  const calendar = { timeZone: shipBy.timeZone, weekendDays: shipBy.weekendDays, holidays: shipBy.holidays };
  const last = localDate(shipBy.deadline.at, shipBy.timeZone);
  const daysOff: string[] = [];
  for (let day = localDate(shipBy.receivedAt, shipBy.timeZone); day <= last; day = nextDate(day)) {
    if (!isBusinessDate(day, calendar))
      daysOff.push(`${dayName(day)}${shipBy.holidays.includes(day) ? " (holiday)" : ""}`);
  }
  const days = `${shipBy.handlingDays} business day${shipBy.handlingDays === 1 ? "" : "s"}`;
  return `${days} of handling time after it came in on ${dayAndTime(shipBy.receivedAt, shipBy.timeZone)}, in ${shipBy.timeZone}${
    daysOff.length ? `; days off not counted: ${daysOff.join(", ")}` : ""
  }`;
}

const nextDate = (date: LocalDate): LocalDate =>
  new Date(Date.parse(`${date}T00:00:00Z`) + DAY).toISOString().slice(0, 10) as LocalDate;

/** A shipped parcel the carrier can still report on: not delivered, not failed, not cancelled. */
function parcelUnderWay(order: Order): Fulfillment | undefined {
  return order.fulfillments.findLast(
    (f) =>
      f.status === "success" &&
      !f.deliveredAt &&
      !f.events.some((e) => e.status === "delivered" || e.status === "failure"),
  );
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
  {
    action: "make_late",
    label: "Make this order late",
    applies: (o) => !o.cancelledAt && o.lineItems.some((li) => li.fulfillableQuantity > 0),
  },
  { action: "in_transit", label: "In transit", applies: (o) => o.fulfillments.length > 0 },
  { action: "deliver_delay", label: "Deliver the delay now", applies: (o) => parcelUnderWay(o) !== undefined },
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
  `<tr><td colspan="5" class="muted">No service failures yet: make an order late, deliver a carrier's delay, fail a delivery, refund or cancel.</td></tr>`
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

/**
 * Amends times an order's ship-by check from its orders/create webhook: an order the store had
 * before the app was installed (the plain demo's seeded ones) has no check until the daily sweep.
 */
const LATE_NOT_YET =
  " (it times its ship-by check from the order's orders/create webhook: orders seeded before it was installed wait for its daily sweep)";

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
  const catchUp = options.appCatchUp ?? (() => new Promise<void>((resolve) => setTimeout(resolve, 250)));
  /** Wait (a while, in real time) for Amends to detect an incident of this type on the order, and say what it found. */
  const detected = async (order: Order, type: string, notYet = ""): Promise<string> => {
    const giveUpAt = Date.now() + (options.detectionWaitMs ?? 15_000);
    for (;;) {
      await catchUp();
      const row = (await options.recovery()).find((r) => r.orderName === order.name && r.type === type);
      if (row) return `Amends detected it: ${type.toLowerCase().replace(/_/g, " ")}, ${row.severity.toLowerCase()}.`;
      if (Date.now() >= giveUpAt)
        return `Amends has not detected it yet${notYet}: watch "What Amends detected and offered" below.`;
    }
  };

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
    async make_late(req) {
      const order = orderOf(req);
      if (!options.shipBy) throw new Error("This panel cannot read Amends's ship-by deadlines.");
      const shipBy = await options.shipBy(gid("Order", order.id));
      if (!shipBy) throw new Error(`${order.name} has nothing left to ship: Amends holds it to no ship-by deadline.`);
      const { timeZone } = shipBy;
      // Amends calls the order late once its deadline has passed: the moment its ship-by timer fires.
      const lateFrom = shipBy.deadline.at.getTime() + 1;
      const by = lateFrom - sandbox.clock.now().getTime();
      let moved: string;
      if (by > 0) {
        sandbox.clock.advance(by);
        await options.onClockAdvanced?.(by);
        moved = `store clock moved on ${duration(by)} to ${dayAndTime(sandbox.clock.now(), timeZone)}, just past it`;
      } else {
        moved = `the store clock (${dayAndTime(sandbox.clock.now(), timeZone)}) is past it already`;
      }
      await sandbox.sender.flushDue();
      const ranOut = dayAndTime(shipBy.deadline.at, timeZone);
      return `${order.name}: Amends's ship-by was ${ranOut} (${shipByReason(shipBy)}); ${moved}. ${await detected(order, "LATE_FULFILLMENT", LATE_NOT_YET)}`;
    },
    async deliver_delay(req) {
      const order = orderOf(req);
      const parcel = parcelUnderWay(order);
      if (!parcel) throw new Error(`${order.name} has no parcel on its way.`);
      const estimate = inDays(5);
      await activity.addFulfillmentEvent(shop, order.id, parcel.id, {
        status: "delayed",
        estimatedDeliveryAt: estimate,
        message: "Weather delay at the regional hub",
      });
      await sandbox.sender.flushDue();
      const timeZone = sandbox.store.shop(shop).ianaTimezone;
      return `${order.name}: the carrier reports a delay now; new estimate ${dayAndTime(estimate, timeZone)}. ${await detected(order, "DELIVERY_DELAY")}`;
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
