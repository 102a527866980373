/**
 * Secrets a shop gives us (its SMTP password) are kept sealed in the database:
 * AES-256-GCM, with a context (the shop and what the secret is for) as associated
 * data, so a sealed value copied to another shop or field does not open. See
 * docs/decisions/0009-secrets-at-rest.md.
 *
 * Sealed form: `v1.<keyId>.<iv>.<tag>.<ciphertext>`, binary parts in base64url.
 * The key id (first 8 hex of the key's SHA-256) tells "sealed with another key"
 * apart from "altered", so a key change gives a clear error rather than garbage.
 */
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from "node:crypto";
import { env } from "./env.server";

const VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const SECRET_KEY_BYTES = 32;
/** HKDF info for the fallback key derived from SHOPIFY_API_SECRET; changing it changes the key. */
const DERIVATION_INFO = "amends settings secrets v1";
/** With the u flag a surrogate pair is one code point, so only an unpaired half matches. */
const LONE_SURROGATE = /\p{Surrogate}/u;

export interface SecretKey {
  /** First 8 hex of the key's SHA-256: names the key in sealed values without revealing it. */
  readonly id: string;
  readonly bytes: Buffer;
}

export type SecretErrorReason = "MALFORMED" | "OTHER_KEY" | "NOT_AUTHENTIC" | "NOT_WELL_FORMED";

/** Never carries the plaintext or the sealed value. */
export class SecretError extends Error {
  readonly code = "SECRET_UNREADABLE";
  constructor(
    readonly reason: SecretErrorReason,
    message: string,
  ) {
    super(message);
    this.name = "SecretError";
  }
}

export function secretKeyFrom(bytes: Buffer): SecretKey {
  if (bytes.length !== SECRET_KEY_BYTES)
    throw new Error(`a secrets key must be ${SECRET_KEY_BYTES} bytes, got ${bytes.length}`);
  return { id: createHash("sha256").update(bytes).digest("hex").slice(0, 8), bytes: Buffer.from(bytes) };
}

/** The fallback key when AMENDS_SECRETS_KEY is unset: it changes whenever the app secret is rotated. */
export function deriveSecretKey(appSecret: string): SecretKey {
  const derived = hkdfSync("sha256", appSecret, Buffer.alloc(0), DERIVATION_INFO, SECRET_KEY_BYTES);
  return secretKeyFrom(Buffer.from(derived));
}

let current: SecretKey | undefined;

/** AMENDS_SECRETS_KEY (validated in env.server.ts), or else the key derived from SHOPIFY_API_SECRET. */
export function currentSecretKey(): SecretKey {
  if (!current) {
    const { AMENDS_SECRETS_KEY, SHOPIFY_API_SECRET } = env();
    current = AMENDS_SECRETS_KEY
      ? secretKeyFrom(Buffer.from(AMENDS_SECRETS_KEY, "base64"))
      : deriveSecretKey(SHOPIFY_API_SECRET);
  }
  return current;
}

/** The header is authenticated too, so neither the version nor the key id can be swapped. */
function associatedData(keyId: string, context: string): Buffer {
  return Buffer.from(`${VERSION}.${keyId}\n${context}`, "utf8");
}

export function sealSecret(plaintext: string, context: string, key: SecretKey = currentSecretKey()): string {
  // A lone surrogate would be replaced in UTF-8 and open as a different string.
  if (LONE_SURROGATE.test(plaintext))
    throw new SecretError("NOT_WELL_FORMED", "the secret is not well-formed Unicode text");
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key.bytes, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(associatedData(key.id, context));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, key.id, iv.toString("base64url"), tag.toString("base64url"), ciphertext.toString("base64url")].join(
    ".",
  );
}

/** Only the canonical base64url of the expected length: every changed character is caught here or by the tag. */
function decodePart(text: string | undefined, expectedBytes?: number): Buffer | null {
  if (text === undefined || !/^[A-Za-z0-9_-]*$/.test(text)) return null;
  const bytes = Buffer.from(text, "base64url");
  if (bytes.toString("base64url") !== text) return null;
  if (expectedBytes !== undefined && bytes.length !== expectedBytes) return null;
  return bytes;
}

export function openSecret(sealed: string, context: string, key: SecretKey = currentSecretKey()): string {
  const parts = sealed.split(".");
  const [version, keyId] = parts;
  if (parts.length !== 5 || version !== VERSION || !keyId || !/^[0-9a-f]{8}$/.test(keyId)) {
    throw new SecretError("MALFORMED", "the sealed secret is not in the v1 format");
  }
  if (keyId !== key.id) {
    throw new SecretError(
      "OTHER_KEY",
      `the secret was sealed with another key (key id ${keyId}; the current key is ${key.id})`,
    );
  }
  const iv = decodePart(parts[2], IV_BYTES);
  const tag = decodePart(parts[3], TAG_BYTES);
  const ciphertext = decodePart(parts[4]);
  if (!iv || !tag || !ciphertext) throw new SecretError("MALFORMED", "the sealed secret is not in the v1 format");
  const decipher = createDecipheriv("aes-256-gcm", key.bytes, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(associatedData(keyId, context));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString("utf8");
  } catch {
    throw new SecretError(
      "NOT_AUTHENTIC",
      "the sealed secret does not open: it was altered or belongs to another shop or setting",
    );
  }
}
