/**
 * The optional SMTP channel: the make-good apology sent from the merchant's own
 * mail server. The customer's address is read from Shopify when the message is
 * sent and never stored by Amends.
 */
import { readFileSync } from "node:fs";
import { rootCertificates } from "node:tls";
import nodemailer from "nodemailer";
import type SMTPTransport from "nodemailer/lib/smtp-transport";
import { env } from "../../env.server";
import { logger } from "../../logger.server";
import type { EmailSettings, EmailSettingsInput } from "../../recovery/settings";
import { openSecret, sealSecret, SecretError } from "../../secrets.server";
import { resolveSmtpHost, type SmtpAddressPolicy, type SmtpTarget } from "./smtp-address.server";

// The stored and submitted shapes are plain schemas in the pure core, so the offers model can parse them too.
export {
  emailSettingsInputSchema,
  emailSettingsSchema,
  type EmailSettings,
  type EmailSettingsInput,
} from "../../recovery/settings";

export type StoredEmailSettingsResult =
  { ok: true; settings: EmailSettings } | { ok: false; field: "password"; message: string };

/** The sealed password opens only for this shop and this setting. */
const passwordContext = (shop: string) => `${shop}/offers.email.password`;

/** What the stored password was given for: a change to any of these asks for it again. */
const PASSWORD_BOUND_TO = ["host", "port", "secure", "user"] as const;

export const PASSWORD_AGAIN_MESSAGE = "Enter the password again: the mail server, port, security or user name changed.";

/**
 * The settings to store from the form's input: a new password is sealed; an empty one keeps the stored
 * password, but only for the same server, port, security and user (otherwise whoever edits the settings
 * could send the stored password to a server of their choosing, or in plain text); with no user there is
 * no password to keep.
 */
export function emailSettingsToStore(
  shop: string,
  input: EmailSettingsInput,
  existing: EmailSettings | null,
): StoredEmailSettingsResult {
  const { password, ...fields } = input;
  if (!fields.user) return { ok: true, settings: fields };
  if (password)
    return { ok: true, settings: { ...fields, passwordSealed: sealSecret(password, passwordContext(shop)) } };
  if (!existing?.passwordSealed) return { ok: true, settings: fields };
  if (PASSWORD_BOUND_TO.some((key) => existing[key] !== fields[key])) {
    return { ok: false, field: "password", message: PASSWORD_AGAIN_MESSAGE };
  }
  return { ok: true, settings: { ...fields, passwordSealed: existing.passwordSealed } };
}

export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
}

/**
 * Why a message was not sent, in a few closed outcomes. The page, the job's stored error and the
 * log show only these: never the server's banner, its reply or a socket error's text (they can
 * describe a network the merchant should not see into, and a refused recipient's address).
 */
export type EmailFailure =
  | "ADDRESS_NOT_ALLOWED"
  | "CONNECT_FAILED"
  | "TLS_REQUIRED"
  | "TLS_FAILED"
  | "AUTH_REFUSED"
  | "MESSAGE_REFUSED"
  | "PASSWORD_UNREADABLE";

export const EMAIL_FAILURE_MESSAGES: Record<EmailFailure, string> = {
  ADDRESS_NOT_ALLOWED:
    "Address not allowed: the mail server must be on the public internet, not a private, local or reserved address",
  CONNECT_FAILED: "Could not connect to the mail server: check the host name and port",
  TLS_REQUIRED:
    "TLS is required but the server does not offer it: use a server with STARTTLS, or port 465 with TLS from the start",
  TLS_FAILED: "The secure connection (TLS) to the mail server failed: its certificate must be valid for this host name",
  AUTH_REFUSED: "The server refused the login: check the user name and password",
  MESSAGE_REFUSED: "The server refused the message",
  PASSWORD_UNREADABLE: "The stored SMTP password cannot be read; enter it again in the email settings",
};

export class EmailError extends Error {
  readonly code = "EMAIL_FAILED";
  constructor(
    readonly reason: EmailFailure,
    message: string = EMAIL_FAILURE_MESSAGES[reason],
  ) {
    super(message);
    this.name = "EmailError";
  }
}

function smtpPassword(shop: string, settings: EmailSettings): string {
  if (!settings.passwordSealed) return "";
  try {
    return openSecret(settings.passwordSealed, passwordContext(shop));
  } catch (error) {
    if (!(error instanceof SecretError)) throw error;
    // The error says why (other key, altered, malformed) and never carries the secret.
    throw new EmailError(
      "PASSWORD_UNREADABLE",
      `the stored SMTP password cannot be read (${error.message}); enter it again in the email settings`,
    );
  }
}

/** Node's certificate verification errors (their codes; nodemailer replaces the code, the message stays Node's). */
const CERTIFICATE_FAILURE =
  /certificate|altnames|self[- ]signed|unable to verify|UNABLE_TO_|CERT_|DEPTH_ZERO|ERR_TLS_CERT/i;

