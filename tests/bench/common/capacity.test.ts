import { describe, expect, it } from "vitest";
import { bestPassingRate, capacityOf, type CapacityStep } from "./capacity";

const steps = (...pairs: Array<[number, boolean]>): CapacityStep[] => pairs.map(([rate, passed]) => ({ rate, passed }));

describe("bench:webhooks capacity", () => {
  it.each([
    {
      name: "the search's first step fails: the best fixed rate is the capacity",
      fixed: steps([250, true], [500, true], [1000, false]),
      search: steps([750, false], [1125, false]),
      capacity: 500,
    },
    {
      name: "search steps pass above the fixed rates",
      fixed: steps([250, true], [500, true]),
      search: steps([750, true], [1125, true], [1688, false], [2532, false]),
      capacity: 1125,
    },
    {
      name: "nothing passes",
      fixed: steps([250, false]),
      search: steps([250, false], [375, false]),
      capacity: null,
    },
    {
      name: "a step passing after the first failure does not count",
      fixed: steps([250, true]),
      search: steps([375, false], [563, true]),
      capacity: 250,
    },
    { name: "no search run", fixed: steps([250, true], [500, false]), search: [], capacity: 250 },
  ])("$name", ({ fixed, search, capacity }) => {
    expect(capacityOf(fixed, search)).toBe(capacity);
  });

  it("a noisy failure between passing fixed rates keeps the highest that passed", () => {
    expect(bestPassingRate(steps([250, true], [500, false], [1000, true]))).toBe(1000);
  });
});
