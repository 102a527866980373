/**
 * A customer's store credit account in one currency with its latest
 * transactions (newest first), to reconcile a credit whose response was lost.
 * Shopify records no origin for an app's credit (`origin` is only ever an
 * order transaction), so a credit is recognised by amount, expiry and time:
 * findCredit() below.
 */
import { z } from "zod";
import { defineOperation } from "../operation";
import { currencyCode, dateTime, gid, moneyV2 } from "../scalars";
import { term } from "../search-query";

export const STORE_CREDIT_ACCOUNT_TRANSACTIONS_QUERY = `#graphql
  query AmendsStoreCreditAccountTransactions($customerId: ID!, $accountQuery: String!) {
    customer(id: $customerId) {
      id
      storeCreditAccounts(first: 1, query: $accountQuery) {
        nodes {
          id
          balance { amount currencyCode }
          transactions(first: 25, sortKey: CREATED_AT, reverse: true) {
            nodes {
              __typename
              amount { amount currencyCode }
              createdAt
              ... on StoreCreditAccountCreditTransaction {
                id
                expiresAt
                remainingAmount { amount currencyCode }
              }
            }
          }
        }
      }
    }
  }
`;

const creditTransaction = z.object({
  __typename: z.literal("StoreCreditAccountCreditTransaction"),
  id: gid("StoreCreditAccountCreditTransaction"),
  amount: moneyV2,
  createdAt: dateTime,
  expiresAt: dateTime.nullable(),
  remainingAmount: moneyV2,
});
const otherTransaction = z.object({ __typename: z.string(), amount: moneyV2, createdAt: dateTime });

const storeCreditAccountTransactionsData = z.object({
  customer: z
    .object({
      id: gid("Customer"),
      storeCreditAccounts: z.object({
        nodes: z.array(
          z.object({
            id: gid("StoreCreditAccount"),
            balance: moneyV2,
            transactions: z.object({ nodes: z.array(z.union([creditTransaction, otherTransaction])) }),
          }),
        ),
      }),
    })
    .nullable(),
});
type StoreCreditAccountTransactions = z.output<typeof storeCreditAccountTransactionsData>;
type StoreCreditCredit = z.output<typeof creditTransaction>;

export const storeCreditAccountTransactions = defineOperation({
  document: STORE_CREDIT_ACCOUNT_TRANSACTIONS_QUERY,
  variables: z
    .object({ customerId: gid("Customer"), currencyCode })
    .transform(({ customerId, currencyCode: currency }) => ({
      customerId,
      accountQuery: term("currency_code", currency).text,
    })),
  data: storeCreditAccountTransactionsData,
});

const cents = (amount: string) => Math.round(Number(amount) * 100);

/**
 * The credit Amends made, if it is there: a credit of exactly `amount` made
 * at or after `since` (when the first attempt was sent, less clock skew),
 * with the same expiry. Several matches mean something else credited the
 * same amount at the same time; the caller treats that as "found" only if it
 * records the transaction ids it already owns.
 */
export function findCredits(
  data: StoreCreditAccountTransactions,
  match: { amount: string; since: Date; expiresAt: Date | null },
): StoreCreditCredit[] {
  const transactions = data.customer?.storeCreditAccounts.nodes[0]?.transactions.nodes ?? [];
  return transactions.filter(
    (t): t is StoreCreditCredit =>
      t.__typename === "StoreCreditAccountCreditTransaction" &&
      "id" in t &&
      cents(t.amount.amount) === cents(match.amount) &&
      t.createdAt.getTime() >= match.since.getTime() &&
      (t.expiresAt?.getTime() ?? null) === (match.expiresAt?.getTime() ?? null),
  );
}
