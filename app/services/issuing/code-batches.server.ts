/**
 * Codes added to one group discount together (issue 15, decision 0024): offers issued within a short
 * window for the same Shopify discount share one customer add, one asynchronous code add and its
 * read-back, instead of paying the two mutations (10 points each) and the polls per offer.
 *
 * Each offer still gets its own outcome, for its own code: a per-code refusal fails only that offer,
 * and a call that failed as a whole reaches every member, which then takes the one-offer path of
 * issueGroupedCode (a lost answer is looked up per code). Exactly once still rests on the code: it
 * is the offer's issue key, unique in the shop, and Shopify refuses a second add of it as TAKEN.
 *
 * Like a group commit, a discount has at most one batch in flight per process: codes that arrive
 * while one is being sent wait and go together in the next, so under load batches grow by
 * themselves, and a lone offer waits only the short window. The batching is per process: offers
 * issued by different workers at the same moment go in separate batches, which costs points but
 * never correctness.
 *
 * Shopify adds the codes asynchronously (a second or more). Nobody waits for it here: once the code
 * add is accepted, the batch enqueues one delayed check-code-add job for it (in the database, so a
 * restart loses nothing) and every member's issue job ends, its offer still ISSUING. That job reads
 * the add back on BULK_ADD_POLL_MS and records each offer's outcome (code-add-check.server.ts,
 * decision 0029). Worker slots are never held waiting for Shopify.
 */
import { clock, sleep } from "../../clock.server";
import { prisma } from "../../db.server";
import { enqueue } from "../../queue/enqueue.server";
import { DISCOUNT_GROUP_CAPACITY, maskCode } from "../../recovery";
import type { AdminClient } from "../../shopify/admin-client.server";
import { UserErrorsError } from "../../shopify/admin-errors";
import { discountCustomersAdd } from "../../shopify/operations/discount-customers-add";
import { discountRedeemCodeBulkAdd } from "../../shopify/operations/discount-redeem-code-bulk-add";
import { discountRedeemCodeBulkCreation } from "../../shopify/operations/discount-redeem-code-bulk-creation";

/**
 * How long (app clock) a batch stays open after its first code: long enough for the offers of a
 * burst to meet, short against the debounce and the polls that follow.
 */
export const CODE_BATCH_WINDOW_MS = 200;

/**
 * Waits (app time) before each read of an asynchronous code add: about 17.5 s in all. Shopify runs
 * a small job within seconds, so the reads are close together from 1 s to 2.5 s, then back off; a
 * job that takes longer than the last read is given up: its offers go back to APPROVED and are
 * issued again, which looks the code up first. Each read asks only the counts (1 point).
 */
export const BULK_ADD_POLL_MS = [1_000, 500, 500, 500, 1_000, 2_000, 4_000, 8_000] as const;

/**
 * The bulk add did not finish within the polls (the offer's lastError when the check gives it up):
 * transient. The next attempt looks the code up first (Shopify's job
 * may have finished meanwhile) and adds it again otherwise; should both adds run, the later one is
 * refused as TAKEN and the code looked up, so the code never exists twice.
 */
export class CodeAddPendingError extends Error {
  readonly code = "CODE_ADD_PENDING";
  readonly retryable = true;
  constructor(code: string) {
    // Errors reach the log and the offer's lastError: the code only masked.
    super(`Shopify has not finished adding code ${maskCode(code)} yet`);
    this.name = "CodeAddPendingError";
  }
}

/** What became of one offer's code in its batch. */
export type BatchedCodeOutcome =
  /** Shopify accepted the code add; the check-code-add job reads it back and records the offer. */
  | { kind: "SUBMITTED"; bulkCreationGid: string }
  /** The customer add failed: nothing was added for any member. */
  | { kind: "CUSTOMERS_FAILED"; error: unknown }
  /** The code add failed as a whole (it may have made the codes: look them up). */
  | { kind: "CODES_FAILED"; error: unknown };

