/**
 * The audit trail of staff actions that change what Amends may do or reveal: settings changes
 * (before and after), gift card and discount code reveals, privacy export downloads. One table,
 * AuditEntry, written in the same transaction as the change it records.
 *
 * Never put customer personal data in `before`/`after`: settings and ids only.
 *
 * Entries are kept AUDIT_RETENTION_DAYS (default 730): the daily prune-audit-entries job deletes
 * older ones (pruneOldAuditEntries; docs/decisions/0021).
 */
import type { AuditEntry, Prisma } from "@prisma/client";
import { prisma, type Tx } from "../db.server";
import { MS_PER_DAY } from "../recovery";

export interface AuditActor {
  /** Shopify user id of the staff member, or "system". */
  userId: string;
  name?: string | null;
  /** OWNER / MANAGER / STAFF at the time of the action. */
  level?: string | null;
}

export interface AuditRecord {
  shop: string;
  actor: AuditActor;
  action: string;
  subject?: string | null;
  before?: unknown;
  after?: unknown;
  at: Date;
}

const json = (value: unknown): Prisma.InputJsonValue | undefined =>
  value === undefined ? undefined : (JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue);

export async function recordAudit(tx: Tx, record: AuditRecord): Promise<AuditEntry> {
  return tx.auditEntry.create({
    data: {
      shop: record.shop,
      actor: record.actor.userId,
      actorName: record.actor.name ?? null,
      actorRole: record.actor.level ?? null,
      action: record.action,
      subject: record.subject ?? null,
      before: json(record.before),
      after: json(record.after),
      at: record.at,
    },
  });
}

/** The shop's latest entries, newest first, optionally of some actions only. */
export async function recentAudit(
  tx: Tx,
  shop: string,
  options: { actions?: string[]; take?: number } = {},
): Promise<AuditEntry[]> {
  return tx.auditEntry.findMany({
    where: { shop, ...(options.actions ? { action: { in: options.actions } } : {}) },
    orderBy: [{ at: "desc" }, { id: "desc" }],
    take: options.take ?? 50,
  });
}

/**
 * Delete the audit entries older than `days` (every shop), in batches of 1,000 so one statement
 * never holds thousands of row locks; returns how many went.
 */
export async function pruneOldAuditEntries(now: Date, days: number): Promise<number> {
  const cutoff = new Date(now.getTime() - days * MS_PER_DAY);
  let deleted = 0;
  for (;;) {
    const n = await prisma.$executeRaw`
      DELETE FROM "AuditEntry" WHERE ctid = ANY(ARRAY(
        SELECT ctid FROM "AuditEntry" WHERE at < ${cutoff}::timestamptz LIMIT 1000))`;
    deleted += n;
    if (n < 1000) return deleted;
  }
}
