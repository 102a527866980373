import { randomBytes } from "node:crypto";
import { expect, test } from "vitest";
import { parseScore, RATING_LINK_MS, signRatingToken, verifyRatingToken } from "./token";

const KEY = randomBytes(32);
const NOW = new Date("2026-12-06T12:00:00Z");
const claims = {
  shop: "amends-csat.myshopify.com",
  incidentId: "4f1c2d7e-8a9b-4c3d-9e0f-1a2b3c4d5e6f",
  expiresAt: new Date(NOW.getTime() + RATING_LINK_MS),
};

test("a signed token verifies and names its shop, incident and expiry", () => {
  const token = signRatingToken(KEY, claims);
  expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  expect(verifyRatingToken(KEY, token, NOW)).toEqual({ ok: true, ...claims });
});

test("a token past its expiry is refused as expired, a second before it still works", () => {
  const token = signRatingToken(KEY, claims);
  expect(verifyRatingToken(KEY, token, new Date(claims.expiresAt.getTime() - 1000)).ok).toBe(true);
  expect(verifyRatingToken(KEY, token, claims.expiresAt)).toEqual({ ok: false, reason: "EXPIRED", ...claims });
});

test("a tampered payload, a tampered signature or another key is refused as invalid", () => {
  const token = signRatingToken(KEY, claims);
  const [payload, signature] = token.split(".") as [string, string];
  const other = signRatingToken(KEY, { ...claims, incidentId: "0e0e0e0e-0e0e-4e0e-8e0e-0e0e0e0e0e0e" });
  // Another incident's payload with this token's signature.
  expect(verifyRatingToken(KEY, `${other.split(".")[0]}.${signature}`, NOW)).toEqual({ ok: false, reason: "INVALID" });
  // A longer expiry, re-encoded by hand.
  const longer = Buffer.from(
    JSON.stringify({
      v: 1,
      s: claims.shop,
      i: claims.incidentId,
      e: Math.floor(claims.expiresAt.getTime() / 1000) + 1e6,
    }),
  ).toString("base64url");
  expect(verifyRatingToken(KEY, `${longer}.${signature}`, NOW)).toEqual({ ok: false, reason: "INVALID" });
  const flipped = (signature[0] === "A" ? "B" : "A") + signature.slice(1);
  expect(verifyRatingToken(KEY, `${payload}.${flipped}`, NOW)).toEqual({ ok: false, reason: "INVALID" });
  expect(verifyRatingToken(randomBytes(32), token, NOW)).toEqual({ ok: false, reason: "INVALID" });
});

test.each(["", ".", "abc", "a.b.c", `${"a".repeat(600)}.b`, "ä.b", "e30.AAAA"])("garbage %j is invalid", (token) => {
  expect(verifyRatingToken(KEY, token, NOW)).toEqual({ ok: false, reason: "INVALID" });
});

test("a correctly signed payload of the wrong shape is invalid", () => {
  // Signed with the right key but not a rating claim: forge through the signer's own format.
  const token = signRatingToken(KEY, { ...claims, incidentId: "not-a-uuid" });
  expect(verifyRatingToken(KEY, token, NOW)).toEqual({ ok: false, reason: "INVALID" });
});

test("scores are the strings 1 to 5 only", () => {
  expect(["1", "2", "3", "4", "5"].map(parseScore)).toEqual([1, 2, 3, 4, 5]);
  for (const bad of ["0", "6", "4.0", " 4", "", "five", undefined, null, 4]) expect(parseScore(bad)).toBeNull();
});
