/**
 * The settings page's mail server through the real action: a host Amends will not connect to is
 * refused at save and at "Send test", the page never shows the server's own words, and the stored
 * password is asked for again when what it was given for changes.
 */
import { beforeEach, expect, test } from "vitest";
import { prisma } from "../../app/db.server";
import { action, loader } from "../../app/routes/app.settings/route";
import { EMAIL_FAILURE_MESSAGES, PASSWORD_AGAIN_MESSAGE } from "../../app/services/notifications/email.server";
import { actionAnswer, adminRequest, call } from "../helpers/admin-request";
import { clearStoreAndDatabase, sandboxForTests } from "../helpers/sandbox";
import { startSmtpServer } from "../helpers/smtp";
import { TEST_SHOP } from "../helpers/webhooks";

const OWNER = "1001";
const sandbox = sandboxForTests();

beforeEach(async () => {
  await clearStoreAndDatabase(sandbox);
  sandbox.store.addShop({ domain: TEST_SHOP, currency: "USD", ianaTimezone: "America/New_York" });
});

async function load() {
  const result = await call(() =>
    loader({ request: adminRequest("/app/settings", { userId: OWNER }), params: {}, context: {} }),
  );
  if (result instanceof Response) throw new Error(`loader answered ${result.status}`);
  return result;
}

async function post(form: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
  const result = await call(() =>
    action({ request: adminRequest("/app/settings", { userId: OWNER, form }), params: {}, context: {} }),
  );
  return actionAnswer(result);
}

async function saveEmail(email: Record<string, unknown>) {
  const page = await load();
  return post({
    intent: "save",
    payload: JSON.stringify({ offers: { ...page.values.offers, email: { ...page.values.offers.email, ...email } } }),
  });
}

const storedEmail = async () =>
  ((await prisma.shop.findUniqueOrThrow({ where: { shop: TEST_SHOP } })).settings as { offers?: { email?: object } })
    .offers?.email;

const server = (port: number) => ({
  enabled: true,
  host: "localhost",
  port: String(port),
  secure: false,
  user: "care",
  password: "hunter2-secret",
  from: "care@shop.example",
  replyTo: "",
});

test.each(["10.0.0.25", "169.254.169.254", "192.168.0.1", "fd00::1", "::ffff:172.16.0.1", "100.64.1.1", "0.0.0.0"])(
  "saving %s as the mail server is refused beside the host field, and nothing is stored",
  async (host) => {
    const saved = await saveEmail({ ...server(587), host });
    expect(saved.status).toBe(400);
    expect(saved.body.fieldErrors).toEqual({ "offers.email.host": EMAIL_FAILURE_MESSAGES.ADDRESS_NOT_ALLOWED });
    expect(await storedEmail()).toBeUndefined();
  },
);

test("a name that does not resolve yet can be saved (sending checks again)", async () => {
  expect((await saveEmail({ ...server(587), host: "smtp.shop.example" })).status).toBe(200);
  expect(await storedEmail()).toMatchObject({ host: "smtp.shop.example" });
});

test("'Send test' to a stored private address is refused before connecting, in generic words", async () => {
  // Stored before this check existed, or written around the page.
  await prisma.shop.upsert({
    where: { shop: TEST_SHOP },
    create: { shop: TEST_SHOP, settings: { offers: { email: { ...server(25), host: "10.0.0.25", port: 25 } } } },
    update: { settings: { offers: { email: { ...server(25), host: "10.0.0.25", port: 25 } } } },
  });
  const sent = await post({ intent: "testEmail", testTo: "owner@sandbox.example" });
  expect(sent.body).toEqual({
    intent: "testEmail",
    ok: false,
    message: `The test message was not sent: ${EMAIL_FAILURE_MESSAGES.ADDRESS_NOT_ALLOWED}`,
  });
});

test("'Send test' needs manager authority: a staff member is refused before anything connects", async () => {
  const smtp = await startSmtpServer({ authOptional: true });
  try {
    expect((await saveEmail(server(smtp.port))).status).toBe(200);
    const result = await call(() =>
      action({
        request: adminRequest("/app/settings", {
          userId: "1002",
          form: { intent: "testEmail", testTo: "owner@sandbox.example" },
        }),
        params: {},
        context: {},
      }),
    );
    const answer = actionAnswer(result);
    expect(answer.status).toBe(403);
    expect(answer.body).toMatchObject({ intent: "testEmail", ok: false });
    expect(smtp.connections()).toBe(0);
  } finally {
    await smtp.close();
  }
});

test("'Send test' never shows the server's banner or reply", async () => {
  const banner = "mx-internal-04.corp.example ESMTP Postfix (Debian) ready";
  const smtp = await startSmtpServer({
    banner,
    authOptional: false,
    onAuth: (_auth, _session, callback) => callback(new Error(`535 5.7.8 ${banner}: authentication failed`)),
  });
  try {
    expect((await saveEmail(server(smtp.port))).status).toBe(200);
    const sent = await post({ intent: "testEmail", testTo: "owner@sandbox.example" });
    expect(sent.body).toEqual({
      intent: "testEmail",
      ok: false,
      message: `The test message was not sent: ${EMAIL_FAILURE_MESSAGES.AUTH_REFUSED}`,
    });
    expect(JSON.stringify(sent.body)).not.toContain("corp.example");
  } finally {
    await smtp.close();
  }
});

test.each([
  ["the host", { host: "127.0.0.1" }],
  ["the port", { port: "2525" }],
  ["the security", { secure: true, port: "465" }],
  ["the user name", { user: "someone-else" }],
])("changing %s without the password is a field error beside the password", async (_name, change) => {
  expect((await saveEmail(server(587))).status).toBe(200);
  const before = await storedEmail();
  const moved = await saveEmail({ ...change, password: "" });
  expect(moved.status).toBe(400);
  expect(moved.body.fieldErrors).toEqual({ "offers.email.password": PASSWORD_AGAIN_MESSAGE });
  expect(await storedEmail()).toEqual(before);
  // With the password typed again the change is saved.
  expect((await saveEmail({ ...change, password: "hunter2-secret" })).status).toBe(200);
});
