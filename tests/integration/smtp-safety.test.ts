/**
 * The shop's mail server against real local SMTP servers (smtp-server on loopback): only public
 * addresses unless the tests' loopback switch is on, always TLS (never a plain-text login), and
 * failures told in a few generic words, never in the server's own.
 */
import { expect, test } from "vitest";
import { parseEnv } from "../../app/env.server";
import {
  EMAIL_FAILURE_MESSAGES,
  emailSettingsInputSchema,
  emailSettingsToStore,
  sendEmail,
  smtpPolicy,
  type EmailFailure,
  type EmailSettings,
  type SmtpPolicy,
} from "../../app/services/notifications/email.server";
import { startSmtpServer, UNTRUSTED_CERT, type LocalSmtp } from "../helpers/smtp";

const SHOP = "amends-smtp.myshopify.com";
const USER = "care@shop.example";
const PASSWORD = "smtp-password-7f3a";
// Text only the server knows: it must never reach the error the page or the job stores.
const SERVER_SECRET = "internal-relay-7.corp.example ESMTP build 4711";
const MESSAGE = { to: "ada@example.com", subject: "Sorry", text: "A make-good for you." };

function settings(port: number, overrides: Record<string, unknown> = {}): EmailSettings {
  const input = emailSettingsInputSchema.parse({
    enabled: true,
    host: "localhost",
    port,
    user: USER,
    password: PASSWORD,
    from: "care@shop.example",
    ...overrides,
  });
  const result = emailSettingsToStore(SHOP, input, null);
  if (!result.ok) throw new Error(result.message);
  return result.settings;
}

async function withServer(
  options: Parameters<typeof startSmtpServer>[0],
  run: (smtp: LocalSmtp) => Promise<void>,
): Promise<void> {
  const smtp = await startSmtpServer(options);
  try {
    await run(smtp);
  } finally {
    await smtp.close();
  }
}

const logins: string[] = [];
const onAuth: NonNullable<Parameters<typeof startSmtpServer>[0]>["onAuth"] = (auth, _session, callback) => {
  logins.push(auth.username ?? "");
  if (auth.username === USER && auth.password === PASSWORD) callback(null, { user: auth.username });
  else callback(new Error(`535 ${SERVER_SECRET}: bad credentials for ${auth.username}`));
};

async function failure(promise: Promise<unknown>): Promise<{ reason: EmailFailure; message: string; stack: string }> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e as Error & { reason: EmailFailure; code: string },
  );
  expect(error).toMatchObject({ name: "EmailError", code: "EMAIL_FAILED" });
  return { reason: error!.reason, message: error!.message, stack: error!.stack ?? "" };
}

test("by default a mail server on loopback is refused before any connection", async () => {
  const defaults = parseEnv({
    SHOPIFY_API_KEY: "k",
    SHOPIFY_API_SECRET: "s",
    SHOPIFY_APP_URL: "https://amends.example",
    SCOPES: "read_orders",
  });
  const production: SmtpPolicy = { allowLoopback: defaults.AMENDS_SMTP_ALLOW_LOOPBACK, extraCa: smtpPolicy().extraCa };
  await withServer({ onAuth }, async (smtp) => {
    for (const host of ["localhost", "127.0.0.1", "::ffff:127.0.0.1", "127.1"]) {
      const failed = await failure(sendEmail(SHOP, settings(smtp.port, { host }), MESSAGE, production));
      expect(failed).toMatchObject({
        reason: "ADDRESS_NOT_ALLOWED",
        message: EMAIL_FAILURE_MESSAGES.ADDRESS_NOT_ALLOWED,
      });
    }
    expect(smtp.connections()).toBe(0);
    // The tests' switch (vitest.config.ts) is what lets the same server through.
    expect(await sendEmail(SHOP, settings(smtp.port), MESSAGE)).toMatchObject({ messageId: expect.any(String) });
    expect(smtp.connections()).toBe(1);
  });
});

test("STARTTLS is required: a server that does not offer it never sees the login and the send is refused", async () => {
  logins.length = 0;
  let mail = 0;
  await withServer(
    {
      disabledCommands: ["STARTTLS"],
      // A server that would take a plain-text login: the client must not offer it one.
      allowInsecureAuth: true,
      onAuth,
      onData: (stream, _session, callback) => {
        mail++;
        stream.resume();
        stream.on("end", () => callback());
      },
    },
    async (smtp) => {
      const failed = await failure(sendEmail(SHOP, settings(smtp.port), MESSAGE));
      expect(failed).toMatchObject({ reason: "TLS_REQUIRED", message: EMAIL_FAILURE_MESSAGES.TLS_REQUIRED });
      expect(smtp.connections()).toBe(1);
    },
  );
  expect(logins).toEqual([]);
  expect(mail).toBe(0);
});

