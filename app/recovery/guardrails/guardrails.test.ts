import { createHash } from "node:crypto";
import fc from "fast-check";
import { expect, test } from "vitest";
import {
  canApprove,
  memberAuthority,
  whoCanApprove,
  authoritySettingsSchema,
  DEFAULT_AUTHORITY_SETTINGS,
  type StaffMember,
} from "./authority";
import { budgetCheck } from "./budget";
import { customerLimitsCheck } from "./customer-limits";
import { assignHoldout, holdoutDraw, isHeldOut, standingAssignment } from "./holdout";
import { sha256Hex } from "./sha256";

test.each(["", "abc", "a".repeat(55), "a".repeat(56), "a".repeat(64), "a".repeat(1_000), "incident-é-€-😀"])(
  "sha256 of %j matches node:crypto",
  (text) => {
    expect(sha256Hex(text)).toBe(createHash("sha256").update(text).digest("hex"));
  },
);

test("sha256 matches the FIPS 180-4 example", () => {
  expect(sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
});

test("the holdout draw is reproducible and in [0, 1)", () => {
  const draw = holdoutDraw("2f1e6c0a-8d9b-4b8e-9c61-5d5b0c1a7e11");
  expect(holdoutDraw("2f1e6c0a-8d9b-4b8e-9c61-5d5b0c1a7e11")).toBe(draw);
  expect(draw).toBeGreaterThanOrEqual(0);
  expect(draw).toBeLessThan(1);
  expect(isHeldOut(draw, 0)).toBe(false);
  expect(isHeldOut(0, 0)).toBe(false);
});

test.each([0, 0.1, 0.25])(
  "property: over 20,000 ids the held-out share converges to %f (within 1.5 points)",
  (share) => {
    const ids = fc.sample(fc.uuid(), { numRuns: 10_000, seed: 42 });
    const sequential = Array.from({ length: 10_000 }, (_, i) => `incident-${i}`); // near-identical ids too
    const all = [...ids, ...sequential];
    const held = all.filter((id) => isHeldOut(holdoutDraw(id), share)).length;
    expect(Math.abs(held / all.length - share)).toBeLessThanOrEqual(0.015);
  },
);

test("a customer's assignment stands while one incident's window reaches the next", () => {
  const at = (day: number) => new Date(Date.UTC(2026, 0, 1) + day * 86_400_000);
  const earlier = [
    { incidentId: "a", holdout: true, detectedAt: at(0) },
    { incidentId: "b", holdout: false, detectedAt: at(50) },
    { incidentId: "c", holdout: true, detectedAt: at(200) }, // after `at`: not earlier
  ];
  expect(standingAssignment(earlier, at(60), 90)?.incidentId).toBe("b"); // the latest
  expect(standingAssignment(earlier, at(140), 90)?.incidentId).toBe("b"); // day 50 + 90
  expect(standingAssignment(earlier, at(141), 90)).toBeNull(); // a window passed without one: a fresh draw
  const fresh = assignHoldout("incident-x", null, 0.1);
  expect(fresh).toEqual({
    source: "DRAW",
    holdout: isHeldOut(holdoutDraw("incident-x"), 0.1),
    draw: holdoutDraw("incident-x"),
  });
  expect(assignHoldout("incident-x", earlier[0] ?? null, 0)).toMatchObject({ source: "CUSTOMER", holdout: true });
});

test("property: with a customer's incidents assigned in order, a held-out customer never gets an offer inside a held-out window", () => {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 1, maxLength: 12 }),
      fc.uuid(),
      (days, seed) => {
        const sorted = [...days].sort((a, b) => a - b);
        const done: Array<{ incidentId: string; holdout: boolean; detectedAt: Date }> = [];
        for (const [k, day] of sorted.entries()) {
          const at = new Date(Date.UTC(2026, 0, 1) + day * 86_400_000);
          const standing = standingAssignment(done, at, 90);
          const a = assignHoldout(`${seed}-${k}`, standing, 0.3);
          // Any held-out incident whose window holds this one shares its group.
          for (const e of done)
            if (at.getTime() - e.detectedAt.getTime() <= 90 * 86_400_000 && e.holdout) expect(a.holdout).toBe(true);
          done.push({ incidentId: `${seed}-${k}`, holdout: a.holdout, detectedAt: at });
        }
      },
    ),
    { numRuns: 300, seed: 7 },
  );
});

test.each([
  [50_000, 10_000, 40_000, 100_000, true],
  [50_000, 10_000, 40_001, 100_000, false],
  [0, 0, 1, 0, false],
  [999_999, 0, 1, null, true],
])(
  "budgetCheck(issued %i, committed %i, value %i, budget %s) within: %s",
  (issued, committed, value, budget, within) => {
    expect(budgetCheck(issued, committed, value, budget).withinBudget).toBe(within);
  },
);

