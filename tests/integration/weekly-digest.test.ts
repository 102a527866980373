/**
 * The weekly root-cause digest through the real pipeline (decision 0118): the cron fan-out queues
 * one job per installed shop, the job builds the shop's last complete week's digest once, fires
 * the "Recovery digest ready" Flow trigger (received by the sandbox, which checks the payload
 * against the extension's TOML) and emails the merchant through the shop's own mail server, each
 * once however often the job runs. The sandbox clock decides what "last week" is.
 */
import { randomUUID } from "node:crypto";
import type { SMTPServer } from "smtp-server";
import { beforeEach, expect, test } from "vitest";
import { prisma } from "../../app/db.server";
import { fanOutWeeklyDigest } from "../../app/jobs/digest/weekly-digest-all-shops.server";
import {
  emailSettingsInputSchema,
  emailSettingsToStore,
  type EmailSettings,
} from "../../app/services/notifications/email.server";
import { weeklyDigest } from "../../app/services/digest.server";
import { clearCauseNames } from "../../app/services/cause-names.server";
import { DIGEST_READY_TRIGGER } from "../../app/shopify/flow/triggers";
import { jobs } from "../helpers/db";
import { enableFlowTriggers } from "../helpers/flow";
import { jobRunner } from "../helpers/job-runner";
import { gid } from "../../sandbox";
import { acceptDeliveries, installOfflineSession, resetSandbox, sandboxForTests } from "../helpers/sandbox";
import { startSmtpServer } from "../helpers/smtp";

const SHOP = "amends-weekly-digest.myshopify.com";
const OTHER = "amends-weekly-digest-other.myshopify.com";
const KIRITIMATI = "Pacific/Kiritimati";
// Monday 30 Nov 2026, 00:30 in Kiritimati (UTC+14): its week of 23-29 Nov has just ended.
const NOW = new Date("2026-11-29T10:30:00Z");
const sandbox = sandboxForTests({ deliver: acceptDeliveries });
let teapot: string;

beforeEach(async () => {
  await resetSandbox(sandbox, NOW);
  clearCauseNames();
  sandbox.store.addShop({ domain: SHOP, currency: "USD", plan: "Basic" });
  const product = sandbox.activity.createProduct(SHOP, { title: "Teapot", variants: [{ price: "30.00", sku: "TEA" }] });
  teapot = gid("Product", product.id);
  await prisma.shop.create({ data: { shop: SHOP, timezone: KIRITIMATI, currency: "USD" } });
  await installOfflineSession(SHOP, { scope: "read_orders,read_products" });
});

let order = 5000;
async function incident(detectedAt: string, rootCause: Record<string, string[]>, faceValueMinor?: number) {
  const id = randomUUID();
  order += 1;
  await prisma.incident.create({
    data: {
      id,
      shop: SHOP,
      orderGid: `gid://shopify/Order/${order}`,
      orderName: `#${order}`,
      customerGid: "gid://shopify/Customer/77",
      type: "DELIVERY_DELAY",
      severity: "moderate",
      measure: { kind: "DAYS_LATE", days: 3 },
      evidence: {},
      rootCause: { productIds: [], carriers: [], locations: [], ...rootCause },
      occurredAt: new Date(detectedAt),
      detectedAt: new Date(detectedAt),
    },
  });
  if (faceValueMinor !== undefined)
    await prisma.offer.create({
      data: {
        shop: SHOP,
        incidentId: id,
        customerGid: "gid://shopify/Customer/77",
        kind: "DISCOUNT_FIXED",
        status: "ISSUED",
        approval: "AUTO",
        faceValueMinor,
        currency: "USD",
        cell: {},
        gridVersion: 1,
        explanation: [],
        summary: "$10 off",
        issueKey: `digest-test:${id}`,
        issuedAt: new Date(detectedAt),
      },
    });
}

/** Kiritimati's week of 23-29 Nov runs from 22 Nov 10:00 UTC to 29 Nov 10:00 UTC. */
async function seedWeeks() {
  for (let n = 0; n < 4; n++)
    await incident("2026-11-24T03:00:00Z", { carriers: ["Speedy Post"], productIds: [teapot] }, 1_000);
  await incident("2026-11-22T10:00:00Z", { carriers: ["UPS"] }); // Monday 00:00 local: in the week
  await incident("2026-11-29T09:59:59Z", { carriers: ["UPS"] }, 500); // Sunday 23:59 local: in the week
  // The week before: Speedy Post twice.
  await incident("2026-11-17T12:00:00Z", { carriers: ["Speedy Post"] });
  await incident("2026-11-22T09:59:59Z", { carriers: ["Speedy Post"] }); // Sunday 23:59 local, 22 Nov
  // This week (30 Nov local): not in the digest.
  await incident("2026-11-29T10:00:00Z", { carriers: ["UPS"] }, 9_900);
}

