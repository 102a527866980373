/**
 * Store credit for a customer, in the shop's currency (the account is opened
 * on the first credit; `id` may also name the account itself). `notify`
 * sends Shopify's own email; Amends decides whether it wants that.
 * Not idempotent: after a lost response, look for the credit with
 * AmendsStoreCreditAccountTransactions before trying again.
 */
import { z } from "zod";
import { defineOperation } from "../operation";
import { currencyCode, dateTime, dateTimeInput, decimalInput, gid, moneyV2, userError } from "../scalars";

export const STORE_CREDIT_ACCOUNT_CREDIT_MUTATION = `#graphql
  mutation AmendsStoreCreditAccountCredit($id: ID!, $creditInput: StoreCreditAccountCreditInput!) {
    storeCreditAccountCredit(id: $id, creditInput: $creditInput) {
      storeCreditAccountTransaction {
        id
        amount { amount currencyCode }
        createdAt
        expiresAt
        account { id balance { amount currencyCode } }
      }
      userErrors { field code message }
    }
  }
`;

export const storeCreditAccountCredit = defineOperation({
  document: STORE_CREDIT_ACCOUNT_CREDIT_MUTATION,
  variables: z
    .object({
      /** The customer (usual), or one of their store credit accounts. */
      id: z.union([gid("Customer"), gid("StoreCreditAccount")]),
      amount: decimalInput,
      currencyCode,
      expiresAt: z.date().nullable().default(null),
      notify: z.boolean().default(false),
    })
    .transform((v) => ({
      id: v.id,
      creditInput: {
        creditAmount: { amount: v.amount, currencyCode: v.currencyCode },
        expiresAt: v.expiresAt ? dateTimeInput.parse(v.expiresAt) : null,
        notify: v.notify,
      },
    })),
  data: z.object({
    storeCreditAccountCredit: z.object({
      storeCreditAccountTransaction: z.object({
        id: gid("StoreCreditAccountCreditTransaction"),
        amount: moneyV2,
        createdAt: dateTime,
        expiresAt: dateTime.nullable(),
        account: z.object({ id: gid("StoreCreditAccount"), balance: moneyV2 }),
      }),
      userErrors: z.array(userError),
    }),
  }),
});
