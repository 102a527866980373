/**
 * The rating link's token (decision 0117): `<payload>.<signature>`, both base64url. The payload
 * names the shop, the incident and the expiry; the signature is an HMAC-SHA256 of it with a key
 * only the server holds, so no token can be made up or altered (a changed incident id or expiry
 * breaks the signature). Single use is not the token's job: the database keeps one rating per
 * incident, so a token whose incident is rated is used.
 *
 * Pure: the key and the time are passed in (app/services/ratings/links.server.ts supplies both).
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";

/** How long a rating link works after the follow-up that carries it. */
export const RATING_LINK_DAYS = 30;
export const RATING_LINK_MS = RATING_LINK_DAYS * 86_400_000;

const payloadSchema = z.strictObject({
  v: z.literal(1),
  /** The shop's myshopify domain. */
  s: z.string().min(1).max(255),
  /** The incident rated. */
  i: z.uuid(),
  /** Expiry, seconds since the epoch. */
  e: z.number().int().positive(),
});

export interface RatingTokenClaims {
  shop: string;
  incidentId: string;
  expiresAt: Date;
}

export type RatingTokenCheck =
  | ({ ok: true } & RatingTokenClaims)
  | { ok: false; reason: "INVALID" }
  /** Genuine but past its expiry: the claims are returned so the page can say so plainly. */
  | ({ ok: false; reason: "EXPIRED" } & RatingTokenClaims);

/** Longest token accepted: a real one is about 170 characters. */
const MAX_TOKEN_LENGTH = 512;

function sign(key: Buffer, payload: string): Buffer {
  return createHmac("sha256", key).update(`amends-rating-link.${payload}`).digest();
}

export function signRatingToken(key: Buffer, claims: RatingTokenClaims): string {
  const payload = Buffer.from(
    JSON.stringify({ v: 1, s: claims.shop, i: claims.incidentId, e: Math.floor(claims.expiresAt.getTime() / 1000) }),
    "utf8",
  ).toString("base64url");
  return `${payload}.${sign(key, payload).toString("base64url")}`;
}

export function verifyRatingToken(key: Buffer, token: string, now: Date): RatingTokenCheck {
  if (typeof token !== "string" || token.length > MAX_TOKEN_LENGTH) return { ok: false, reason: "INVALID" };
  const parts = token.split(".");
  if (parts.length !== 2 || !parts[0] || !parts[1]) return { ok: false, reason: "INVALID" };
  const [payload, signature] = parts as [string, string];
  if (!/^[A-Za-z0-9_-]+$/.test(payload) || !/^[A-Za-z0-9_-]+$/.test(signature)) return { ok: false, reason: "INVALID" };
  const given = Buffer.from(signature, "base64url");
  const expected = sign(key, payload);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: "INVALID" };
  let parsed: z.infer<typeof payloadSchema>;
  try {
    const result = payloadSchema.safeParse(JSON.parse(Buffer.from(payload, "base64url").toString("utf8")));
    if (!result.success) return { ok: false, reason: "INVALID" };
    parsed = result.data;
  } catch {
    return { ok: false, reason: "INVALID" };
  }
  const claims = { shop: parsed.s, incidentId: parsed.i, expiresAt: new Date(parsed.e * 1000) };
  if (claims.expiresAt.getTime() <= now.getTime()) return { ok: false, reason: "EXPIRED", ...claims };
  return { ok: true, ...claims };
}

/** A score from a link or a form: an integer 1 to 5, or null. */
export function parseScore(value: unknown): 1 | 2 | 3 | 4 | 5 | null {
  if (typeof value !== "string" || !/^[1-5]$/.test(value)) return null;
  return Number(value) as 1 | 2 | 3 | 4 | 5;
}