/** What Shopify's finished add says about one code. */
export type CodeAddResult = { kind: "ADDED" } | { kind: "CODE_REFUSED"; error: UserErrorsError };

/** The offer whose code a batch member is: the check-code-add job records it, guarded by its attempt. */
export interface BatchedOffer {
  offerId: string;
  /** The offer's issue attempt that sent the code (its `attempts` after the claim). */
  attempt: number;
}

interface Member extends BatchedOffer {
  code: string;
  customerGid: string;
  settle: (outcome: BatchedCodeOutcome) => void;
}

interface Batch {
  admin: AdminClient;
  shop: string;
  discountGid: string;
  members: Member[];
  /** Its window has passed: it goes as soon as the discount has no batch in flight. */
  due: boolean;
}

/** Per shop and discount: the batch taking codes, and whether one is in flight. */
interface Lane {
  open: Batch | null;
  inFlight: boolean;
}

const lanes = new Map<string, Lane>();

/** Codes waiting in the open batch of a discount (for tests that hold the window). */
export function waitingCodes(shop: string, discountGid: string): number {
  return lanes.get(`${shop}|${discountGid}`)?.open?.members.length ?? 0;
}

/**
 * Add the customer and then the code to the discount, together with the other codes for the same
 * discount that arrive within the window. Never rejects: the outcome says what happened.
 */
export function addCodeInBatch(
  admin: AdminClient,
  shop: string,
  discountGid: string,
  customerGid: string,
  code: string,
  offer: BatchedOffer,
): Promise<BatchedCodeOutcome> {
  return new Promise((settle) => {
    const key = `${shop}|${discountGid}`;
    const lane = lanes.get(key) ?? { open: null, inFlight: false };
    lanes.set(key, lane);
    let batch = lane.open;
    if (!batch) {
      const created: Batch = { admin, shop, discountGid, members: [], due: false };
      batch = created;
      lane.open = created;
      void sleep(CODE_BATCH_WINDOW_MS).then(() => {
        created.due = true;
        pump(key);
      });
    }
    batch.members.push({ ...offer, code, customerGid, settle });
    // A discount holds at most DISCOUNT_GROUP_CAPACITY customers, so a batch never outgrows one page.
    if (batch.members.length >= DISCOUNT_GROUP_CAPACITY) {
      batch.due = true;
      pump(key);
    }
  });
}

/** Send the discount's open batch if it is due and none is in flight; the next follows when it settles. */
function pump(key: string): void {
  const lane = lanes.get(key);
  const batch = lane?.open;
  if (!lane || !batch || !batch.due || lane.inFlight) return;
  lane.open = null;
  lane.inFlight = true;
  void run(batch)
    .catch((error: unknown) => {
      for (const m of batch.members) m.settle({ kind: "CODES_FAILED", error });
    })
    .finally(() => {
      lane.inFlight = false;
      if (lane.open) pump(key);
      else lanes.delete(key);
    });
}

async function run(batch: Batch): Promise<void> {
  const { admin, discountGid, members } = batch;
  // A code never exists before its customer may use it: customers first, then codes.
  try {
    await admin.run(discountCustomersAdd, {
      id: discountGid,
      customerIds: [...new Set(members.map((m) => m.customerGid))],
    });
  } catch (error) {
    // Shopify refused the call over one member (a customer it no longer has, say): each member
    // alone, so only that one fails.
    if (error instanceof UserErrorsError && members.length > 1) return runEachAlone(batch);
    for (const m of members) m.settle({ kind: "CUSTOMERS_FAILED", error });
    return;
  }
  let bulkCreationGid: string;
  try {
    const { discountRedeemCodeBulkAdd: added } = await admin.run(discountRedeemCodeBulkAdd, {
      discountId: discountGid,
      codes: members.map((m) => m.code),
    });
    bulkCreationGid = added.bulkCreation.id;
  } catch (error) {
    if (error instanceof UserErrorsError && members.length > 1) return runEachAlone(batch);
    for (const m of members) m.settle({ kind: "CODES_FAILED", error });
    return;
  }
  try {
    await enqueueCodeAddCheck({
      v: 1,
      shop: batch.shop,
      discountGid,
      bulkCreationGid,
      offers: members.map(({ offerId, attempt }) => ({ offerId, attempt })),
      poll: 0,
    });
  } catch (error) {
    // Shopify has the add but nothing will read it back: each attempt fails transiently and its
    // retry looks the code up first (it exists once Shopify's job has run).
    for (const m of members) m.settle({ kind: "CODES_FAILED", error });
    return;
  }
  for (const m of members) m.settle({ kind: "SUBMITTED", bulkCreationGid });
}

