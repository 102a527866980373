/**
 * What the loop's Admin API operations ask Shopify for, as the sandbox prices them before running
 * them (Shopify's documented rules: objects 1, connections 2 + page size x node, mutations 10).
 * Issue 15 set a budget of 150 requested points per incident; a change that makes a read wider or
 * a page longer fails here, before a benchmark shows it.
 */
import { getVariableValues, parse, type FragmentDefinitionNode, type OperationDefinitionNode } from "graphql";
import { expect, test } from "vitest";
import { requestedQueryCost } from "../../sandbox/admin/cost";
import { adminSchema } from "../../sandbox/admin/schema";
import type { Operation } from "../../app/shopify/operation";
import { customerValue } from "../../app/shopify/operations/customer-value";
import { discountCustomersAdd } from "../../app/shopify/operations/discount-customers-add";
import { discountRedeemCodeBulkAdd } from "../../app/shopify/operations/discount-redeem-code-bulk-add";
import { discountRedeemCodeBulkCreation } from "../../app/shopify/operations/discount-redeem-code-bulk-creation";
import { orderForRecovery } from "../../app/shopify/operations/order-for-recovery";
import { orderLines } from "../../app/shopify/operations/order-lines";
import { recentShippedOrders } from "../../app/shopify/operations/recent-shipped-orders";
import { BULK_ADD_POLL_MS } from "../../app/services/issuing/code-batches.server";

/** The requested cost of an operation with the variables the app sends (parsed by the operation's own schema). */
function requested(operation: Operation, variables: Record<string, unknown>): number {
  const document = parse(operation.document);
  const definition = document.definitions.find((d): d is OperationDefinitionNode => d.kind === "OperationDefinition");
  if (!definition) throw new Error("no operation in the document");
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const d of document.definitions) if (d.kind === "FragmentDefinition") fragments[d.name.value] = d;
  const schema = adminSchema();
  const sent = (operation.variables?.parse(variables) ?? {}) as Record<string, unknown>;
  const coerced = getVariableValues(schema, definition.variableDefinitions ?? [], sent);
  if (coerced.errors) throw new Error(coerced.errors.map((e) => e.message).join("; "));
  return requestedQueryCost({ schema, operation: definition, fragments, variables: coerced.coerced });
}

const DISCOUNT = "gid://shopify/DiscountCodeNode/1";
const customerIds = (n: number) => Array.from({ length: n }, (_, i) => `gid://shopify/Customer/${i + 1}`);
const codes = (n: number) => Array.from({ length: n }, (_, i) => `AMENDS-CODE-${i + 1}`);

test("the order read asks for 115 points: small pages of only what detection and the decision use (was 461)", () => {
  // order 1, customer 1, two money bags 2 each; lineItems 2 + 5 x (1 + product 1) = 12;
  // fulfillmentOrders 2 + 5 x (1 + deliveryMethod 1 + assignedLocation 1) = 17; fulfillments
  // 5 x (1 + trackingInfo 1 + events 2 + 9) = 65; refunds 5 x (1 + totalRefundedSet 2) = 15.
  // The assigned location (root causes, decision 0124) was paid for with each parcel's tenth event.
  expect(requested(orderForRecovery, { id: "gid://shopify/Order/1" })).toBe(115);
});

test("the reconcile's page of shipped orders asks for 332 points: 5 orders, 5 parcels, 10 events each", () => {
  // orders 2 + 5 x (1 + fulfillments 5 x (1 + events 2 + 10)) = 332: a third of a 1,000-point bucket.
  expect(requested(recentShippedOrders, { since: new Date("2026-11-01T00:00:00Z") })).toBe(332);
});

test("an incident that issues a code alone stays within 150 requested points", () => {
  const order = requested(orderForRecovery, { id: "gid://shopify/Order/1" });
  const value = requested(customerValue, { id: "gid://shopify/Customer/1" });
  const customersAdd = requested(discountCustomersAdd, { id: DISCOUNT, customerIds: customerIds(1) });
  const codeAdd = requested(discountRedeemCodeBulkAdd, { discountId: DISCOUNT, codes: codes(1) });
  // The read-back polls the counts only (1 point a read; the sandbox's job takes about 4 reads).
  const poll = requested(discountRedeemCodeBulkCreation, {
    id: "gid://shopify/DiscountRedeemCodeBulkCreation/1",
    first: 1,
    withCodes: false,
  });
  expect({ value, customersAdd, codeAdd, poll }).toEqual({ value: 3, customersAdd: 10, codeAdd: 10, poll: 1 });
  expect(order + value + customersAdd + codeAdd + BULK_ADD_POLL_MS.length * poll).toBeLessThanOrEqual(150);
});

test("a batch of codes costs what one code costs for its mutations; only the per-code page (read when some failed) grows, by 3 a code", () => {
  for (const n of [1, 10, 100]) {
    expect(requested(discountCustomersAdd, { id: DISCOUNT, customerIds: customerIds(n) })).toBe(10);
    expect(requested(discountRedeemCodeBulkAdd, { discountId: DISCOUNT, codes: codes(n) })).toBe(10);
    expect(
      requested(discountRedeemCodeBulkCreation, { id: "gid://shopify/DiscountRedeemCodeBulkCreation/1", first: n }),
    ).toBe(4 + 3 * n);
    expect(
      requested(discountRedeemCodeBulkCreation, {
        id: "gid://shopify/DiscountRedeemCodeBulkCreation/1",
        first: n,
        withCodes: false,
      }),
    ).toBe(1);
  }
});

test("a replacement's order lines ask for 313 points, read only when the decision's cell is a replacement", () => {
  // order 1; lineItems 2 + 20 x (1 + variant 1 + originalUnitPriceSet 2) = 82; fulfillments 5 x (1 +
  // fulfillmentLineItems 2 + 10 x (1 + lineItem 1)) = 115; refunds the same, 115.
  expect(requested(orderLines, { id: "gid://shopify/Order/1" })).toBe(313);
});
