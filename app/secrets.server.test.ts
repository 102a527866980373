import { randomBytes } from "node:crypto";
import fc from "fast-check";
import { expect, test } from "vitest";
import {
  currentSecretKey,
  deriveSecretKey,
  openSecret,
  sealSecret,
  SecretError,
  secretKeyFrom,
} from "./secrets.server";

const SHOP = "amends-secrets.myshopify.com";
const key = secretKeyFrom(randomBytes(32));
const otherKey = secretKeyFrom(randomBytes(32));

function openError(sealed: string, context: string, withKey = key): SecretError {
  try {
    openSecret(sealed, context, withKey);
  } catch (error) {
    if (error instanceof SecretError) return error;
    throw error;
  }
  throw new Error("the sealed value opened");
}

/** Swap one character of the sealed value for another base64url character. */
function changeCharAt(sealed: string, index: number): string {
  const replacement = sealed[index] === "A" ? "B" : "A";
  return sealed.slice(0, index) + replacement + sealed.slice(index + 1);
}

test.each([
  ["a typical password", "correct horse battery staple"],
  ["the empty string", ""],
  ["non-ASCII text", "pässwörd-密码-🔑"],
  ["text with dots and newlines", "a.b.c\nd.e"],
  ["a long secret", "x".repeat(10_000)],
])("%s opens to what was sealed", (_name, plaintext) => {
  expect(openSecret(sealSecret(plaintext, SHOP, key), SHOP, key)).toBe(plaintext);
});

test("any well-formed string round-trips", () => {
  fc.assert(
    fc.property(fc.string({ unit: "binary" }), fc.string({ minLength: 1 }), (plaintext, context) => {
      expect(openSecret(sealSecret(plaintext, context, key), context, key)).toBe(plaintext);
    }),
  );
});

test("the sealed form is versioned, names the key and never contains the plaintext", () => {
  fc.assert(
    fc.property(fc.string({ minLength: 4 }), (plaintext) => {
      const sealed = sealSecret(plaintext, SHOP, key);
      expect(sealed).toMatch(/^v1\.[0-9a-f]{8}\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]*$/);
      expect(sealed.split(".")[1]).toBe(key.id);
      expect(sealed).not.toContain(plaintext);
      expect(sealed).not.toContain(Buffer.from(plaintext).toString("base64url"));
    }),
  );
});

test("sealing the same secret twice gives different values (fresh IV)", () => {
  expect(sealSecret("same", SHOP, key)).not.toBe(sealSecret("same", SHOP, key));
});

test.each([
  ["another shop", "other-shop.myshopify.com"],
  ["a shop differing only in case", SHOP.toUpperCase()],
  ["an empty context", ""],
])("a value sealed for one shop does not open for %s", (_name, context) => {
  const error = openError(sealSecret("hunter2", SHOP, key), context);
  expect(error.reason).toBe("NOT_AUTHENTIC");
  expect(error.message).toMatch(/altered or belongs to another shop/);
});

test("changing any character after the header is caught, never opened as garbage", () => {
  const sealed = sealSecret("a secret long enough to have a few ciphertext characters", SHOP, key);
  const headerLength = "v1.".length + key.id.length + 1;
  for (let index = headerLength; index < sealed.length; index++) {
    if (sealed[index] === ".") continue;
    const error = openError(changeCharAt(sealed, index), SHOP);
    expect(["NOT_AUTHENTIC", "MALFORMED"]).toContain(error.reason);
  }
});

test("flipping a ciphertext bit fails authentication", () => {
  const parts = sealSecret("hunter2", SHOP, key).split(".");
  const ciphertext = Buffer.from(parts[4]!, "base64url");
  ciphertext[0]! ^= 0x01;
  parts[4] = ciphertext.toString("base64url");
  expect(openError(parts.join("."), SHOP).reason).toBe("NOT_AUTHENTIC");
});

test("a value sealed with another key fails with a message naming both key ids", () => {
  const error = openError(sealSecret("hunter2", SHOP, otherKey), SHOP, key);
  expect(error.reason).toBe("OTHER_KEY");
  expect(error.message).toBe(
    `the secret was sealed with another key (key id ${otherKey.id}; the current key is ${key.id})`,
  );
});

test("relabelling a value with the current key id does not open it", () => {
  const parts = sealSecret("hunter2", SHOP, otherKey).split(".");
  parts[1] = key.id;
  expect(openError(parts.join("."), SHOP).reason).toBe("NOT_AUTHENTIC");
});

test.each([
  ["plain text", "hunter2"],
  ["another version", sealSecret("x", SHOP, key).replace(/^v1/, "v2")],
  ["a missing part", sealSecret("x", SHOP, key).split(".").slice(0, 4).join(".")],
  ["an extra part", `${sealSecret("x", SHOP, key)}.AAAA`],
  ["a short IV", sealSecret("x", SHOP, key).replace(/^(v1\.[0-9a-f]{8}\.)[^.]{4}/, "$1")],
  ["non-base64url characters", sealSecret("x", SHOP, key).replace(/\.([^.]*)$/, ".+/==")],
])("%s is rejected as malformed", (_name, sealed) => {
  expect(openError(sealed, SHOP).reason).toBe("MALFORMED");
});

test("errors never carry the secret or the sealed value", () => {
  const plaintext = "do-not-leak-me";
  const sealed = sealSecret(plaintext, SHOP, otherKey);
  for (const [value, withKey] of [
    [sealed, key],
    [sealed, otherKey],
    [changeCharAt(sealed, sealed.length - 3), otherKey],
  ] as const) {
    let message = "";
    try {
      openSecret(value, "other-shop.myshopify.com", withKey);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).not.toBe("");
    expect(message).not.toContain(plaintext);
    expect(message).not.toContain(sealed.split(".")[4]);
  }
});

test("a string with an unpaired surrogate is refused rather than sealed lossily", () => {
  expect(() => sealSecret("abc\uD83D", SHOP, key)).toThrow(SecretError);
});

test("the fallback key is derived from the app secret: stable for one secret, different for another", () => {
  expect(deriveSecretKey("app-secret").id).toBe(deriveSecretKey("app-secret").id);
  expect(deriveSecretKey("app-secret").bytes.equals(deriveSecretKey("app-secret").bytes)).toBe(true);
  expect(deriveSecretKey("rotated-secret").id).not.toBe(deriveSecretKey("app-secret").id);
  // A value sealed before SHOPIFY_API_SECRET was rotated says so instead of opening wrongly.
  const sealed = sealSecret("hunter2", SHOP, deriveSecretKey("app-secret"));
  expect(openError(sealed, SHOP, deriveSecretKey("rotated-secret")).reason).toBe("OTHER_KEY");
});

test("the key id is the first 8 hex of the key's SHA-256", () => {
  // SHA-256 of 32 zero bytes begins 66687aad.
  expect(secretKeyFrom(Buffer.alloc(32)).id).toBe("66687aad");
  expect(() => secretKeyFrom(Buffer.alloc(16))).toThrow(/32 bytes/);
});

test("without AMENDS_SECRETS_KEY the current key is the one derived from SHOPIFY_API_SECRET", () => {
  expect(process.env.AMENDS_SECRETS_KEY).toBeUndefined();
  expect(currentSecretKey().id).toBe(deriveSecretKey(process.env.SHOPIFY_API_SECRET!).id);
  expect(openSecret(sealSecret("hunter2", SHOP), SHOP)).toBe("hunter2");
});