async function runEachAlone(batch: Batch): Promise<void> {
  for (const member of batch.members) await run({ ...batch, members: [member] });
}

export interface CodeAddCheck {
  v: 1;
  shop: string;
  discountGid: string;
  bulkCreationGid: string;
  offers: BatchedOffer[];
  /** Which read of BULK_ADD_POLL_MS this is. */
  poll: number;
}

/** The read of a code add at `check.poll`, BULK_ADD_POLL_MS[poll] from now (app time). */
export async function enqueueCodeAddCheck(check: CodeAddCheck): Promise<void> {
  const wait = BULK_ADD_POLL_MS[check.poll];
  if (wait === undefined) throw new Error(`no read ${check.poll} of a code add`);
  await prisma.$transaction((tx) =>
    enqueue(tx, "check-code-add", check, {
      runAt: new Date(clock().now().getTime() + wait),
      jobKey: `check-code-add:${check.bulkCreationGid}`,
    }),
  );
}

/**
 * Read an asynchronous add once: null while Shopify is still at it, else an outcome per code. The
 * counts alone (1 point) when every code was imported; the codes page only when some failed.
 */
export async function readCodeAdd(
  admin: AdminClient,
  bulkCreationGid: string,
  codes: string[],
): Promise<Map<string, CodeAddResult> | null> {
  const first = Math.max(1, codes.length);
  const { discountRedeemCodeBulkCreation: status } = await admin.run(discountRedeemCodeBulkCreation, {
    id: bulkCreationGid,
    first,
    withCodes: false,
  });
  if (!status) throw new Error(`Shopify has no bulk code creation ${bulkCreationGid}`);
  if (!status.done) return null;
  // Every code imported: nothing to look at per code.
  if (status.failedCount === 0 && status.importedCount === status.codesCount)
    return new Map(codes.map((code) => [code, { kind: "ADDED" }]));
  const { discountRedeemCodeBulkCreation: creation } = await admin.run(discountRedeemCodeBulkCreation, {
    id: bulkCreationGid,
    first: Math.max(first, status.codesCount),
    withCodes: true,
  });
  if (!creation?.codes) throw new Error(`Shopify has no bulk code creation ${bulkCreationGid}`);
  const nodes = creation.codes.nodes;
  const outcomes = new Map<string, CodeAddResult>();
  for (const code of codes) {
    const result = nodes.find((n) => n.code.toLowerCase() === code.toLowerCase());
    if (result && result.errors.length > 0)
      outcomes.set(code, {
        kind: "CODE_REFUSED",
        error: new UserErrorsError(
          "AmendsDiscountRedeemCodeBulkAdd",
          result.errors.map((e) => ({ ...e, code: e.code ?? null })),
        ),
      });
    else if (!result)
      outcomes.set(code, {
        kind: "CODE_REFUSED",
        error: new UserErrorsError("AmendsDiscountRedeemCodeBulkAdd", [
          { field: ["codes"], code: "INVALID", message: `code ${maskCode(code)} was not added` },
        ]),
      });
    else outcomes.set(code, { kind: "ADDED" });
  }
  return outcomes;
}
