/**
 * Satisfaction after recovery (issue 16 part 5, decision 0117) through the real pipeline: the
 * follow-up carries the signed rating link (Flow and SMTP), the public page and the app proxy
 * record through one service, once; a low rating waits in Approvals and goes to Flow; the
 * dashboard's CSAT figures.
 */
import { randomBytes } from "node:crypto";
import type { SMTPServer } from "smtp-server";
import { beforeEach, expect, test } from "vitest";
import { prisma } from "../../app/db.server";
import { action as proxyAction, loader as proxyLoader } from "../../app/routes/proxy.rate.$token";
import { action as rateAction, loader as rateLoader } from "../../app/routes/rate.$token";
import { decideIncident } from "../../app/services/decision.server";
import { issueOffer } from "../../app/services/issuing.server";
import { followUp } from "../../app/services/issuing/lifecycle.server";
import {
  emailSettingsInputSchema,
  emailSettingsToStore,
  type EmailSettings,
} from "../../app/services/notifications/email.server";
import { lowRatingRows, resolveLowRating } from "../../app/services/ratings/ratings.server";
import { ratingKey } from "../../app/services/ratings/links.server";
import { RATING_LINK_MS, signRatingToken } from "../../app/recovery/ratings/token";
import { FOLLOW_UP_TRIGGER, OFFER_ISSUED_TRIGGER, RATED_LOW_TRIGGER } from "../../app/shopify/flow/triggers";
import { action as approvalsAction, loader as approvalsLoader } from "../../app/routes/app.approvals";
import { exportCustomerData, redactCustomer } from "../../app/services/compliance.server";
import { dashboard } from "../../app/services/dashboard.server";
import { gid } from "../../sandbox";
import { proxiedRequest } from "../../sandbox/app-proxy";
import type { Customer } from "../../sandbox/store";
import { actionAnswer, adminRequest, call } from "../helpers/admin-request";
import { jobs } from "../helpers/db";
import { enableFlowTriggers, sendLifecycle } from "../helpers/flow";
import { jobRunner } from "../helpers/job-runner";
import { acceptDeliveries, resetSandbox, sandboxForTests, TEST_SECRET } from "../helpers/sandbox";
import { startSmtpServer } from "../helpers/smtp";
import { createIncident, createShopRow, OFFERS_NOW } from "./offers-fixtures";

const SHOP = "amends-ratings.myshopify.com";
const OTHER_SHOP = "amends-ratings-other.myshopify.com";
const SETTINGS = { decision: { holdoutShare: 0, cooldownDays: 0, yearlyCapPerCustomerMinor: null } };
const sandbox = sandboxForTests({ deliver: acceptDeliveries });
let ada: Customer;

beforeEach(async () => {
  await resetSandbox(sandbox, OFFERS_NOW);
  sandbox.store.addShop({ domain: SHOP, currency: "USD", plan: "Basic" });
  sandbox.store.addShop({ domain: OTHER_SHOP, currency: "USD", plan: "Basic" });
  ada = sandbox.activity.createCustomer(SHOP, { firstName: "Ada", lastName: "Lovelace", email: "ada@example.com" });
  await createShopRow(SHOP, SETTINGS);
  await createShopRow(OTHER_SHOP, SETTINGS);
  await enableFlowTriggers(SHOP, [OFFER_ISSUED_TRIGGER, FOLLOW_UP_TRIGGER, RATED_LOW_TRIGGER]);
});

async function issuedOffer(incident: { manual?: boolean; occurredAt?: Date } = {}) {
  const incidentId = await createIncident(SHOP, { customerGid: gid("Customer", ada.id), manual: incident.manual });
  if (incident.occurredAt)
    await prisma.incident.update({ where: { id: incidentId }, data: { occurredAt: incident.occurredAt } });
  const result = await decideIncident(SHOP, incidentId);
  if (result.outcome !== "DECIDED" || !result.offerId) throw new Error("no offer");
  await issueOffer(SHOP, result.offerId);
  return prisma.offer.findUniqueOrThrow({ where: { id: result.offerId } });
}

