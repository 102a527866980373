/**
 * Import first (before anything loads Prisma): makes `crypto.randomUUID` a seeded sequence for
 * this test file. Amends's holdout draw hashes the incident's id (a random UUID), so a test that
 * must be deterministic about who was held out fixes the ids. Prisma captures randomUUID when its
 * runtime loads, hence the import order.
 */
import { createHash } from "node:crypto";
import crypto from "node:crypto";

const seed = process.env.AMENDS_UUID_SEED ?? "amends";
let counter = 0;

crypto.randomUUID = () => {
  const bytes = createHash("sha256").update(`${seed}:${counter++}`).digest();
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}` as ReturnType<
    typeof crypto.randomUUID
  >;
};
