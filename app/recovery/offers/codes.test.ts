import { expect, test } from "vitest";
import { CODE_ALPHABET, codeFromDraws, codeLengthFor, groupCode, isDerivedIssueKey, maskCode } from "./codes";

test("codes use an alphabet without look-alikes, and fit Shopify's gift card rule (8-20 letters and digits)", () => {
  expect(CODE_ALPHABET).not.toMatch(/[01ILOU]/);
  expect(new Set(CODE_ALPHABET).size).toBe(CODE_ALPHABET.length);
  for (const kind of ["GIFT_CARD", "DISCOUNT_PERCENT", "DISCOUNT_FIXED", "GIFT_PRODUCT"] as const) {
    const code = codeFromDraws(codeLengthFor(kind), (n) => n - 1);
    expect(code).toMatch(/^[a-z0-9]{8,20}$/i);
  }
  expect(codeFromDraws(4, () => 0)).toBe("2222");
});

test("staff see the last four; a revealed code reads in groups of four", () => {
  expect(maskCode("7KQ2XH4PM9TD3WRA")).toBe("•••• 3WRA");
  expect(maskCode(null)).toBeNull();
  expect(groupCode("7KQ2XH4PM9TD3WRA")).toBe("7KQ2 XH4P M9TD 3WRA");
});

test("a key derived from the offer id is recognised; a random one is not", () => {
  const id = "6b0b6e58-3d3c-4c55-9a51-3a2f1f2b9c11";
  expect(isDerivedIssueKey("amends6b0b6e583d3c", id)).toBe(true);
  expect(isDerivedIssueKey("7KQ2XH4PM9TD", id)).toBe(false);
});