/** nodemailer's error (its `code`, the SMTP reply code) as one of the few outcomes the page shows. */
export function emailFailureOf(error: unknown): EmailFailure {
  const e = (error ?? {}) as { code?: unknown; message?: unknown; command?: unknown };
  const code = typeof e.code === "string" ? e.code : "";
  const message = typeof e.message === "string" ? e.message : "";
  switch (code) {
    case "EAUTH":
    case "ENOAUTH":
      return "AUTH_REFUSED";
    case "EENVELOPE":
    case "EMESSAGE":
    case "EMAXLIMIT":
    case "ESTREAMING":
      return "MESSAGE_REFUSED";
    case "ETLS":
      // The server answered STARTTLS with a refusal (it does not offer it); otherwise the handshake failed.
      return /upgrading connection with STARTTLS/i.test(message) ? "TLS_REQUIRED" : "TLS_FAILED";
    case "ESOCKET":
      return CERTIFICATE_FAILURE.test(message) ? "TLS_FAILED" : "CONNECT_FAILED";
    default:
      return "CONNECT_FAILED";
  }
}

/** What the log keeps of a failure: codes only, no server text and no address of a person. */
function failureLogFields(error: unknown): Record<string, unknown> {
  const e = (error ?? {}) as { code?: unknown; responseCode?: unknown; command?: unknown };
  return {
    smtpCode: typeof e.code === "string" ? e.code : undefined,
    responseCode: typeof e.responseCode === "number" ? e.responseCode : undefined,
    command: typeof e.command === "string" ? e.command.split(" ")[0] : undefined,
  };
}

export interface SmtpPolicy extends SmtpAddressPolicy {
  /** Certificate authorities trusted beside the system's (PEM), or none. */
  extraCa: string | null;
}

let extraCaCache: { file: string; pem: string } | undefined;

/** The policy the app runs with (app/env.server.ts): no loopback, the system's CAs. */
export function smtpPolicy(): SmtpPolicy {
  const { AMENDS_SMTP_ALLOW_LOOPBACK, AMENDS_SMTP_CA_FILE } = env();
  if (AMENDS_SMTP_CA_FILE && extraCaCache?.file !== AMENDS_SMTP_CA_FILE)
    extraCaCache = { file: AMENDS_SMTP_CA_FILE, pem: readFileSync(AMENDS_SMTP_CA_FILE, "utf8") };
  return {
    allowLoopback: AMENDS_SMTP_ALLOW_LOOPBACK,
    extraCa: AMENDS_SMTP_CA_FILE ? extraCaCache!.pem : null,
  };
}

/**
 * nodemailer's options for the checked address: always encrypted (implicit TLS when `secure`,
 * otherwise STARTTLS that must succeed before anything else is sent, the login included), the
 * certificate checked against the host name the merchant typed.
 */
export function transportOptions(
  settings: EmailSettings,
  target: SmtpTarget,
  auth: { user: string; pass: string } | undefined,
  extraCa: string | null,
): SMTPTransport.Options {
  return {
    host: target.address,
    port: settings.port,
    secure: settings.secure,
    requireTLS: !settings.secure,
    ignoreTLS: false,
    tls: {
      rejectUnauthorized: true,
      minVersion: "TLSv1.2",
      ...(target.servername ? { servername: target.servername } : {}),
      ...(extraCa ? { ca: [...rootCertificates, extraCa] } : {}),
    },
    ...(auth ? { auth } : {}),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  };
}

function refuse(shop: string, reason: EmailFailure, details: Record<string, unknown> = {}): EmailError {
  logger.warn({ shop, reason, ...details }, "email not sent");
  return new EmailError(reason);
}

export async function sendEmail(
  shop: string,
  settings: EmailSettings,
  message: EmailMessage,
  policy: SmtpPolicy = smtpPolicy(),
): Promise<{ messageId: string }> {
  const auth = settings.user ? { user: settings.user, pass: smtpPassword(shop, settings) } : undefined;
  const resolved = await resolveSmtpHost(settings.host, policy);
  if (!resolved.ok)
    throw resolved.reason === "ADDRESS_NOT_ALLOWED"
      ? refuse(shop, "ADDRESS_NOT_ALLOWED", { refused: resolved.refused })
      : refuse(shop, "CONNECT_FAILED", { dns: "NOT_FOUND" });
  const transport = nodemailer.createTransport(transportOptions(settings, resolved.target, auth, policy.extraCa));
  try {
    const info = await transport.sendMail({
      from: settings.from,
      ...(settings.replyTo ? { replyTo: settings.replyTo } : {}),
      to: message.to,
      subject: message.subject,
      text: message.text,
    });
    return { messageId: info.messageId };
  } catch (error) {
    throw refuse(shop, emailFailureOf(error), failureLogFields(error));
  } finally {
    transport.close();
  }
}

/**
 * The save-time check of the settings form: a host that resolves to an address Amends will not
 * connect to is refused now rather than at the first send. A name that does not resolve yet is
 * accepted (sending checks again, and refuses it then).
 */
export async function emailHostRefusal(host: string, policy: SmtpAddressPolicy = smtpPolicy()): Promise<string | null> {
  const resolved = await resolveSmtpHost(host, policy);
  return !resolved.ok && resolved.reason === "ADDRESS_NOT_ALLOWED" ? EMAIL_FAILURE_MESSAGES.ADDRESS_NOT_ALLOWED : null;
}

/** The settings page's "send a test" button: proves the server, credentials and sender work. */
export function sendTestEmail(shop: string, settings: EmailSettings, to: string): Promise<{ messageId: string }> {
  return sendEmail(shop, settings, {
    to,
    subject: "Amends test message",
    text: "This is a test from Amends. Make-good messages to your customers will be sent through this mail server.",
  });
}
