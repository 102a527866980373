/**
 * The optional SMTP channel: the make-good apology sent from the merchant's own
 * mail server. The customer's address is read from Shopify when the message is
 * sent and never stored by Amends.
 */
import nodemailer from "nodemailer";
import type { EmailSettings, EmailSettingsInput } from "../../recovery/settings";
import { openSecret, sealSecret, SecretError } from "../../secrets.server";

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

/**
 * The settings to store from the form's input: a new password is sealed; an empty one keeps the stored
 * password, but only for the same server and user (otherwise whoever edits the settings could send the
 * stored password to a server of their choosing); with no user there is no password to keep.
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
  if (existing.host !== fields.host || existing.user !== fields.user) {
    return { ok: false, field: "password", message: "Enter the password again: the mail server or user name changed." };
  }
  return { ok: true, settings: { ...fields, passwordSealed: existing.passwordSealed } };
}

export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
}

export class EmailError extends Error {
  readonly code = "EMAIL_FAILED";
  constructor(message: string) {
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
      `the stored SMTP password cannot be read (${error.message}); enter it again in the email settings`,
    );
  }
}

export async function sendEmail(
  shop: string,
  settings: EmailSettings,
  message: EmailMessage,
): Promise<{ messageId: string }> {
  const auth = settings.user ? { user: settings.user, pass: smtpPassword(shop, settings) } : undefined;
  const transport = nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    ...(auth ? { auth } : {}),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
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
    throw new EmailError(
      `the mail server refused the message: ${error instanceof Error ? error.message : String(error)}`,
    );
  } finally {
    transport.close();
  }
}

/** The settings page's "send a test" button: proves the server, credentials and sender work. */
export function sendTestEmail(shop: string, settings: EmailSettings, to: string): Promise<{ messageId: string }> {
  return sendEmail(shop, settings, {
    to,
    subject: "Amends test message",
    text: "This is a test from Amends. Make-good messages to your customers will be sent through this mail server.",
  });
}