const flowCalls = (handle: string) =>
  sandbox.admin.calls.filter((c) => c.rootFields.includes("flowTriggerReceive") && c.variables?.handle === handle);

/** The follow-up goes out; the "Rating link" it carried to Flow. */
async function followUpLink(
  incident: Parameters<typeof issuedOffer>[0] = {},
): Promise<{ link: URL; incidentId: string }> {
  const offer = await issuedOffer(incident);
  expect(await followUp(SHOP, offer.id)).toBe("SENT");
  const calls = flowCalls(FOLLOW_UP_TRIGGER);
  const payload = calls.at(-1)!.variables!.payload as Record<string, unknown>;
  return { link: new URL(String(payload["Rating link"])), incidentId: offer.incidentId };
}

const tokenOf = (link: URL) => decodeURIComponent(link.pathname.split("/").pop()!);

interface Page {
  status: number;
  html: string;
}

async function read(response: unknown): Promise<Page> {
  if (!(response instanceof Response)) throw new Error("expected a Response");
  return { status: response.status, html: await response.text() };
}

/** GET the app's own page, as the customer's browser (or a mail scanner) would. */
async function open(link: URL): Promise<Page> {
  return read(await rateLoader({ request: new Request(link), params: { token: tokenOf(link) }, context: {} }));
}

/** POST the page's form. */
async function send(link: URL, score: string | null): Promise<Page> {
  const request = new Request(new URL(link.pathname, link), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(score === null ? {} : { score }).toString(),
  });
  return read(await rateAction({ request, params: { token: tokenOf(link) }, context: {} }));
}

/** Call the app proxy route as Shopify forwards a storefront request; thrown Responses come back. */
async function viaProxy(request: Request, token: string): Promise<Page> {
  const run = request.method === "POST" ? proxyAction : proxyLoader;
  try {
    return await read(await run({ request, params: { token }, context: {} }));
  } catch (thrown) {
    if (thrown instanceof Response) return read(thrown);
    throw thrown;
  }
}

