import { expect, test } from "vitest";
import { classifyTier, describeTier, tierSettingsSchema } from "./tiers";

test.each([
  [null, "NEW"],
  [{ numberOfOrders: 1, amountSpentMinor: 5_000 }, "NEW"],
  [{ numberOfOrders: 2, amountSpentMinor: 9_000 }, "NEW"], // one earlier order
  [{ numberOfOrders: 3, amountSpentMinor: 12_000 }, "REGULAR"],
  [{ numberOfOrders: 4, amountSpentMinor: 39_999 }, "REGULAR"],
  [{ numberOfOrders: 5, amountSpentMinor: 15_000 }, "LOYAL"],
  [{ numberOfOrders: 2, amountSpentMinor: 40_000 }, "LOYAL"],
  [{ numberOfOrders: 9, amountSpentMinor: 99_999 }, "LOYAL"],
  [{ numberOfOrders: 10, amountSpentMinor: 20_000 }, "VIP"],
  [{ numberOfOrders: 1, amountSpentMinor: 100_000 }, "VIP"], // a first order worth VIP money
  [{ numberOfOrders: 14, amountSpentMinor: 124_000 }, "VIP"],
])("%o is %s with the default thresholds", (customer, tier) => {
  expect(classifyTier(customer).tier).toBe(tier);
});

test("a guest is NEW and is described as a guest", () => {
  const guest = classifyTier(null);
  expect(guest).toEqual({ tier: "NEW", guest: true, amountSpentMinor: 0, numberOfOrders: 0 });
  expect(describeTier(guest, "USD")).toBe("NEW: guest checkout");
});

test("the description reads like the documented example (decision 0099 §6)", () => {
  expect(describeTier(classifyTier({ numberOfOrders: 14, amountSpentMinor: 124_000 }), "USD")).toBe(
    "VIP: $1,240 spent in 14 orders",
  );
  expect(describeTier(classifyTier({ numberOfOrders: 1, amountSpentMinor: 1_999 }), "EUR", "fr")).toBe(
    "NEW: 19,99\u00a0€ spent in 1 order",
  );
});

test("shop thresholds replace the defaults and are validated", () => {
  const settings = tierSettingsSchema.parse({
    newMaxEarlierOrders: 0,
    loyal: { minOrders: 3 },
    vip: { minOrders: 6, minSpendMinor: 50_000 },
  });
  expect(classifyTier({ numberOfOrders: 2, amountSpentMinor: 1_000 }, settings).tier).toBe("REGULAR");
  expect(classifyTier({ numberOfOrders: 3, amountSpentMinor: 1_000 }, settings).tier).toBe("LOYAL");
  expect(classifyTier({ numberOfOrders: 6, amountSpentMinor: 1_000 }, settings).tier).toBe("VIP");
  expect(tierSettingsSchema.safeParse({ vip: { minOrders: 2 } }).error?.issues[0]?.path).toEqual(["vip"]);
});
