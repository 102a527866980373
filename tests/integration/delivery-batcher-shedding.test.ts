/**
 * Load shedding in the inbox's group commit (decision 0031), against this file's real PostgreSQL.
 * The statement in flight is held deterministically: a second connection holds an EXCLUSIVE lock on
 * "WebhookDelivery", so the batcher's INSERT waits for it (no timing: the test waits until the
 * batcher reports the statement in flight, and the queue is whatever it queued behind it). The age
 * limit runs on a clock the test sets.
 */
import type pg from "pg";
import { afterEach, beforeEach, expect, test, vi } from "vitest";
import { ingestPool, prisma } from "../../app/db.server";
import { connectClient } from "../../app/db/pool.server";
import { env } from "../../app/env.server";
import {
  DeliveryBatcher,
  IngestOverloadedError,
  ShedLog,
  type BatcherOptions,
  type InboxRow,
  type ShedLogFields,
} from "../../app/models/delivery-batcher.server";
import { jobs, truncateAll } from "../helpers/db";
import { waitFor } from "../helpers/wait";
import { TEST_SHOP } from "../helpers/webhooks";

let holder: pg.Client | undefined;

/** Every INSERT into the inbox waits until release(). */
async function holdInbox(): Promise<void> {
  holder = await connectClient(env().DATABASE_URL!, "test-inbox-lock");
  await holder.query("BEGIN");
  await holder.query(`LOCK TABLE "WebhookDelivery" IN EXCLUSIVE MODE`);
}

async function release(): Promise<void> {
  if (!holder) return;
  await holder.query("COMMIT");
  await holder.end();
  holder = undefined;
}

beforeEach(truncateAll);
afterEach(release);

const row = (webhookId: string): InboxRow => ({
  shop: TEST_SHOP,
  webhookId,
  eventId: `ev-${webhookId}`,
  topic: "orders/create",
  apiVersion: "2026-10",
  triggeredAt: null,
  rawBody: "{}",
  source: "http",
  status: "RECEIVED",
  lastError: null,
});

function batcher(options: Partial<BatcherOptions> & { lines?: ShedLogFields[] }): DeliveryBatcher {
  const lines = options.lines ?? [];
  return new DeliveryBatcher(ingestPool, {
    maxBatch: 200,
    maxInFlight: 1,
    maxQueue: 1_000,
    maxWaitMs: 60_000,
    shedLog: new ShedLog((fields) => lines.push(fields)),
    ...options,
  });
}

async function storedIds(): Promise<string[]> {
  const rows = await prisma.webhookDelivery.findMany({ select: { webhookId: true } });
  return rows.map((r) => r.webhookId).sort();
}

test("over the queue limit a sheddable delivery is refused before anything is stored; a caller that cannot be refused is queued; the refused one is stored once when it comes back", async () => {
  const lines: ShedLogFields[] = [];
  const inbox = batcher({ maxQueue: 2, lines });
  await holdInbox();
  const a = inbox.store(row("a"), { shed: true });
  await waitFor(async () => inbox.load().inFlight === 1);
  const b = inbox.store(row("b"), { shed: true });
  const c = inbox.store(row("c"), { shed: true });
  expect(inbox.load()).toMatchObject({ queued: 2, inFlight: 1, shed: 0 });

  const refused = inbox.store(row("d"), { shed: true });
  await expect(refused).rejects.toBeInstanceOf(IngestOverloadedError);
  await expect(refused).rejects.toMatchObject({ reason: "queue-full", retryAfterSeconds: 5 });
  // A pull consumer's delivery (no `shed`) is never refused: it waits with the rest.
  const e = inbox.store(row("e"));
  expect(inbox.load()).toMatchObject({ queued: 3, inFlight: 1, shed: 1 });
  expect(lines).toEqual([
    {
      shed: 1,
      shedTotal: 1,
      reason: "queue-full",
      queued: 2,
      oldestWaitMs: expect.any(Number),
      maxQueue: 2,
      maxWaitMs: 60_000,
    },
  ]);

  await release();
  expect((await Promise.all([a, b, c, e])).map((r) => r.stored)).toEqual([true, true, true, true]);
  expect(await storedIds()).toEqual(["a", "b", "c", "e"]);

  // The backlog has drained: the refused delivery, retried, is accepted and stored once with one job.
  expect(inbox.load()).toMatchObject({ queued: 0, inFlight: 0 });
  const retried = await inbox.store(row("d"), { shed: true });
  expect(retried.stored).toBe(true);
  expect(await inbox.store(row("d"), { shed: true })).toEqual({ stored: false });
  expect(await storedIds()).toEqual(["a", "b", "c", "d", "e"]);
  const queued = (await jobs("process-webhook")).map((j) => j.payload.deliveryId);
  expect(queued.filter((id) => id === (retried.stored ? retried.id : ""))).toHaveLength(1);
  expect(queued).toHaveLength(5);
  expect(inbox.load().shed).toBe(1);
});

