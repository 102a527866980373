/**
 * One read of a shop's row per job, instead of one per question.
 *
 * A job asks about its shop several times: is it still installed (every job), does it need
 * re-authentication (before each Admin API client), what are its settings (shopContext, often from
 * more than one service). Each was its own SELECT of the same row, and each settings read parsed
 * the settings again: about 40 reads of Shop per incident in bench:loop. Inside
 * `withShopSnapshot(shop, fn)` (defineTask opens one around every job) the row of that shop is read
 * once, on first use, and shared by those readers.
 *
 * What a job sees is the row as it was when the job first asked: a settings change another process
 * saves mid-job applies from the shop's next job, as a change saved just before a job started
 * always did. Once the job writes to the row (`shopChanged`, called by every writer of Shop) the
 * snapshot is given up for the rest of the job and every read goes to the database: a write inside
 * a transaction is visible only once it commits, so no snapshot taken around it could be trusted.
 * Jobs that write their shop's row are few (uninstall, scopes, shop facts, the re-authentication
 * mark). Reads inside a transaction never use the snapshot: they go to the transaction
 * (shopContext(shop, tx), isUninstalled(tx, shop)).
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { Shop } from "@prisma/client";
import { prisma } from "../db.server";

interface Snapshot {
  shop: string;
  row?: Promise<Shop | null>;
  /** The job wrote to the row: every read from now on is fresh. */
  written?: boolean;
}

const snapshots = new AsyncLocalStorage<Snapshot>();

/** Runs `fn` with `shop`'s row read at most once (see the module comment). */
export function withShopSnapshot<T>(shop: string | undefined, fn: () => Promise<T>): Promise<T> {
  return shop === undefined ? fn() : snapshots.run({ shop }, fn);
}

const readRow = (shop: string) => prisma.shop.findUnique({ where: { shop } });

/** The shop's row: the job's snapshot when one is open for this shop, a fresh read otherwise. */
export function shopRow(shop: string): Promise<Shop | null> {
  const snapshot = snapshots.getStore();
  if (snapshot?.shop !== shop || snapshot.written) return readRow(shop);
  if (!snapshot.row) {
    const read = readRow(shop);
    snapshot.row = read;
    // A failed read is not kept: the next question reads again.
    read.catch(() => {
      if (snapshot.row === read) snapshot.row = undefined;
    });
  }
  return snapshot.row;
}

/** Every writer of Shop calls this: the job that writes reads the row afresh from then on. */
export function shopChanged(shop: string): void {
  const snapshot = snapshots.getStore();
  if (snapshot?.shop !== shop) return;
  snapshot.written = true;
  snapshot.row = undefined;
}