test("the follow-up's rating link: a GET (or a mail scanner) records nothing, the POST records once, a second use is refused", async () => {
  const { link, incidentId } = await followUpLink();
  expect(link.pathname).toMatch(/^\/rate\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  // The link names no id in the clear: the incident id is inside the signed payload only.
  expect(link.pathname).not.toContain(incidentId);

  const four = new URL(link);
  four.searchParams.set("score", "4");
  const page = await open(four);
  expect(page.status).toBe(200);
  expect(page.html).toContain("How did we do?");
  expect(page.html).toMatch(/id="score-4" value="4" checked/);
  expect(page.html).not.toMatch(/id="score-[1235]" value="\d" checked/);
  // Every score's link opened (a scanner): still no rating.
  for (const score of ["1", "2", "3", "5"]) await open(new URL(`${link}?score=${score}`));
  expect(await prisma.rating.count()).toBe(0);

  const recorded = await send(link, "4");
  expect(recorded.status).toBe(200);
  expect(recorded.html).toContain("We recorded your rating: 4 of 5 (Happy).");
  const ratings = await prisma.rating.findMany();
  expect(ratings).toEqual([
    expect.objectContaining({ shop: SHOP, incidentId, score: 4, channel: "WEB", resolvedAt: null }),
  ]);

  const again = await send(link, "1");
  expect(again.status).toBe(409);
  expect(again.html).toContain("This link has already been used: we have your rating of 4 of 5 (Happy).");
  expect((await open(link)).html).toContain("Already rated");
  expect(await prisma.rating.findMany({ select: { score: true } })).toEqual([{ score: 4 }]);
  // Recorded in the timeline; a good rating raises nothing for staff.
  expect(await prisma.incidentEvent.count({ where: { shop: SHOP, incidentId, kind: "RATED" } })).toBe(1);
  expect(await jobs("rating-low")).toHaveLength(0);
  expect(await lowRatingRows(SHOP)).toEqual([]);
});

test("a POST without a score, or with one outside 1-5, is refused with the form again and records nothing", async () => {
  const { link } = await followUpLink();
  for (const score of [null, "0", "6", "4.5", "five"]) {
    const page = await send(link, score);
    expect(page.status).toBe(400);
    expect(page.html).toContain('role="alert"');
    expect(page.html).toContain("Choose a score from 1 to 5");
  }
  expect(await prisma.rating.count()).toBe(0);
});

test("an expired link is refused with a clear message and records nothing; a second before it still works", async () => {
  const { link } = await followUpLink();
  sandbox.clock.freeze(new Date(OFFERS_NOW.getTime() + RATING_LINK_MS + 1_000));
  const page = await open(link);
  expect(page.status).toBe(410);
  expect(page.html).toContain("This link has expired");
  expect((await send(link, "5")).status).toBe(410);
  expect(await prisma.rating.count()).toBe(0);

  sandbox.clock.freeze(new Date(OFFERS_NOW.getTime() + RATING_LINK_MS - 1_000));
  expect((await send(link, "5")).status).toBe(200);
  expect(await prisma.rating.count()).toBe(1);
});

test("a tampered, forged or unknown link is not valid and records nothing", async () => {
  const { link, incidentId } = await followUpLink();
  const token = tokenOf(link);
  const [payload, signature] = token.split(".") as [string, string];
  const other = await createIncident(SHOP, { customerGid: gid("Customer", ada.id) });
  const expiresAt = new Date(OFFERS_NOW.getTime() + RATING_LINK_MS);
  const forged = [
    // Another incident's payload under this link's signature.
    `${signRatingToken(ratingKey(), { shop: SHOP, incidentId: other, expiresAt }).split(".")[0]}.${signature}`,
    // The right claims signed with another key.
    signRatingToken(randomBytes(32), { shop: SHOP, incidentId, expiresAt }),
    `${payload}.${signature.slice(0, -2)}`,
    "not-a-token",
  ];
  for (const bad of forged) {
    const url = new URL(`/rate/${bad}`, link);
    const page = await open(url);
    expect(page.status).toBe(404);
    expect(page.html).toContain("This link is not valid");
    expect((await send(url, "1")).status).toBe(404);
  }
  // A genuine token for an incident that is not there (erased since) names nothing either.
  const gone = new URL(
    `/rate/${signRatingToken(ratingKey(), { shop: SHOP, incidentId: "0e0e0e0e-0e0e-4e0e-8e0e-0e0e0e0e0e0e", expiresAt })}`,
    link,
  );
  expect((await send(gone, "3")).status).toBe(404);
  expect(await prisma.rating.count()).toBe(0);
});

test("the app proxy: Shopify's signature is checked, a bad one is refused, a good one records through the same service", async () => {
  const { link, incidentId } = await followUpLink();
  const token = tokenOf(link);
  const storefrontPath = `/apps/amends/rate/${token}?score=2`;
  const forwarded = (options: Partial<Parameters<typeof proxiedRequest>[0]> = {}) =>
    proxiedRequest({
      shop: SHOP,
      storefrontPath,
      proxyUrl: "https://amends.test/proxy",
      secret: TEST_SECRET,
      ...options,
    });

  // A wrong secret, a tampered score, an old timestamp, no signature at all: 400, nothing recorded.
  const tampered = new URL(forwarded().url);
  tampered.searchParams.set("score", "5");
  const unsigned = new URL(forwarded().url);
  unsigned.searchParams.delete("signature");
  const bad = [
    forwarded({ secret: "not-the-app-secret" }),
    new Request(tampered),
    forwarded({ timestamp: Math.floor(Date.now() / 1000) - 3_600 }),
    new Request(unsigned),
    forwarded({ method: "POST", form: { score: "1" }, signature: "0".repeat(64) }),
  ];
  for (const request of bad) expect((await viaProxy(request, token)).status).toBe(400);
  expect(await prisma.rating.count()).toBe(0);

  const page = await viaProxy(forwarded(), token);
  expect(page.status).toBe(200);
  expect(page.html).toMatch(/id="score-2" value="2" checked/);
  // The form posts back through the storefront, under the proxy's path.
  expect(page.html).toContain(`action="/apps/amends/rate/${token}"`);

  // A genuine link of this shop opened on another shop's storefront is not valid there.
  const elsewhere = proxiedRequest({
    shop: OTHER_SHOP,
    storefrontPath,
    proxyUrl: "https://amends.test/proxy",
    secret: TEST_SECRET,
    method: "POST",
    form: { score: "2" },
  });
  expect((await viaProxy(elsewhere, token)).status).toBe(404);

  const posted = await viaProxy(forwarded({ method: "POST", form: { score: "2" } }), token);
  expect(posted.status).toBe(200);
  expect(posted.html).toContain("We recorded your rating: 2 of 5 (Unhappy).");
  expect(await prisma.rating.findMany()).toEqual([
    expect.objectContaining({ incidentId, score: 2, channel: "APP_PROXY" }),
  ]);
  // The same link on the app's own page is now used.
  expect((await send(link, "5")).status).toBe(409);
});

test("a low rating waits in Approvals, goes to Flow once as Recovery rated low, and staff mark it followed up", async () => {
  const { link, incidentId } = await followUpLink();
  const recorded = await send(link, "2");
  expect(recorded.html).toContain("Someone from the store will get in touch");
  expect(await jobs("rating-low")).toHaveLength(1);

  await jobRunner(sandbox, { only: ["rating-low"] }).runDue();
  const calls = flowCalls(RATED_LOW_TRIGGER);
  expect(calls).toHaveLength(1);
  const incident = await prisma.incident.findUniqueOrThrow({ where: { id: incidentId } });
  expect(calls[0]!.variables!.payload).toEqual({
    order_id: Number(incident.orderGid.split("/").pop()),
    customer_id: Number(ada.id),
    "Incident ID": incidentId,
    "Incident type": "LATE_FULFILLMENT",
    Severity: incident.severity,
    Score: 2,
    "Offer kind": expect.any(String),
    "Rated at": OFFERS_NOW.toISOString(),
  });
  // The sandbox took it as Shopify would (declared fields, declared types).
  expect(sandbox.store.shops.get(SHOP)!.flowTriggers.map((t) => t.handle)).toContain(RATED_LOW_TRIGGER);

  const [row] = await lowRatingRows(SHOP);
  expect(row).toMatchObject({ incidentId, score: 2, orderName: incident.orderName, typeLabel: "Late to ship" });
  expect(row!.customer?.label).toBe(`Customer #${ada.id}`);
  expect(await lowRatingRows(OTHER_SHOP)).toEqual([]);

  expect(await resolveLowRating(OTHER_SHOP, row!.ratingId, { userId: "2001" })).toBe("NOT_FOUND");
  expect(await resolveLowRating(SHOP, row!.ratingId, { userId: "1002", name: "Sam" })).toBe("DONE");
  expect(await resolveLowRating(SHOP, row!.ratingId, { userId: "1003" })).toBe("ALREADY_DONE");
  expect(await lowRatingRows(SHOP)).toEqual([]);
  const followed = await prisma.incidentEvent.findMany({ where: { incidentId, kind: "LOW_RATING_FOLLOWED_UP" } });
  expect(followed).toEqual([
    expect.objectContaining({ actor: "1002", data: { ratingId: row!.ratingId, score: 2, by: "Sam" } }),
  ]);
});

const SMTP_USER = "care@shop.example";
const SMTP_PASSWORD = "smtp-password-for-ratings";
type SmtpOptions = NonNullable<ConstructorParameters<typeof SMTPServer>[0]>;

function storedEmail(port: number): EmailSettings {
  const input = emailSettingsInputSchema.parse({
    enabled: true,
    host: "127.0.0.1",
    port,
    user: SMTP_USER,
    password: SMTP_PASSWORD,
    from: "care@shop.example",
  });
  const result = emailSettingsToStore(SHOP, input, null);
  if (!result.ok) throw new Error(result.message);
  return result.settings;
}

/** A mail's text part as the customer reads it (quoted-printable undone). */
const readable = (data: string) =>
  data.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));

