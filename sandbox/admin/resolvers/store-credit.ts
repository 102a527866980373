/**
 * Store credit: crediting by customer or account id, with Shopify's error
 * codes, and reading accounts with their transactions. A customer's account
 * is created on the first credit in that currency; the sandbox supports only
 * the shop's own currency (it has no markets), so another currency for a new
 * account is UNSUPPORTED_CURRENCY.
 */
import type { StoreCreditAccount, StoreCreditTransaction } from "../../store";
import type { AdminContext } from "../context";
import { notModelled } from "../errors";
import { connection } from "./connection";
import { accountBalance, transactionViews, type TransactionView } from "./store-credit-view";
import {
  gidOf,
  iso,
  moneyV2,
  parseDate,
  parseGid,
  refuseUnmodelledInput,
  typed,
  type Args,
  type ResolverMap,
  type TypeResolvers,
} from "./util";

const TRANSACTION_TYPES: Record<StoreCreditTransaction["kind"], string> = {
  credit: "StoreCreditAccountCreditTransaction",
  debit: "StoreCreditAccountDebitTransaction",
  expiration: "StoreCreditAccountExpirationTransaction",
};

const StoreCreditAccount: TypeResolvers<StoreCreditAccount> = {
  id: (a) => gidOf("StoreCreditAccount", a.id),
  balance: (a) => moneyV2(accountBalance(a), a.currency),
  owner: (a, _args, ctx) => {
    const customer = ctx.shop.customers.get(a.customerId);
    return customer ? typed("Customer", customer) : null;
  },
  transactions: (a, args) => {
    if (typeof args.query === "string" && args.query.trim())
      throw notModelled("StoreCreditAccount.transactions(query:)");
    if (args.sortKey !== undefined && args.sortKey !== "CREATED_AT")
      throw notModelled(`StoreCreditAccount.transactions(sortKey: ${String(args.sortKey)})`);
    const views = transactionViews(a).map((view) => typed(TRANSACTION_TYPES[view.tx.kind], view));
    if (args.reverse === true) views.reverse();
    return connection({
      items: views,
      args,
      key: (v) => ({ id: Number(v.tx.id), value: v.tx.createdAt.getTime() }),
      descending: args.reverse === true,
    });
  },
};

const common: TypeResolvers<TransactionView> = {
  account: (v) => v.account,
  amount: (v) => moneyV2(v.amount, v.account.currency),
  balanceAfterTransaction: (v) => moneyV2(v.balanceAfter, v.account.currency),
  createdAt: (v) => iso(v.tx.createdAt),
  // StoreCreditSystemEvent has no plain "credit": merchant or app credits are adjustments.
  event: (v) => (v.tx.kind === "debit" ? "ORDER_PAYMENT" : "ADJUSTMENT"),
  origin: () => null,
};

const StoreCreditAccountCreditTransaction: TypeResolvers<TransactionView> = {
  ...common,
  id: (v) => gidOf("StoreCreditAccountCreditTransaction", v.tx.id),
  expiresAt: (v) => iso(v.tx.expiresAt),
  remainingAmount: (v) => moneyV2(v.tx.remaining, v.account.currency),
};

const StoreCreditAccountDebitTransaction: TypeResolvers<TransactionView> = {
  ...common,
  id: (v) => gidOf("StoreCreditAccountDebitTransaction", v.tx.id),
};

const StoreCreditAccountExpirationTransaction: TypeResolvers<TransactionView> = { ...common };

interface CreditInput {
  creditAmount: { amount: string | number; currencyCode: string };
  expiresAt?: string | null;
  notify?: boolean | null;
}

interface CreditError {
  field: string[] | null;
  code: string;
  message: string;
}

function storeCreditAccountCredit(_root: unknown, args: Args, ctx: AdminContext) {
  const input = args.creditInput as CreditInput;
  refuseUnmodelledInput(input, ["creditAmount", "expiresAt", "notify"], "StoreCreditAccountCreditInput");
  const errors: CreditError[] = [];
  const fail = (field: string[] | null, code: string, message: string) => {
    errors.push({ field, code, message });
    return { storeCreditAccountTransaction: null, userErrors: errors };
  };
  const target = parseGid(args.id);
  const currency = input.creditAmount.currencyCode;
  let account: StoreCreditAccount | undefined;
  let customerId: string;
  if (target.type === "StoreCreditAccount") {
    account = ctx.shop.storeCreditAccounts.get(target.id);
    if (!account) return fail(["id"], "ACCOUNT_NOT_FOUND", "Store credit account does not exist.");
    customerId = account.customerId;
    if (account.currency !== currency) {
      errors.push({
        field: ["creditInput", "creditAmount", "currencyCode"],
        code: "MISMATCHING_CURRENCY",
        message: "The currency provided does not match the currency of the store credit account.",
      });
    }
  } else if (target.type === "Customer") {
    if (!ctx.shop.customers.has(target.id)) return fail(["id"], "OWNER_NOT_FOUND", "Owner does not exist.");
    customerId = target.id;
    account = [...ctx.shop.storeCreditAccounts.values()].find(
      (a) => a.customerId === customerId && a.currency === currency,
    );
    if (!account && currency !== ctx.shop.currency) {
      errors.push({
        field: ["creditInput", "creditAmount", "currencyCode"],
        code: "UNSUPPORTED_CURRENCY",
        message: "The currency provided is not currently supported.",
      });
    }
  } else if (target.type === "CompanyLocation") {
    throw notModelled("store credit for B2B company locations");
  } else {
    return fail(["id"], "OWNER_NOT_FOUND", "Owner does not exist.");
  }

  const amount = Number(input.creditAmount.amount);
  if (!(amount > 0))
    errors.push({
      field: ["creditInput", "creditAmount", "amount"],
      code: "NEGATIVE_OR_ZERO_AMOUNT",
      message: "A positive amount must be used to credit a store credit account.",
    });
  const expiresAt = parseDate(input.expiresAt);
  if (expiresAt && expiresAt <= ctx.now)
    errors.push({
      field: ["creditInput", "expiresAt"],
      code: "EXPIRES_AT_IN_PAST",
      message: "The expiry date must be in the future.",
    });
  if (errors.length) return { storeCreditAccountTransaction: null, userErrors: errors };

  if (!account) {
    account = { id: ctx.store.newId(), customerId, currency, transactions: [] };
    ctx.shop.storeCreditAccounts.set(account.id, account);
  }
  const value = amount.toFixed(2);
  const tx: StoreCreditTransaction = {
    id: ctx.store.newId(),
    kind: "credit",
    amount: value,
    createdAt: ctx.now,
    expiresAt,
    remaining: value,
    orderId: null,
  };
  account.transactions.push(tx);
  if (input.notify === true) {
    ctx.shop.notifications.push({ kind: "STORE_CREDIT", customerId, resourceId: tx.id, sentAt: ctx.now });
  }
  const view = transactionViews(account).find((v) => v.tx === tx)!;
  return { storeCreditAccountTransaction: view, userErrors: [] };
}

export const storeCreditResolvers: ResolverMap = {
  StoreCreditAccount,
  StoreCreditAccountCreditTransaction,
  StoreCreditAccountDebitTransaction,
  StoreCreditAccountExpirationTransaction,
};

export const storeCreditQueries = {
  storeCreditAccount: (_root: unknown, args: Args, ctx: AdminContext) => {
    const gid = parseGid(args.id);
    return (gid.type === "StoreCreditAccount" && ctx.shop.storeCreditAccounts.get(gid.id)) || null;
  },
};

export const storeCreditMutations = { storeCreditAccountCredit };
