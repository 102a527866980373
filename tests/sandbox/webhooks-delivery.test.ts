/**
 * The WebhookSender's delivery behaviour against a recording transport:
 * Shopify's headers and signature, duplicates, out-of-order, late and dropped
 * deliveries, retries after non-2xx answers, subscriptions and uninstalls.
 */
import { describe, expect, test, vi } from "vitest";
import { ControlledClock, HOUR } from "../../sandbox/clock";
import { randomPolicy, sign, WebhookSender, type WebhookSenderOptions } from "../../sandbox/webhooks";

const SHOP = "delivery.myshopify.com";
const SECRET = "shhh";

interface Received {
  headers: Record<string, string>;
  body: string;
}

function setup(options: Partial<WebhookSenderOptions> & { answer?: (n: number, r: Received) => number } = {}) {
  const clock = new ControlledClock();
  clock.freeze(new Date("2026-03-02T15:00:00.000Z"));
  const received: Received[] = [];
  const sender = new WebhookSender({
    secret: SECRET,
    apiVersion: "2026-10",
    clock,
    deliver: async (request) => {
      const r = { headers: Object.fromEntries(request.headers.entries()), body: await request.text() };
      received.push(r);
      return new Response(null, { status: options.answer?.(received.length, r) ?? 200 });
    },
    ...options,
  });
  const bodies = () => received.map((r) => (JSON.parse(r.body) as { n: number }).n);
  return { clock, sender, received, bodies };
}