test("the SMTP follow-up carries five one-click links, each opening the page with its score chosen", async () => {
  const received: string[] = [];
  const onData: SmtpOptions["onData"] = (stream, _session, callback) => {
    let data = "";
    stream.on("data", (chunk: Buffer) => (data += chunk.toString("utf8")));
    stream.on("end", () => {
      received.push(data);
      callback();
    });
  };
  const onAuth: SmtpOptions["onAuth"] = (auth, _session, callback) =>
    auth.username === SMTP_USER && auth.password === SMTP_PASSWORD
      ? callback(null, { user: auth.username })
      : callback(new Error("invalid credentials"));
  const smtp = await startSmtpServer({ authOptional: false, onAuth, onData });
  try {
    await prisma.shop.update({
      where: { shop: SHOP },
      data: { settings: { ...SETTINGS, offers: { email: storedEmail(smtp.port) } } },
    });
    // Mail only: no Flow workflow uses the follow-up trigger.
    await sendLifecycle({ shop: SHOP, trigger: FOLLOW_UP_TRIGGER, enabled: false });
    const offer = await issuedOffer();
    expect(await followUp(SHOP, offer.id)).toBe("SENT");
    expect(await followUp(SHOP, offer.id)).toBe("ALREADY_SENT");
    expect(flowCalls(FOLLOW_UP_TRIGGER)).toHaveLength(0);
    expect(received).toHaveLength(1);
    const mail = readable(received[0]!);
    expect(mail).toContain("Hi Ada,");
    const links = [...mail.matchAll(/(\d) - [A-Za-z ]+: (\S+)/g)].map((m) => ({ score: m[1]!, url: new URL(m[2]!) }));
    expect(links.map((l) => l.score)).toEqual(["1", "2", "3", "4", "5"]);
    for (const { score, url } of links) {
      expect(url.searchParams.get("score")).toBe(score);
      expect((await open(url)).html).toMatch(new RegExp(`id="score-${score}" value="${score}" checked`));
    }
    expect(await prisma.rating.count()).toBe(0);
    expect(await prisma.incidentEvent.count({ where: { shop: SHOP, kind: "FOLLOW_UP_EMAILED" } })).toBe(1);
    expect((await send(links[4]!.url, "5")).status).toBe(200);
    expect(await prisma.rating.findMany({ select: { incidentId: true, score: true } })).toEqual([
      { incidentId: offer.incidentId, score: 5 },
    ]);
  } finally {
    await smtp.close();
  }
});

