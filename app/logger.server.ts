/**
 * Structured logs (pino). Child loggers carry {shop, webhookId, job}. Secrets and
 * customer personal data never reach a log line: log ids, never payloads; the
 * redact paths below are a second line of defence.
 */
import pino from "pino";

const level = process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "silent" : "info");

export const logger = pino({
  level,
  base: { app: "amends" },
  redact: {
    paths: [
      "accessToken",
      "*.accessToken",
      "secret",
      "*.secret",
      "password",
      "*.password",
      "email",
      "*.email",
      "phone",
      "*.phone",
      "rawBody",
      "*.rawBody",
      "headers.authorization",
      'headers["x-shopify-hmac-sha256"]',
    ],
    censor: "[redacted]",
  },
});

export type Logger = pino.Logger;
