/**
 * No personal data in logs or stored error messages (decision 0019). The error is a real one: a
 * local SMTP server (smtp-server) refuses the recipient and nodemailer reports it the way it does
 * in production, quoting the address, with the address again in its `rejected` field. It goes
 * through a real graphile-worker run of a task wrapped by defineTask (its log lines, graphile's
 * "Failed task" line and the job's stored last_error), through a failed issue attempt
 * (Offer.lastError, the trail and the timeline), and through a failed webhook delivery.
 */
import type { AddressInfo } from "node:net";
import { runOnce } from "graphile-worker";
import nodemailer from "nodemailer";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, beforeEach, expect, test } from "vitest";
import { prisma } from "../../app/db.server";
import { createPool } from "../../app/db/pool.server";
import { defineTask } from "../../app/jobs/define-task.server";
import { captureLogs, logger } from "../../app/logger.server";
import { recordFailedAttempt } from "../../app/models/webhook-delivery.server";
import { shopContext } from "../../app/models/shop-settings.server";
import { enqueue } from "../../app/queue/enqueue.server";
import { workerLogger } from "../../app/queue/schema.server";
import { redactPersonalData } from "../../app/recovery";
import { decideIncident } from "../../app/services/decision.server";
import { claimOffer, settleClaim } from "../../app/services/issuing.server";
import { gid } from "../../sandbox";
import { jobs } from "../helpers/db";
import { resetSandbox, sandboxForTests } from "../helpers/sandbox";
import { createIncident, createShopRow, OFFERS_NOW } from "./offers-fixtures";

const SHOP = "amends-log-redaction.myshopify.com";
const RECIPIENT = "ada.lovelace+orders@analytical-engines.example";
const NAME = "Augusta Ada Lovelace";
const sandbox = sandboxForTests();

let smtp: SMTPServer;
let port: number;

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onRcptTo(address, _session, callback) {
      const error = new Error(
        `<${address.address}>: Recipient address rejected: User unknown in virtual mailbox table`,
      );
      (error as Error & { responseCode: number }).responseCode = 550;
      callback(error);
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  port = (smtp.server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

beforeEach(async () => {
  await resetSandbox(sandbox, OFFERS_NOW);
  sandbox.store.addShop({ domain: SHOP, currency: "USD", plan: "Basic" });
  await createShopRow(SHOP, { decision: { holdoutShare: 0, cooldownDays: 0, yearlyCapPerCustomerMinor: null } });
});

/** What nodemailer throws when the mail server refuses the customer's address. */
async function smtpRejection(): Promise<Error> {
  const transport = nodemailer.createTransport({ host: "127.0.0.1", port, secure: false, ignoreTLS: true });
  try {
    await transport.sendMail({
      from: "care@shop.example",
      to: `"${NAME}" <${RECIPIENT}>`,
      subject: "We are sorry",
      text: "A make-good is on its way.",
    });
  } catch (error) {
    return error as Error;
  } finally {
    transport.close();
  }
  throw new Error("the mail server took the message");
}

const leaks = (text: string) =>
  [RECIPIENT, "ada.lovelace", "analytical-engines", "Lovelace"].filter((s) => text.includes(s));

test("the rejection quotes the recipient: the test's premise", async () => {
  const error = await smtpRejection();
  expect(error.message).toContain(RECIPIENT);
  expect((error as Error & { rejected?: string[] }).rejected).toEqual([RECIPIENT]);
  expect(redactPersonalData(error.message)).toContain("[email]");
});

test("a job failing with the SMTP rejection: neither its log lines, graphile-worker's, nor the stored last_error carry the address", async () => {
  const rejection = await smtpRejection();
  const taskList = {
    "notify-offer": defineTask("notify-offer", {
      async run() {
        throw rejection;
      },
    }),
  };
  const offerId = "6b0b6e58-3d3c-4c55-9a51-3a2f1f2b9c11";
  await enqueue(prisma, "notify-offer", { v: 1, shop: SHOP, offerId });
  const pool = createPool(process.env.DATABASE_URL ?? "", 2, "log-redaction");
  try {
    const { lines } = await captureLogs(() => runOnce({ pgPool: pool, taskList, logger: workerLogger }));
    const text = lines.join("");
    expect(text).toContain("job failed; will retry with backoff");
    expect(text).toContain("Failed task");
    expect(text).toContain("Recipient address rejected");
    expect(text).toContain("[email]");
    expect(leaks(text)).toEqual([]);
  } finally {
    await pool.end();
  }
  const [job] = await jobs();
  expect(job?.last_error).toContain("Recipient address rejected");
  expect(leaks(job?.last_error ?? "")).toEqual([]);
});

test("whatever the app logs, names and addresses are taken out: in messages, error objects, nested fields and stacks", async () => {
  const rejection = await smtpRejection();
  const { lines } = await captureLogs(async () => {
    logger.error({ err: rejection, customer: { firstName: "Augusta", lastName: "Lovelace", email: RECIPIENT } }, "x");
    logger.warn(`mail to "${NAME}" <${RECIPIENT}> refused`);
    logger.child({ job: "notify-offer" }).info({ detail: `first_name: "Augusta", last_name: "Lovelace"` }, "y");
  });
  const text = lines.join("");
  expect(lines).toHaveLength(3);
  expect(leaks(text)).toEqual([]);
  expect(text).not.toContain("Augusta");
  expect(text).toContain("Recipient address rejected");
});

test("an issue attempt failing with the rejection stores it without the address: lastError, the trail and the timeline", async () => {
  const customerGid = gid(
    "Customer",
    sandbox.activity.createCustomer(SHOP, { firstName: "Ada", lastName: "Lovelace", email: RECIPIENT }).id,
  );
  const decided = await decideIncident(SHOP, await createIncident(SHOP, { customerGid }));
  if (decided.outcome !== "DECIDED" || !decided.offerId) throw new Error("no offer");
  const ctx = await shopContext(SHOP);
  const claimed = await claimOffer(SHOP, decided.offerId, ctx);
  if (!("offer" in claimed)) throw new Error("not claimed");
  await settleClaim(claimed.offer, ctx, "FAILED", (await smtpRejection()).message);

  const offer = await prisma.offer.findUniqueOrThrow({ where: { id: decided.offerId } });
  expect(offer.lastError).toContain("Recipient address rejected");
  const stored = JSON.stringify([
    offer.lastError,
    await prisma.offerTransition.findMany({ where: { offerId: offer.id } }),
    await prisma.incidentEvent.findMany({ where: { incidentId: offer.incidentId } }),
  ]);
  expect(leaks(stored)).toEqual([]);
});

test("a webhook delivery failing with an address in its error keeps the error without it", async () => {
  const delivery = await prisma.webhookDelivery.create({
    data: { shop: SHOP, webhookId: "wh-redaction-1", topic: "orders/create", rawBody: "{}" },
  });
  await recordFailedAttempt(delivery.id, (await smtpRejection()).message, false);
  const stored = await prisma.webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } });
  expect(stored.lastError).toContain("Recipient address rejected");
  expect(leaks(stored.lastError ?? "")).toEqual([]);
});
