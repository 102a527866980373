/**
 * The weekly digest's reads and its once-only row (decision 0118). Every query leads with shop.
 * The incidents are read without their customer: the digest names causes, never people.
 */
import type { Prisma } from "@prisma/client";
import { prisma } from "../db.server";
import type { MetricsOfferRow } from "../recovery";
import type { Digest, DigestIncident } from "../recovery/digest";

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];

/** The shop's incidents detected in [from, to) with their root causes (index "Incident"(shop, "detectedAt")). */
export async function digestIncidents(shop: string, from: Date, to: Date): Promise<DigestIncident[]> {
  const rows = await prisma.incident.findMany({
    where: { shop, detectedAt: { gte: from, lt: to } },
    select: { id: true, detectedAt: true, rootCause: true },
    orderBy: [{ detectedAt: "asc" }, { id: "asc" }],
  });
  return rows.map((row) => {
    const rc =
      typeof row.rootCause === "object" && row.rootCause !== null && !Array.isArray(row.rootCause)
        ? (row.rootCause as Record<string, unknown>)
        : {};
    return {
      id: row.id,
      detectedAt: row.detectedAt,
      productIds: strings(rc.productIds),
      carriers: strings(rc.carriers),
      locations: strings(rc.locations),
    };
  });
}

/** The offers of those incidents, as the metrics read them (index "Offer"(shop, "incidentId")). */
export async function digestOffers(shop: string, incidentIds: readonly string[]): Promise<MetricsOfferRow[]> {
  if (incidentIds.length === 0) return [];
  return prisma.offer.findMany({
    where: { shop, incidentId: { in: [...incidentIds] } },
    select: {
      id: true,
      incidentId: true,
      kind: true,
      status: true,
      approval: true,
      issuedAt: true,
      expiresAt: true,
      faceValueMinor: true,
      redeemedAt: true,
      discountUsedMinor: true,
    },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
}

export interface StoredDigest {
  id: string;
  weekStart: string;
  digest: Digest;
  flowSentAt: Date | null;
  emailSentAt: Date | null;
}

export async function findDigest(shop: string, weekStart: string): Promise<StoredDigest | null> {
  const row = await prisma.recoveryDigest.findUnique({ where: { oneDigestPerShopWeek: { shop, weekStart } } });
  return row ? { ...row, digest: row.digest as unknown as Digest } : null;
}

/**
 * Store the week's digest unless one is stored already (ON CONFLICT DO NOTHING on the shop-week
 * unique), and return the stored one: two jobs racing keep the first, and both send that one.
 */
export async function storeDigestOnce(shop: string, weekStart: string, digest: Digest): Promise<StoredDigest> {
  await prisma.recoveryDigest.createMany({
    data: [{ shop, weekStart, digest: digest as unknown as Prisma.InputJsonValue }],
    skipDuplicates: true,
  });
  const stored = await findDigest(shop, weekStart);
  if (!stored) throw new Error(`digest of ${weekStart} for ${shop} was not stored`);
  return stored;
}

export type DigestChannel = "flowSentAt" | "emailSentAt";

/** Claim a channel of the digest (stamp it if not yet stamped); false when it was already claimed. */
export async function claimDigestChannel(shop: string, id: string, channel: DigestChannel, at: Date): Promise<boolean> {
  const { count } = await prisma.recoveryDigest.updateMany({
    where: { id, shop, [channel]: null },
    data: { [channel]: at },
  });
  return count === 1;
}

/** Give a claim back: the message did not go out, so a retry sends it. */
export async function releaseDigestChannel(shop: string, id: string, channel: DigestChannel): Promise<void> {
  await prisma.recoveryDigest.updateMany({ where: { id, shop }, data: { [channel]: null } });
}
