/**
 * The optional SMTP channel: the make-good apology sent from the merchant's own
 * mail server. The customer's address is read from Shopify when the message is
 * sent and never stored by Amends.
 */
import nodemailer from "nodemailer";
import { z } from "zod";

export const emailSettingsSchema = z.object({
  enabled: z.boolean().default(false),
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535).default(587),
  /** true: TLS from the start (port 465); false: STARTTLS when the server offers it. */
  secure: z.boolean().default(false),
  user: z.string().optional(),
  // Kept with the shop's settings; see the closing note of issue 4 about encrypting settings at rest.
  password: z.string().optional(),
  from: z.string().min(3),
  replyTo: z.string().optional(),
});
export type EmailSettings = z.output<typeof emailSettingsSchema>;

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

export async function sendEmail(settings: EmailSettings, message: EmailMessage): Promise<{ messageId: string }> {
  const transport = nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    ...(settings.user ? { auth: { user: settings.user, pass: settings.password ?? "" } } : {}),
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
    throw new EmailError(`the mail server refused the message: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    transport.close();
  }
}

/** The settings page's "send a test" button: proves the server, credentials and sender work. */
export function sendTestEmail(settings: EmailSettings, to: string): Promise<{ messageId: string }> {
  return sendEmail(settings, {
    to,
    subject: "Amends test message",
    text: "This is a test from Amends. Make-good messages to your customers will be sent through this mail server.",
  });
}