test("Approvals lists the low rating and a staff member marks it followed up through the page's action", async () => {
  const { link, incidentId } = await followUpLink();
  await send(link, "1");
  const load = async () => {
    const result = await call(() =>
      approvalsLoader({
        request: adminRequest("/app/approvals", { shop: SHOP, userId: "1002" }),
        params: {},
        context: {},
      }),
    );
    if (result instanceof Response) throw new Error(`loader answered ${result.status}`);
    return result;
  };
  const act = async (form: Record<string, string>, shop = SHOP) =>
    actionAnswer(
      await call(() =>
        approvalsAction({
          request: adminRequest("/app/approvals", { shop, userId: "1002", form }),
          params: {},
          context: {},
        }),
      ),
    );
  const page = await load();
  expect(page.lowRatings).toEqual([expect.objectContaining({ incidentId, score: 1 })]);
  const ratingId = page.lowRatings[0]!.ratingId;
  expect((await act({ intent: "lowRatingDone", ratingId }, OTHER_SHOP)).status).toBe(404);
  expect((await act({ intent: "lowRatingDone", ratingId: "nope" })).status).toBe(400);
  expect((await act({ intent: "lowRatingDone", ratingId })).body).toEqual({
    ok: true,
    intent: "lowRatingDone",
    message: "Low rating marked followed up",
  });
  expect((await act({ intent: "lowRatingDone", ratingId })).body).toMatchObject({
    message: "Someone already followed it up",
  });
  expect((await load()).lowRatings).toEqual([]);
  expect(await prisma.rating.findUniqueOrThrow({ where: { id: ratingId } })).toMatchObject({ resolvedBy: "1002" });
});