test("once the oldest waiting delivery has waited the limit a sheddable delivery is refused; a slow statement with nothing queued behind it refuses nothing", async () => {
  let clock = 0;
  const inbox = batcher({ maxWaitMs: 1_000, now: () => clock });
  await holdInbox();
  const a = inbox.store(row("a"), { shed: true });
  await waitFor(async () => inbox.load().inFlight === 1);

  // The statement has run "50 s": nothing waits behind it, so the next delivery is queued.
  clock = 50_000;
  const b = inbox.store(row("b"), { shed: true });
  clock = 50_999;
  const c = inbox.store(row("c"), { shed: true });
  expect(inbox.load()).toMatchObject({ queued: 2, oldestWaitMs: 999, shed: 0 });

  clock = 51_000;
  const refused = inbox.store(row("d"), { shed: true });
  await expect(refused).rejects.toMatchObject({ name: "IngestOverloadedError", reason: "queue-too-old" });
  expect(inbox.load()).toMatchObject({ queued: 2, oldestWaitMs: 1_000, shed: 1 });

  await release();
  expect((await Promise.all([a, b, c])).map((r) => r.stored)).toEqual([true, true, true]);
  // Drained: accepted again, however late the clock.
  clock = 99_000;
  expect((await inbox.store(row("d"), { shed: true })).stored).toBe(true);
  expect(await storedIds()).toEqual(["a", "b", "c", "d"]);
  expect(await jobs("process-webhook")).toHaveLength(4);
});

test("refusals are reported at most once a second, with how many, and nothing of the deliveries", () => {
  vi.useFakeTimers();
  try {
    const lines: ShedLogFields[] = [];
    const log = new ShedLog((fields) => lines.push(fields));
    const state = { reason: "queue-full" as const, queued: 9, oldestWaitMs: 12, maxQueue: 9, maxWaitMs: 1_000 };

    log.note(state);
    log.note(state);
    log.note(state);
    expect(lines.map((l) => [l.shed, l.shedTotal])).toEqual([[1, 1]]);
    vi.advanceTimersByTime(999);
    log.note(state);
    expect(lines).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(lines.map((l) => [l.shed, l.shedTotal])).toEqual([
      [1, 1],
      [3, 4],
    ]);
    // A quiet second: no line, and the next refusal is reported at once.
    vi.advanceTimersByTime(5_000);
    expect(lines).toHaveLength(2);
    log.note({ ...state, reason: "queue-full" });
    expect(lines.map((l) => [l.shed, l.shedTotal])).toEqual([
      [1, 1],
      [3, 4],
      [1, 5],
    ]);
    expect(Object.keys(lines[2]!).sort()).toEqual(
      ["maxQueue", "maxWaitMs", "oldestWaitMs", "queued", "reason", "shed", "shedTotal"].sort(),
    );
  } finally {
    vi.useRealTimers();
  }
});
