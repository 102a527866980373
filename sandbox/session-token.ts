/**
 * Shopify session tokens, as App Bridge hands them to an embedded app: HS256
 * JWTs signed with the app secret. The sandbox mints them for the demo's
 * sign-in and for tests of the embedded auth path.
 */
import { createHmac, randomUUID } from "node:crypto";

export interface SessionTokenOptions {
  shop: string;
  apiKey: string;
  secret: string;
  /** The staff member (Shopify user id) the token speaks for. */
  userId: string;
  now?: Date;
  expiresInSeconds?: number;
}

const b64url = (value: string) => Buffer.from(value).toString("base64url");

export function mintSessionToken(options: SessionTokenOptions): string {
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const header = b64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const payload = b64url(
    JSON.stringify({
      iss: `https://${options.shop}/admin`,
      dest: `https://${options.shop}`,
      aud: options.apiKey,
      sub: options.userId,
      exp: now + (options.expiresInSeconds ?? 60),
      nbf: now - 5,
      iat: now - 5,
      jti: randomUUID(),
      sid: randomUUID(),
    }),
  );
  const signature = createHmac("sha256", options.secret).update(`${header}.${payload}`).digest("base64url");
  return `${header}.${payload}.${signature}`;
}
