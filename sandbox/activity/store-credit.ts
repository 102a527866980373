/**
 * Store credit accounts as Shopify runs them: credits may expire; a debit
 * spends the soonest-expiring credit first (credits without expiry last); an
 * expired credit's unspent rest leaves the balance as an expiration
 * transaction. Debits and expirations are written with negative amounts, so
 * the balance is both the sum of all amounts and the sum of what remains.
 */
import {
  money,
  type Id,
  type SandboxStore,
  type ShopState,
  type StoreCreditAccount,
  type StoreCreditTransaction,
} from "../store";
import { SandboxError } from "./errors";

export function storeCreditAccountOf(shop: ShopState, customerId: Id): StoreCreditAccount | undefined {
  for (const account of shop.storeCreditAccounts.values()) if (account.customerId === customerId) return account;
  return undefined;
}

export function ensureStoreCreditAccount(store: SandboxStore, shop: ShopState, customerId: Id): StoreCreditAccount {
  const existing = storeCreditAccountOf(shop, customerId);
  if (existing) return existing;
  const account: StoreCreditAccount = { id: store.newId(), customerId, currency: shop.currency, transactions: [] };
  shop.storeCreditAccounts.set(account.id, account);
  return account;
}

const isLive = (t: StoreCreditTransaction, at: Date) =>
  t.kind === "credit" && (t.expiresAt === null || t.expiresAt.getTime() > at.getTime());

/** Record the expiry of every credit that lapsed by `at` with money left on it. */
export function expireLapsedCredits(
  store: SandboxStore,
  account: StoreCreditAccount,
  at: Date,
): StoreCreditTransaction[] {
  const expired: StoreCreditTransaction[] = [];
  for (const credit of [...account.transactions]) {
    if (credit.kind !== "credit" || credit.expiresAt === null || credit.expiresAt.getTime() > at.getTime()) continue;
    if (money.cents(credit.remaining) <= 0) continue;
    const expiration: StoreCreditTransaction = {
      id: store.newId(),
      kind: "expiration",
      amount: money.fromCents(-money.cents(credit.remaining)),
      createdAt: credit.expiresAt,
      expiresAt: null,
      remaining: "0.00",
      orderId: null,
    };
    credit.remaining = "0.00";
    account.transactions.push(expiration);
    expired.push(expiration);
  }
  return expired;
}

/** Spendable balance at `at` (credits expired by then do not count, recorded or not). */
export function storeCreditBalance(account: StoreCreditAccount, at: Date): string {
  let cents = 0;
  for (const t of account.transactions) if (isLive(t, at)) cents += money.cents(t.remaining);
  return money.fromCents(cents);
}

export function creditStoreCredit(
  store: SandboxStore,
  account: StoreCreditAccount,
  amount: string,
  options: { expiresAt?: Date | null; at: Date; orderId?: Id | null },
): StoreCreditTransaction {
  if (money.cents(amount) <= 0) throw new SandboxError("INVALID_INPUT", "store credit amount must be positive");
  const credit: StoreCreditTransaction = {
    id: store.newId(),
    kind: "credit",
    amount: money.fromCents(money.cents(amount)),
    createdAt: options.at,
    expiresAt: options.expiresAt ?? null,
    remaining: money.fromCents(money.cents(amount)),
    orderId: options.orderId ?? null,
  };
  account.transactions.push(credit);
  return credit;
}

/** Spend `amount` (capped at the balance) soonest-expiring credit first; returns the debit, or null when nothing was spent. */
export function debitStoreCredit(
  store: SandboxStore,
  account: StoreCreditAccount,
  amount: string,
  at: Date,
  orderId: Id | null,
): StoreCreditTransaction | null {
  expireLapsedCredits(store, account, at);
  const credits = account.transactions
    .filter((t) => isLive(t, at) && money.cents(t.remaining) > 0)
    .sort(
      (a, b) =>
        (a.expiresAt?.getTime() ?? Infinity) - (b.expiresAt?.getTime() ?? Infinity) ||
        a.createdAt.getTime() - b.createdAt.getTime(),
    );
  let left = money.cents(amount);
  let spent = 0;
  for (const credit of credits) {
    if (left <= 0) break;
    const take = Math.min(left, money.cents(credit.remaining));
    credit.remaining = money.fromCents(money.cents(credit.remaining) - take);
    left -= take;
    spent += take;
  }
  if (spent === 0) return null;
  const debit: StoreCreditTransaction = {
    id: store.newId(),
    kind: "debit",
    amount: money.fromCents(-spent),
    createdAt: at,
    expiresAt: null,
    remaining: "0.00",
    orderId,
  };
  account.transactions.push(debit);
  return debit;
}
