import { expect, test } from "vitest";
import { issueFailureInWords } from "./failure-words";

test("an Admin API client error loses its codes and the internal operation name, and says who refused", () => {
  expect(
    issueFailureInWords(
      "GRAPHQL_ERRORS: AmendsDiscountCodeBasicCreate: ACCESS_DENIED: Access denied for discountCodeBasicCreate field. Required access: Apps must have `write_discounts` access scope.",
    ),
  ).toBe(
    "Shopify refused the request: Access denied for discountCodeBasicCreate field. Required access: Apps must have `write_discounts` access scope.",
  );
  expect(issueFailureInWords("AMBIGUOUS: AmendsGiftCardCreate: no answer within 10000 ms")).toBe(
    "Shopify's answer was lost, so Amends cannot tell whether it was made: no answer within 10000 ms",
  );
});

test("userErrors keep Shopify's messages, without the operation, codes and fields", () => {
  expect(
    issueFailureInWords(
      "AmendsGiftCardCreate was refused: INVALID at giftCardCreate.customerId: Customer does not exist; ERROR: Note is too long",
    ),
  ).toBe("Shopify refused it: Customer does not exist; Note is too long");
});

test("Amends's own reasons are already words; an unknown leading word is not taken for a code; nothing recorded says so", () => {
  expect(
    issueFailureInWords(
      "out of stock: Thank-you card - Default Title has 0 available and the gift needs 1; restock it, then retry",
    ),
  ).toBe("Out of stock: Thank-you card - Default Title has 0 available and the gift needs 1; restock it, then retry");
  expect(issueFailureInWords("CUSTOM: something")).toBe("CUSTOM: something");
  expect(issueFailureInWords(null)).toBe("No reason was recorded: open the incident for its history");
  expect(issueFailureInWords("  ")).toBe("No reason was recorded: open the incident for its history");
});