test("STARTTLS on 587-style ports and TLS from the start both send, the certificate checked for the name typed", async () => {
  const servernames: string[] = [];
  const received: string[] = [];
  const common = {
    onAuth,
    SNICallback: (servername: string, callback: (error: Error | null) => void) => {
      servernames.push(servername);
      callback(null);
    },
    onData: (stream: NodeJS.ReadableStream, _session: unknown, callback: () => void) => {
      stream.on("data", (chunk: Buffer) => received.push(chunk.toString("utf8")));
      stream.on("end", () => callback());
    },
  };
  await withServer(common, async (smtp) => {
    await sendEmail(SHOP, settings(smtp.port), MESSAGE);
  });
  await withServer({ ...common, secure: true }, async (smtp) => {
    await sendEmail(SHOP, settings(smtp.port, { secure: true }), MESSAGE);
  });
  expect(received.join("")).toContain("A make-good for you.");
  // Connected to the checked address; the name went along only as TLS server name.
  expect(servernames).toEqual(["localhost", "localhost"]);
});

test("a certificate no trusted authority vouches for is refused, with or without TLS from the start", async () => {
  logins.length = 0;
  await withServer({ ...UNTRUSTED_CERT, secure: true, onAuth }, async (smtp) => {
    const failed = await failure(sendEmail(SHOP, settings(smtp.port, { secure: true }), MESSAGE));
    expect(failed).toMatchObject({ reason: "TLS_FAILED", message: EMAIL_FAILURE_MESSAGES.TLS_FAILED });
  });
  await withServer({ ...UNTRUSTED_CERT, onAuth }, async (smtp) => {
    const failed = await failure(sendEmail(SHOP, settings(smtp.port), MESSAGE));
    // A handshake that fails mid-STARTTLS reaches nodemailer as a TLS error or as the connection closing,
    // whichever it sees first: either way nothing is sent.
    expect(["TLS_FAILED", "CONNECT_FAILED"]).toContain(failed.reason);
  });
  expect(logins).toEqual([]);
});

test("the server's banner and replies never reach the error: a refused login, a refused recipient", async () => {
  await withServer({ banner: SERVER_SECRET, onAuth }, async (smtp) => {
    const failed = await failure(sendEmail(SHOP, settings(smtp.port, { password: "wrong" }), MESSAGE));
    expect(failed).toMatchObject({ reason: "AUTH_REFUSED", message: EMAIL_FAILURE_MESSAGES.AUTH_REFUSED });
    expect(failed.stack).not.toContain(SERVER_SECRET);
    expect(failed.stack).not.toContain("wrong");
  });
  await withServer(
    {
      banner: SERVER_SECRET,
      onAuth,
      onRcptTo: (address, _session, callback) =>
        callback(new Error(`550 ${SERVER_SECRET}: no mailbox ${address.address} on 10.1.2.3`)),
    },
    async (smtp) => {
      const failed = await failure(sendEmail(SHOP, settings(smtp.port), MESSAGE));
      expect(failed).toMatchObject({ reason: "MESSAGE_REFUSED", message: EMAIL_FAILURE_MESSAGES.MESSAGE_REFUSED });
      for (const secret of [SERVER_SECRET, "ada@example.com", "10.1.2.3"]) expect(failed.stack).not.toContain(secret);
    },
  );
});

test("nothing listening is 'could not connect', and says no more", async () => {
  const smtp = await startSmtpServer({ onAuth });
  const port = smtp.port;
  await smtp.close();
  const failed = await failure(sendEmail(SHOP, settings(port), MESSAGE));
  expect(failed).toMatchObject({ reason: "CONNECT_FAILED", message: EMAIL_FAILURE_MESSAGES.CONNECT_FAILED });
  expect(failed.stack).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
});

test.each(["10.0.0.25", "169.254.169.254", "fd00:ec2::254", "192.168.1.10", "100.64.0.1", "::ffff:10.0.0.1"])(
  "%s is refused at send time even with the tests' loopback switch on",
  async (host) => {
    const failed = await failure(sendEmail(SHOP, settings(25, { host }), MESSAGE));
    expect(failed.reason).toBe("ADDRESS_NOT_ALLOWED");
  },
);