const digestFlowCalls = () => sandbox.store.shop(SHOP).flowTriggers.filter((t) => t.handle === DIGEST_READY_TRIGGER);

test("the cron fans out one job per installed shop; the job stores the week's digest once and Flow receives it once", async () => {
  await seedWeeks();
  await enableFlowTriggers(SHOP, [DIGEST_READY_TRIGGER]);
  await prisma.shop.create({ data: { shop: OTHER, installState: "UNINSTALLED" } });
  const runner = jobRunner(sandbox, { only: ["weekly-digest"] });

  expect(await fanOutWeeklyDigest()).toBe(1);
  // A duplicated fan-out before the job ran queues no second job.
  await fanOutWeeklyDigest();
  expect((await jobs("weekly-digest")).map((j) => j.payload)).toEqual([{ v: 1, shop: SHOP }]);
  expect(await runner.runDue()).toEqual(["weekly-digest"]);

  const rows = await prisma.recoveryDigest.findMany({ where: { shop: SHOP } });
  expect(rows).toHaveLength(1);
  expect(rows[0]!.weekStart).toBe("2026-11-23");
  expect(rows[0]!.flowSentAt).not.toBeNull();
  expect(rows[0]!.emailSentAt).toBeNull();

  const calls = digestFlowCalls();
  expect(calls).toHaveLength(1);
  expect(calls[0]!.payload).toEqual({
    Week: "2026-11-23 to 2026-11-29",
    Incidents: 6,
    "Top cause": "product Teapot: 4 incidents, new this week",
    "Process fix":
      "Most incidents involved Teapot: 4 of 6. Check its stock, its promised ship dates and its packaging.",
    "Recovery cost": 45,
    Currency: "USD",
    "Dashboard URL":
      "https://admin.shopify.com/store/amends-weekly-digest/apps/test-api-key/app?from=2026-11-23&to=2026-11-29",
  });
  expect(JSON.stringify(rows[0]!.digest)).not.toContain("Customer");

  // A retried or duplicated job (and the next days' runs) send nothing again.
  await fanOutWeeklyDigest();
  await runner.runDue();
  expect(await weeklyDigest(SHOP)).toEqual({
    weekStart: "2026-11-23",
    built: false,
    flow: "ALREADY_SENT",
    email: "OFF",
  });
  expect(digestFlowCalls()).toHaveLength(1);
  expect(await prisma.recoveryDigest.count({ where: { shop: SHOP } })).toBe(1);
});

test("two jobs racing for one shop-week store one digest and send it once", async () => {
  await seedWeeks();
  await enableFlowTriggers(SHOP, [DIGEST_READY_TRIGGER]);
  const outcomes = await Promise.all([weeklyDigest(SHOP), weeklyDigest(SHOP)]);
  expect(outcomes.map((o) => o.flow).sort()).toEqual(["ALREADY_SENT", "SENT"]);
  expect(digestFlowCalls()).toHaveLength(1);
  expect(await prisma.recoveryDigest.count({ where: { shop: SHOP } })).toBe(1);
});

test("without a workflow on the trigger nothing goes to Flow; the digest is stored for when one is enabled", async () => {
  await seedWeeks();
  expect(await weeklyDigest(SHOP)).toMatchObject({ built: true, flow: "NOT_IN_USE", email: "OFF" });
  expect(digestFlowCalls()).toHaveLength(0);
  await enableFlowTriggers(SHOP, [DIGEST_READY_TRIGGER]);
  expect(await weeklyDigest(SHOP)).toMatchObject({ built: false, flow: "SENT" });
  expect(digestFlowCalls()).toHaveLength(1);
});

