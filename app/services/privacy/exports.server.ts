/**
 * How the merchant receives a customers/data_request export: the privacy page lists the shop's
 * requests, a MANAGER or OWNER downloads the export once as a JSON file, and the download deletes
 * it (audited). Exports nobody downloads are deleted 30 days after the request.
 */
import { Prisma } from "@prisma/client";
import { clock } from "../../clock.server";
import { prisma } from "../../db.server";
import { recordAudit } from "../../models/audit.server";
import { parseShopSettings } from "../../models/shop-settings.server";
import { memberAuthority, type AuthorityLevel } from "../../recovery";
import type { StaffIdentity } from "../approvals.server";

export const EXPORT_DOWNLOAD_ACTION = "privacy.export.download";

export interface PrivacyRequestRow {
  id: string;
  kind: "CUSTOMER_DATA_REQUEST" | "CUSTOMER_REDACT" | "SHOP_REDACT";
  customerGid: string | null;
  completedAt: string;
  /** Rows per table (exported or erased). */
  result: Record<string, unknown>;
  exportAvailable: boolean;
  exportExpiresAt: string | null;
  deliveredAt: string | null;
  deliveredBy: string | null;
}

export interface PrivacyPage {
  requests: PrivacyRequestRow[];
  viewer: { level: AuthorityLevel; canDownload: boolean };
}

async function viewerLevel(shop: string, staff: StaffIdentity): Promise<AuthorityLevel> {
  const row = await prisma.shop.findUnique({ where: { shop }, select: { settings: true } });
  const { recovery } = parseShopSettings(shop, row?.settings);
  return memberAuthority(staff.userId, recovery.authority, staff.accountOwner ?? false).level;
}

const canDownload = (level: AuthorityLevel) => level === "MANAGER" || level === "OWNER";

export async function privacyPage(shop: string, staff: StaffIdentity): Promise<PrivacyPage> {
  const [level, rows] = await Promise.all([
    viewerLevel(shop, staff),
    prisma.complianceRequest.findMany({
      where: { shop },
      orderBy: [{ completedAt: "desc" }, { id: "desc" }],
      take: 100,
      // The export itself is not read for the list: only whether it is still there.
      select: {
        id: true,
        kind: true,
        customerGid: true,
        completedAt: true,
        result: true,
        exportExpiresAt: true,
        deliveredAt: true,
        deliveredBy: true,
      },
    }),
  ]);
  const pending = await prisma.complianceRequest.findMany({
    where: { shop, id: { in: rows.map((r) => r.id) }, NOT: { export: { equals: Prisma.DbNull } } },
    select: { id: true },
  });
  const available = new Set(pending.map((p) => p.id));
  return {
    viewer: { level, canDownload: canDownload(level) },
    requests: rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      customerGid: r.customerGid,
      completedAt: r.completedAt.toISOString(),
      result: typeof r.result === "object" && r.result !== null ? (r.result as Record<string, unknown>) : {},
      exportAvailable: available.has(r.id),
      exportExpiresAt: r.exportExpiresAt?.toISOString() ?? null,
      deliveredAt: r.deliveredAt?.toISOString() ?? null,
      deliveredBy: r.deliveredBy,
    })),
  };
}

export type DownloadResult =
  { ok: true; filename: string; body: string } | { ok: false; status: 403 | 404 | 410; message: string };

/**
 * Hand the export over once: read it, mark it delivered, delete it and audit the download, in one
 * transaction under the request's row lock (two clicks cannot both get it).
 */
export async function downloadExport(
  shop: string,
  staff: StaffIdentity & { name?: string },
  requestId: string,
): Promise<DownloadResult> {
  const level = await viewerLevel(shop, staff);
  if (!canDownload(level)) {
    return { ok: false, status: 403, message: "Only a manager or the store owner can download a privacy export." };
  }
  return prisma.$transaction(async (tx) => {
    const locked = await tx.$queryRaw<Array<{ id: string }>>`
      SELECT id::text FROM "ComplianceRequest"
      WHERE id = ${requestId}::uuid AND shop = ${shop} AND kind = 'CUSTOMER_DATA_REQUEST' FOR UPDATE`;
    if (locked.length === 0) return { ok: false as const, status: 404 as const, message: "No such data request." };
    const request = await tx.complianceRequest.findUniqueOrThrow({ where: { id: requestId } });
    const now = clock().now();
    if (request.export === null || (request.exportExpiresAt && request.exportExpiresAt <= now)) {
      return {
        ok: false as const,
        status: 410 as const,
        message: "This export was already downloaded or has expired.",
      };
    }
    await tx.complianceRequest.update({
      where: { id: requestId },
      data: { export: Prisma.DbNull, deliveredAt: now, deliveredBy: staff.userId },
    });
    await recordAudit(tx, {
      shop,
      actor: { userId: staff.userId, name: staff.name ?? null, level },
      action: EXPORT_DOWNLOAD_ACTION,
      subject: requestId,
      at: now,
    });
    const customerId = request.customerGid?.split("/").pop() ?? "customer";
    return {
      ok: true as const,
      filename: `amends-data-request-${customerId}-${request.completedAt.toISOString().slice(0, 10)}.json`,
      body: JSON.stringify(request.export, null, 2),
    };
  });
}

/** Delete the exports whose 30 days are over; returns how many. */
export async function purgeExpiredExports(now: Date): Promise<number> {
  return prisma.$executeRaw`
    UPDATE "ComplianceRequest" SET export = NULL
    WHERE "exportExpiresAt" <= ${now} AND export IS NOT NULL`;
}

/** Data requests whose export waits for a download: how many, and when the first one is deleted. */
export interface WaitingDataRequests {
  count: number;
  /** The earliest export's deletion time (ISO): after it, that request cannot be answered. */
  earliestExpiry: string;
}

/**
 * The shop's data requests still waiting for a staff member to download their export (not yet
 * downloaded, not expired), for the notice on the dashboard and the count in the navigation.
 * Counts and a date only: nothing that names a customer.
 */
export async function waitingDataRequests(shop: string, now: Date): Promise<WaitingDataRequests | null> {
  const [row] = await prisma.$queryRaw<Array<{ count: number; earliest: Date | null }>>`
    SELECT count(*)::int AS count, min("exportExpiresAt") AS earliest FROM "ComplianceRequest"
    WHERE shop = ${shop} AND kind = 'CUSTOMER_DATA_REQUEST' AND export IS NOT NULL
      AND "exportExpiresAt" > ${now}`;
  if (!row || row.count === 0 || !row.earliest) return null;
  return { count: row.count, earliestExpiry: row.earliest.toISOString() };
}
