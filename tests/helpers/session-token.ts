/** Shopify session tokens (App Bridge id_token): HS256 JWTs signed with the app secret. */
import { createHmac, randomUUID } from "node:crypto";
import { TEST_SECRET, TEST_SHOP } from "./webhooks";

const b64url = (value: string | Buffer) => Buffer.from(value).toString("base64url");

export function sessionToken(options: { shop?: string; userId?: string; secret?: string; apiKey?: string; expiresIn?: number } = {}): string {
  const shop = options.shop ?? TEST_SHOP;
  const now = Math.floor(Date.now() / 1000);
  const header = b64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const payload = b64url(
    JSON.stringify({
      iss: `https://${shop}/admin`,
      dest: `https://${shop}`,
      aud: options.apiKey ?? "test-api-key",
      sub: options.userId ?? "42",
      exp: now + (options.expiresIn ?? 60),
      nbf: now - 5,
      iat: now - 5,
      jti: randomUUID(),
      sid: randomUUID(),
    }),
  );
  const signature = createHmac("sha256", options.secret ?? TEST_SECRET).update(`${header}.${payload}`).digest("base64url");
  return `${header}.${payload}.${signature}`;
}