test("the dashboard's CSAT figures, by incident type, make-good kind and time to offer, match the hand count", async () => {
  const HOUR = 3_600_000;
  const sameDay = new Date(OFFERS_NOW.getTime() - HOUR);
  const nextDay = new Date(OFFERS_NOW.getTime() - 24 * HOUR);
  // Late to ship: 5, 4, 5 the same day, 2 the next day, 3 later (6 days, the fixture's default); a manual one 4 the same day.
  const rated: Array<[Parameters<typeof issuedOffer>[0], string]> = [
    [{ occurredAt: sameDay }, "5"],
    [{ occurredAt: sameDay }, "4"],
    [{ occurredAt: nextDay }, "2"],
    [{ occurredAt: sameDay }, "5"],
    [{}, "3"],
    [{ manual: true, occurredAt: sameDay }, "4"],
  ];
  for (const [incident, score] of rated) {
    const { link } = await followUpLink(incident);
    expect((await send(link, score)).status).toBe(200);
  }
  // A held-out customer's rating (no make-good): counted apart, never in the figures above.
  const heldOut = await createIncident(SHOP, { customerGid: gid("Customer", ada.id) });
  await prisma.incident.update({ where: { id: heldOut }, data: { holdout: true, decision: "HOLDOUT" } });
  await prisma.rating.create({
    data: { shop: SHOP, incidentId: heldOut, score: 1, channel: "WEB", ratedAt: OFFERS_NOW },
  });
  // Another shop's ratings never count here.
  const elsewhere = await createIncident(OTHER_SHOP, {});
  await prisma.rating.create({
    data: { shop: OTHER_SHOP, incidentId: elsewhere, score: 1, channel: "WEB", ratedAt: OFFERS_NOW },
  });

  const kinds = new Set((await prisma.offer.findMany({ where: { shop: SHOP } })).map((o) => o.kind));
  expect(kinds.size).toBe(1);
  const [kind] = [...kinds];

  const { csat } = await dashboard(SHOP, { from: "2026-10-01", to: "2026-11-02" });
  const group = (key: string, label: string, responses: number, average: number, satisfiedShare: number) => ({
    key,
    label,
    responses,
    average: expect.closeTo(average, 10),
    satisfiedShare: expect.closeTo(satisfiedShare, 10),
    small: responses < 5,
  });
  expect(csat.overall).toEqual(group("ALL", "All recoveries", 6, 23 / 6, 4 / 6));
  expect(csat.byIncidentType).toEqual([
    group("LATE_FULFILLMENT", "Late to ship", 5, 19 / 5, 3 / 5),
    group("MANUAL", expect.any(String) as unknown as string, 1, 4, 1),
  ]);
  expect(csat.byOfferKind).toEqual([group(kind!, expect.any(String) as unknown as string, 6, 23 / 6, 4 / 6)]);
  expect(csat.byTimeToOffer).toEqual([
    group("SAME_DAY", "Same day", 4, 18 / 4, 1),
    group("NEXT_DAY", "Next day", 1, 2, 0),
    group("LATER", "Later", 1, 3, 0),
  ]);
  expect(csat.heldOut).toEqual(group("HELD_OUT", "Held out (no make-good)", 1, 1, 0));

  // A range without those incidents has no ratings.
  const before = await dashboard(SHOP, { from: "2026-09-01", to: "2026-09-30" });
  expect(before.csat.overall.responses).toBe(0);
  expect(before.csat.heldOut).toBeNull();
});

test("a data request exports the customer's ratings; customers/redact deletes them", async () => {
  const { link, incidentId } = await followUpLink();
  await send(link, "2");
  const ref = { shop: SHOP, customerGid: gid("Customer", ada.id), orderGids: [] };
  const exported = await prisma.$transaction((tx) => exportCustomerData(tx, ref));
  expect(exported.summary.ratings).toBe(1);
  expect(JSON.stringify(exported.document)).toContain(incidentId);
  const result = await prisma.$transaction((tx) => redactCustomer(tx, ref));
  expect(result).toMatchObject({ ratingsErased: 1 });
  expect(await prisma.rating.count()).toBe(0);
  // The waiting low rating leaves Approvals with it.
  expect(await lowRatingRows(SHOP)).toEqual([]);
});
