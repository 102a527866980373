/**
 * Audit entries (settings and grid changes, code reveals, export downloads; they name the staff
 * member) are kept AUDIT_RETENTION_DAYS (default 730), then the daily prune-audit-entries job
 * deletes them, every shop's, in batches (docs/decisions/0021).
 */
import type { JobHelpers } from "graphile-worker";
import { beforeEach, expect, test } from "vitest";
import { prisma } from "../../app/db.server";
import { env } from "../../app/env.server";
import { PRUNE_AUDIT_ENTRIES, pruneAuditEntries } from "../../app/jobs/prune-audit-entries.server";
import { taskList } from "../../app/jobs/task-list.server";
import { pruneOldAuditEntries } from "../../app/models/audit.server";
import { truncateAll } from "../helpers/db";

const DAY = 86_400_000;
const NOW = new Date("2026-06-01T12:00:00Z");
const SHOP = "amends-audit.myshopify.com";
const OTHER = "amends-audit-other.myshopify.com";

beforeEach(async () => {
  await truncateAll();
});

const entry = (shop: string, subject: string, at: Date) =>
  prisma.auditEntry.create({
    data: { shop, actor: "1001", actorName: "Sam Owner", actorRole: "OWNER", action: "settings.update", subject, at },
  });

const subjects = async () => (await prisma.auditEntry.findMany({ orderBy: { subject: "asc" } })).map((e) => e.subject);

test("entries older than the retention are deleted, in every shop; younger ones stay", async () => {
  await entry(SHOP, "a-old", new Date(NOW.getTime() - 731 * DAY));
  await entry(SHOP, "b-edge", new Date(NOW.getTime() - 729 * DAY));
  await entry(SHOP, "c-recent", new Date(NOW.getTime() - DAY));
  await entry(OTHER, "d-old", new Date(NOW.getTime() - 800 * DAY));

  expect(await pruneOldAuditEntries(NOW, 730)).toBe(2);
  expect(await subjects()).toEqual(["b-edge", "c-recent"]);
  // A shorter retention takes more; a second run finds nothing more.
  expect(await pruneOldAuditEntries(NOW, 30)).toBe(1);
  expect(await pruneOldAuditEntries(NOW, 30)).toBe(0);
  expect(await subjects()).toEqual(["c-recent"]);
});

test("more entries than one batch all go", async () => {
  const old = new Date(NOW.getTime() - 1000 * DAY);
  await prisma.auditEntry.createMany({
    data: Array.from({ length: 2_345 }, (_, i) => ({
      shop: SHOP,
      actor: "1001",
      action: "offer.code.reveal",
      subject: `o${i}`,
      at: old,
    })),
  });
  await entry(SHOP, "kept", NOW);
  expect(await pruneOldAuditEntries(NOW, 730)).toBe(2_345);
  expect(await subjects()).toEqual(["kept"]);
});

test("the daily job runs from the worker's task list with AUDIT_RETENTION_DAYS (default 730)", async () => {
  expect(env().AUDIT_RETENTION_DAYS).toBe(730);
  expect(taskList[PRUNE_AUDIT_ENTRIES]).toBe(pruneAuditEntries);
  await entry(SHOP, "old", new Date(Date.now() - 731 * DAY));
  await entry(SHOP, "young", new Date(Date.now() - 700 * DAY));
  await pruneAuditEntries(undefined, {} as JobHelpers);
  expect(await subjects()).toEqual(["young"]);
});