describe("a delivery", () => {
  test("carries Shopify's headers and a base64 HMAC-SHA256 of the raw body", async () => {
    const { sender, received, clock } = setup();
    const record = await sender.send(SHOP, "orders/create", { id: 1, note: "ünïcode" });

    const [r] = received;
    expect(r?.headers).toMatchObject({
      "content-type": "application/json",
      "x-shopify-topic": "orders/create",
      "x-shopify-shop-domain": SHOP,
      "x-shopify-api-version": "2026-10",
      "x-shopify-webhook-id": record.webhookId,
      "x-shopify-event-id": record.eventId,
      "x-shopify-triggered-at": clock.now().toISOString(),
    });
    expect(r?.headers["x-shopify-hmac-sha256"]).toBe(sign(r?.body ?? "", SECRET));
    // RFC 4231 test case 2, as base64.
    expect(Buffer.from(sign("what do ya want for nothing?", "Jefe"), "base64").toString("hex")).toBe(
      "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
    );
    expect(record).toMatchObject({ state: "delivered", status: 200, attempts: 1, retries: 0, dropped: false });
  });

  test("webhook ids are unique per delivery and event ids per event", async () => {
    const { sender } = setup();
    const a = await sender.send(SHOP, "orders/create", { n: 1 });
    const b = await sender.send(SHOP, "orders/updated", { n: 2 });
    expect(a.webhookId).not.toBe(b.webhookId);
    expect(a.eventId).not.toBe(b.eventId);
    expect(a.webhookId).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("delivery options", () => {
  test("duplicate: n sends the same delivery n more times, same webhook id, body and signature", async () => {
    const { sender, received } = setup();
    const record = await sender.send(SHOP, "orders/create", { n: 1 }, { duplicate: 2 });
    expect(received).toHaveLength(3);
    expect(new Set(received.map((r) => r.headers["x-shopify-webhook-id"]))).toEqual(new Set([record.webhookId]));
    expect(new Set(received.map((r) => r.headers["x-shopify-hmac-sha256"])).size).toBe(1);
    expect(record.history.map((h) => h.duplicate)).toEqual([false, true, true]);
  });

  test("resend: n delivers the same event again under new webhook ids", async () => {
    const { sender, received } = setup();
    await sender.send(SHOP, "orders/create", { n: 1 }, { resend: 1 });
    expect(received).toHaveLength(2);
    expect(received[0]?.headers["x-shopify-event-id"]).toBe(received[1]?.headers["x-shopify-event-id"]);
    expect(received[0]?.headers["x-shopify-webhook-id"]).not.toBe(received[1]?.headers["x-shopify-webhook-id"]);
  });

  test("hold() then flush({ order: 'reverse' }) delivers out of order", async () => {
    const { sender, bodies } = setup();
    sender.hold();
    for (const n of [1, 2, 3]) await sender.send(SHOP, "orders/updated", { n });
    expect(bodies()).toEqual([]);
    expect(sender.pending().map((r) => r.state)).toEqual(["held", "held", "held"]);
    await sender.flush({ order: "reverse" });
    expect(bodies()).toEqual([3, 2, 1]);
    // Holding ended with the flush.
    await sender.send(SHOP, "orders/updated", { n: 4 });
    expect(bodies()).toEqual([3, 2, 1, 4]);
  });

  test("a seeded shuffle is reproducible", async () => {
    const orders: number[][] = [];
    for (let run = 0; run < 2; run++) {
      const { sender, bodies } = setup();
      sender.hold();
      for (let n = 1; n <= 8; n++) await sender.send(SHOP, "orders/updated", { n });
      await sender.flush({ order: "shuffle", seed: 7 });
      orders.push(bodies());
    }
    expect(orders[0]).toEqual(orders[1]);
    expect(orders[0]).not.toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect([...(orders[0] ?? [])].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  test("hold: true on one send holds just that one", async () => {
    const { sender, bodies } = setup();
    await sender.send(SHOP, "orders/create", { n: 1 }, { hold: true });
    await sender.send(SHOP, "orders/updated", { n: 2 });
    await sender.flush();
    expect(bodies()).toEqual([2, 1]);
  });

  test("delayMs waits on the sandbox clock until flushDue() runs after it", async () => {
    const { sender, bodies, clock } = setup();
    const late = await sender.send(SHOP, "orders/create", { n: 1 }, { delayMs: 2 * HOUR });
    await sender.send(SHOP, "orders/updated", { n: 2 });
    expect(late).toMatchObject({ state: "scheduled", dueAt: new Date(clock.now().getTime() + 2 * HOUR) });

    clock.advance(HOUR);
    await sender.flushDue();
    expect(bodies()).toEqual([2]);
    clock.advance(HOUR);
    await sender.flushDue();
    expect(bodies()).toEqual([2, 1]);
    expect(late.state).toBe("delivered");
    // Triggered-At is when the event happened, not when it arrived.
    expect(late.triggeredAt).toEqual(new Date("2026-03-02T15:00:00.000Z"));
  });

  test("two flushDue() calls at once send each due delivery once, and leave what is not due scheduled", async () => {
    const { sender, bodies, clock } = setup();
    await sender.send(SHOP, "orders/create", { n: 1 }, { delayMs: HOUR });
    await sender.send(SHOP, "orders/create", { n: 2 }, { delayMs: HOUR });
    const later = await sender.send(SHOP, "orders/create", { n: 3 }, { delayMs: 5 * HOUR });
    clock.advance(HOUR);
    await Promise.all([sender.flushDue(), sender.flushDue()]);
    expect(bodies().sort()).toEqual([1, 2]);
    expect(later.state).toBe("scheduled");
    clock.advance(4 * HOUR);
    await sender.flushDue();
    expect(bodies().sort()).toEqual([1, 2, 3]);
  });

  test("autoFlush() delivers what falls due without anyone calling flushDue()", async () => {
    const { sender, bodies, clock } = setup();
    await sender.send(SHOP, "orders/create", { n: 1 }, { delayMs: HOUR });
    const stop = sender.autoFlush(5);
    clock.advance(HOUR);
    await vi.waitFor(() => expect(bodies()).toEqual([1]));
    stop();
  });

  test("drop: true records the delivery but never sends it", async () => {
    const { sender, received } = setup();
    const record = await sender.send(SHOP, "orders/create", { n: 1 }, { drop: true });
    await sender.flushAll();
    expect(received).toHaveLength(0);
    expect(record).toMatchObject({ state: "dropped", dropped: true, attempts: 0 });
    expect(sender.log).toEqual([record]);
  });

  test("a sender-wide policy applies to every send; per-send options override it", async () => {
    const { sender, received } = setup({ policy: { duplicate: 1 } });
    await sender.send(SHOP, "orders/create", { n: 1 });
    await sender.send(SHOP, "orders/create", { n: 2 }, { duplicate: 0 });
    expect(received).toHaveLength(3);
  });

  test("randomPolicy misbehaves at the given rates, reproducibly", () => {
    const draw = (seed: number) => {
      const policy = randomPolicy({ seed, duplicateRate: 0.2, dropRate: 0.1, lateRate: 0.3, maxDelayMs: 10_000 });
      return Array.from({ length: 1000 }, () => policy("orders/create", SHOP));
    };
    const a = draw(3);
    expect(draw(3)).toEqual(a);
    const share = (f: (o: (typeof a)[number]) => boolean) => a.filter(f).length / a.length;
    expect(share((o) => o.drop === true)).toBeCloseTo(0.1, 1);
    expect(share((o) => o.duplicate === 1)).toBeCloseTo(0.2, 1);
    expect(share((o) => (o.delayMs ?? 0) > 0)).toBeCloseTo(0.3, 1);
  });
});

describe("retries", () => {
  test("a 500 is retried at once with backoff 'immediate': same body and webhook id", async () => {
    const { sender, received } = setup({ answer: (n) => (n <= 2 ? 500 : 200), retry: { backoff: "immediate" } });
    const record = await sender.send(SHOP, "orders/create", { n: 1 });
    expect(record).toMatchObject({ state: "delivered", status: 200, attempts: 3, retries: 2 });
    expect(new Set(received.map((r) => `${r.headers["x-shopify-webhook-id"]}|${r.body}`)).size).toBe(1);
    expect(record.history.map((h) => h.status)).toEqual([500, 500, 200]);
  });

  test("by default retries wait on the clock, doubling from a minute, 8 retries in all (about 4 hours)", async () => {
    const { sender, clock } = setup({ answer: () => 503 });
    const record = await sender.send(SHOP, "orders/create", { n: 1 });
    const start = clock.now().getTime();
    expect(record).toMatchObject({ state: "scheduled", attempts: 1, dueAt: new Date(start + 60_000) });

    const gaps: number[] = [];
    while (record.state === "scheduled") {
      const due = record.dueAt?.getTime() ?? 0;
      gaps.push((due - clock.now().getTime()) / 60_000);
      clock.set(new Date(due));
      await sender.flushDue();
    }
    expect(gaps).toEqual([1, 2, 4, 8, 16, 32, 64, 128]);
    expect(record).toMatchObject({ state: "failed", status: 503, attempts: 9, retries: 8 });
    expect((clock.now().getTime() - start) / HOUR).toBeCloseTo(4.25, 2);
  });

  test("retry: false gives up after the first failure; redirects and thrown errors count as failures", async () => {
    const { sender } = setup({ answer: () => 302, retry: false });
    expect(await sender.send(SHOP, "orders/create", { n: 1 })).toMatchObject({
      state: "failed",
      status: 302,
      attempts: 1,
    });

    const broken = new WebhookSender({
      secret: SECRET,
      apiVersion: "2026-10",
      clock: new ControlledClock(),
      retry: { maxRetries: 1, backoff: "immediate" },
      deliver: () => Promise.reject(new Error("connection refused")),
    });
    const record = await broken.send(SHOP, "orders/create", { n: 1 });
    expect(record).toMatchObject({ state: "failed", status: null, attempts: 2 });
    expect(record.history[0]?.error).toBe("connection refused");
  });

  test("no answer within the timeout is a failed attempt", async () => {
    const sender = new WebhookSender({
      secret: SECRET,
      apiVersion: "2026-10",
      clock: new ControlledClock(),
      retry: false,
      timeoutMs: 20,
      deliver: () =>
        new Promise<Response>((resolve) => setTimeout(() => resolve(new Response(null, { status: 200 })), 200)),
    });
    const record = await sender.send(SHOP, "orders/create", { n: 1 });
    expect(record).toMatchObject({ state: "failed", status: null });
    expect(record.history[0]?.error).toMatch(/no answer within 20 ms/);
  });
});

describe("subscriptions", () => {
  test("topics outside the subscription list are logged as unsubscribed and not sent", async () => {
    const { sender, received } = setup({ topics: ["orders/create"] });
    const skipped = await sender.send(SHOP, "orders/fulfilled", { n: 1 });
    await sender.send(SHOP, "orders/create", { n: 2 });
    expect(skipped.state).toBe("unsubscribed");
    expect(received).toHaveLength(1);
  });

  test("after an uninstall only compliance topics reach the shop; a reinstall restores the rest", async () => {
    const { sender, received } = setup();
    sender.markUninstalled(SHOP);
    expect((await sender.send(SHOP, "orders/create", { n: 1 })).state).toBe("unsubscribed");
    expect((await sender.send(SHOP, "customers/redact", { n: 2 })).state).toBe("delivered");
    expect((await sender.send("other.myshopify.com", "orders/create", { n: 3 })).state).toBe("delivered");
    sender.markInstalled(SHOP);
    expect((await sender.send(SHOP, "orders/create", { n: 4 })).state).toBe("delivered");
    expect(received).toHaveLength(3);
  });

  test("cancel() withdraws queued deliveries", async () => {
    const { sender, received, clock } = setup();
    const record = await sender.send(SHOP, "shop/redact", { n: 1 }, { delayMs: 48 * HOUR });
    expect(sender.cancel((r) => r.topic === "shop/redact")).toBe(1);
    clock.advance(49 * HOUR);
    await sender.flushDue();
    expect(received).toHaveLength(0);
    expect(record.state).toBe("cancelled");
  });
});