test("property: a sequence of decisions gated by budgetCheck never overspends", () => {
  fc.assert(
    fc.property(
      fc.nat(1_000_000),
      fc.array(fc.nat(50_000), { maxLength: 200 }),
      fc.nat(500_000),
      (budget, values, alreadyIssued) => {
        let issued = Math.min(alreadyIssued, budget);
        let committed = 0;
        values.forEach((value, i) => {
          if (!budgetCheck(issued, committed, value, budget).withinBudget) return;
          // Alternate between committing (awaiting issue) and issuing, as the services do.
          if (i % 2 === 0) committed += value;
          else issued += value;
        });
        expect(issued + committed).toBeLessThanOrEqual(budget);
      },
    ),
  );
});

const now = new Date("2026-03-12T14:00:00Z");
const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);

test.each([
  ["no history", [], 5_000, false, false],
  ["offer 10 days ago", [{ issuedAt: daysAgo(10), faceValueMinor: 1_000 }], 1_000, true, false],
  ["offer 31 days ago", [{ issuedAt: daysAgo(31), faceValueMinor: 1_000 }], 1_000, false, false],
  [
    "cap reached over the rolling year",
    [
      { issuedAt: daysAgo(100), faceValueMinor: 15_000 },
      { issuedAt: daysAgo(300), faceValueMinor: 4_000 },
    ],
    1_001,
    false,
    true,
  ],
  ["older than a year does not count", [{ issuedAt: daysAgo(366), faceValueMinor: 19_000 }], 5_000, false, false],
])("customer limits: %s", (_name, offers, value, cooldownHit, capHit) => {
  expect(
    customerLimitsCheck(offers, value, now, { cooldownDays: 30, yearlyCapPerCustomerMinor: 20_000 }),
  ).toMatchObject({ cooldownHit, capHit });
});

const staff: StaffMember = { id: "s1", level: "STAFF" };
const manager: StaffMember = { id: "m1", level: "MANAGER" };
const owner: StaffMember = { id: "o1", level: "OWNER" };

test.each([
  [staff, { approval: "STAFF", faceValueMinor: 5_000 }, { ok: true }],
  [
    staff,
    { approval: "STAFF", faceValueMinor: 5_001 },
    { ok: false, reason: "ABOVE_AUTHORITY_LIMIT", limitMinor: 5_000 },
  ],
  [staff, { approval: "MANAGER", faceValueMinor: 100 }, { ok: false, reason: "NEEDS_MANAGER" }],
  [manager, { approval: "MANAGER", faceValueMinor: 25_000 }, { ok: true }],
  [
    manager,
    { approval: "STAFF", faceValueMinor: 30_000 },
    { ok: false, reason: "ABOVE_AUTHORITY_LIMIT", limitMinor: 25_000 },
  ],
  [owner, { approval: "MANAGER", faceValueMinor: 10_000_000 }, { ok: true }],
] as const)("canApprove(%o, %o)", (member, offer, verdict) => {
  expect(canApprove(member, offer)).toEqual(verdict);
});

test("whoCanApprove lists the members with enough authority", () => {
  expect(
    whoCanApprove({ approval: "MANAGER", faceValueMinor: 20_000 }, [staff, manager, owner]).map((m) => m.id),
  ).toEqual(["m1", "o1"]);
  expect(whoCanApprove({ approval: "STAFF", faceValueMinor: 1_000 }, [staff, manager]).map((m) => m.id)).toEqual([
    "s1",
    "m1",
  ]);
});

test("levels come from the shop settings, the default level, or account ownership", () => {
  const settings = authoritySettingsSchema.parse({ members: { "staff-9": "MANAGER" } });
  expect(memberAuthority("staff-9", settings).level).toBe("MANAGER");
  expect(memberAuthority("staff-1", settings).level).toBe("STAFF");
  expect(memberAuthority("staff-1", settings, true).level).toBe("OWNER");
  expect(DEFAULT_AUTHORITY_SETTINGS.limits.OWNER).toBeNull();
  expect(authoritySettingsSchema.safeParse({ limits: { STAFF: 50_000, MANAGER: 10_000 } }).success).toBe(false);
});

test("the owner level has no limit: a limit stored for it before is dropped, and the stored settings stay valid", () => {
  const stored = authoritySettingsSchema.parse({ limits: { STAFF: 2_000, MANAGER: 2_800, OWNER: 2_900 } });
  expect(stored.limits).toEqual({ STAFF: 2_000, MANAGER: 2_800, OWNER: null });
  expect(canApprove(owner, { approval: "MANAGER", faceValueMinor: 1_000_000 }, stored)).toEqual({ ok: true });
  // Only staff and manager limits are compared now: a manager limit above the old owner limit is fine.
  expect(authoritySettingsSchema.safeParse({ limits: { STAFF: 2_000, MANAGER: 90_000, OWNER: 2_900 } }).success).toBe(
    true,
  );
});
