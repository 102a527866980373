/**
 * JSON.parse for webhook bodies that keeps big integer ids exact.
 * REST payload ids are JSON numbers; above 2^53 a plain parse rounds them. With
 * the reviver's access to the source text, such numbers come back as strings.
 */
type ReviverContext = { source?: string };

export class MalformedPayloadError extends Error {
  readonly code = "MALFORMED_PAYLOAD";
  constructor(message: string) {
    super(message);
    this.name = "MalformedPayloadError";
  }
}

export function parseWebhookJson(raw: string): unknown {
  try {
    return JSON.parse(raw, function (this: unknown, _key: string, value: unknown, context?: ReviverContext) {
      if (typeof value === "number" && !Number.isSafeInteger(value) && Number.isInteger(value) && context?.source) {
        return context.source;
      }
      return value;
    } as (this: unknown, key: string, value: unknown) => unknown);
  } catch (error) {
    throw new MalformedPayloadError(`body is not valid JSON: ${(error as Error).message}`);
  }
}
