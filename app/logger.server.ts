/**
 * Structured logs (pino). Child loggers carry {shop, webhookId, job}. Secrets and
 * customer personal data never reach a log line: log ids, never payloads. Two lines of
 * defence behind that habit:
 * - every record and message is passed through redactRecord before it is written
 *   (app/recovery/redact.ts, decision 0019): email addresses, display names before an
 *   address, quoted name fields and phone numbers by pattern, in messages, error messages
 *   and stacks too; the values of personal fields (email, firstName, ...) at any depth;
 *   errors reduced to type, message, stack and code;
 * - the redact paths below for secrets by key.
 */
import pino from "pino";
import { redactPersonalData, redactRecord } from "./recovery/redact";

const level = process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "silent" : "info");

interface LineSink {
  write(line: string): unknown;
}

let capture: LineSink | null = null;
/** Standard output, unless a test is capturing (captureLogs). */
const destination: LineSink = { write: (line) => (capture ?? process.stdout).write(line) };

export function createLogger(options: { level: string; destination: LineSink }): pino.Logger {
  return pino(
    {
      level: options.level,
      base: { app: "amends" },
      hooks: {
        logMethod(args, method) {
          const clean = args.map((arg) => (typeof arg === "string" ? redactPersonalData(arg) : redactRecord(arg)));
          return method.apply(this, clean as Parameters<typeof method>);
        },
      },
      redact: {
        paths: [
          "accessToken",
          "*.accessToken",
          "refreshToken",
          "*.refreshToken",
          "secret",
          "*.secret",
          "password",
          "*.password",
          "rawBody",
          "*.rawBody",
          "headers.authorization",
          'headers["x-shopify-hmac-sha256"]',
        ],
        censor: "[redacted]",
      },
    },
    options.destination,
  );
}

export const logger = createLogger({ level, destination });

export type Logger = pino.Logger;

/**
 * Test seam: run `fn` with the app's logger writing at `debug` into memory instead of standard
 * output, and return the lines written. Loggers made during `fn` (logger.child) inherit the level;
 * ones made before keep theirs.
 */
export async function captureLogs<T>(fn: () => Promise<T>): Promise<{ result: T; lines: string[] }> {
  const lines: string[] = [];
  const previousLevel = logger.level;
  capture = { write: (line) => lines.push(line) };
  logger.level = "debug";
  try {
    return { result: await fn(), lines };
  } finally {
    capture = null;
    logger.level = previousLevel;
  }
}