test("a week later the next week's digest is built, with the trend against the week before", async () => {
  await seedWeeks();
  await weeklyDigest(SHOP);
  sandbox.clock.set(new Date("2026-12-06T10:00:00Z")); // Monday 7 Dec 00:00 in Kiritimati
  expect(await weeklyDigest(SHOP)).toMatchObject({ weekStart: "2026-11-30", built: true });
  const row = await prisma.recoveryDigest.findUniqueOrThrow({
    where: { oneDigestPerShopWeek: { shop: SHOP, weekStart: "2026-11-30" } },
  });
  expect(row.digest).toMatchObject({
    incidentCount: 1,
    previousIncidentCount: 6,
    causes: { carrier: [{ key: "UPS", count: 1, previous: 2, trend: "DOWN" }] },
    fix: { kind: "TOO_FEW" },
  });
});

type SmtpOptions = NonNullable<ConstructorParameters<typeof SMTPServer>[0]>;

function storedEmail(port: number): EmailSettings {
  const input = emailSettingsInputSchema.parse({
    enabled: true,
    host: "127.0.0.1",
    port,
    user: "care@shop.example",
    password: "digest-smtp-password",
    from: "care@shop.example",
  });
  const result = emailSettingsToStore(SHOP, input, null);
  if (!result.ok) throw new Error(result.message);
  return result.settings;
}

test("with the shop's mail server and a digest address set, the merchant gets the digest by email once", async () => {
  await seedWeeks();
  const received: Array<{ to: string[]; data: string }> = [];
  const onData: SmtpOptions["onData"] = (stream, session, callback) => {
    let data = "";
    stream.on("data", (chunk: Buffer) => (data += chunk.toString("utf8")));
    stream.on("end", () => {
      received.push({ to: session.envelope.rcptTo.map((r) => r.address), data });
      callback();
    });
  };
  const onAuth: SmtpOptions["onAuth"] = (auth, _session, callback) =>
    auth.password === "digest-smtp-password" ? callback(null, { user: auth.username }) : callback(new Error("no"));
  const smtp = await startSmtpServer({ authOptional: false, onAuth, onData });
  try {
    // Mail server set up but no digest address: no digest email (the default).
    await prisma.shop.update({
      where: { shop: SHOP },
      data: { settings: { offers: { email: storedEmail(smtp.port) } } },
    });
    expect(await weeklyDigest(SHOP)).toMatchObject({ email: "OFF" });
    await prisma.shop.update({
      where: { shop: SHOP },
      data: { settings: { offers: { email: storedEmail(smtp.port), digestEmailTo: "owner@shop.example" } } },
    });
    expect(await weeklyDigest(SHOP)).toMatchObject({ email: "SENT" });
    expect(await weeklyDigest(SHOP)).toMatchObject({ email: "ALREADY_SENT" });
  } finally {
    await smtp.close();
  }
  expect(received).toHaveLength(1);
  expect(received[0]!.to).toEqual(["owner@shop.example"]);
  const body = received[0]!.data.replace(/=\r?\n/g, "");
  expect(body).toContain("Subject: Amends weekly digest: 2026-11-23 to 2026-11-29");
  expect(body).toContain("Most incidents involved Teapot: 4 of 6.");
  expect(body).toContain("Speedy Post: 4 incidents, up from 2");
  expect(body).toContain("Recovery cost: $45 issued");
  expect(body).not.toContain("Customer/77");
});

test("more than 25 products and a location behind the week: every title is read; the location by its recorded name", async () => {
  const products = Array.from({ length: 30 }, (_, n) =>
    gid("Product", sandbox.activity.createProduct(SHOP, { title: `Mug ${n + 1}`, variants: [{ price: "9.00" }] }).id),
  );
  const depot = "Harbour warehouse";
  // In detection order the 30th mug comes last: beyond a first read of 25 ids.
  for (const [n, product] of products.entries())
    await incident(`2026-11-24T03:00:${String(n).padStart(2, "0")}Z`, { productIds: [product] });
  for (let n = 0; n < 4; n++)
    await incident("2026-11-25T03:00:00Z", { productIds: [products[29]!], locations: [depot] });

  await weeklyDigest(SHOP);

  const { digest } = await prisma.recoveryDigest.findFirstOrThrow({ where: { shop: SHOP } });
  const causes = (digest as { causes: Record<string, Array<{ label: string; count: number }>> }).causes;
  expect(causes.product?.[0]).toMatchObject({ label: "Mug 30", count: 5 });
  expect(causes.location?.[0]).toMatchObject({ label: "Harbour warehouse", count: 4 });
});
