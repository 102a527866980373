import { describe, expect, test } from "vitest";
import { incidentStanding, primaryAction, STANDING_BADGES, type Standing, type StandingFacts } from "./standing";

const facts = (over: Partial<StandingFacts> & { statuses?: string[] } = {}): StandingFacts => ({
  state: over.state ?? "OPEN",
  decision: over.decision === undefined ? "OFFER" : over.decision,
  customerCameBack: over.customerCameBack ?? false,
  offers: over.offers ?? (over.statuses ?? []).map((status, i) => ({ id: `o${i}`, status })),
});

describe("incidentStanding", () => {
  test.each<[string, StandingFacts, Standing, string]>([
    ["open, not decided", facts({ decision: null }), "OPEN", "Open: not decided yet"],
    ["open, offer waiting", facts({ statuses: ["PENDING_APPROVAL"] }), "WAITING", "Waiting for approval"],
    ["open, issue failed", facts({ statuses: ["FAILED"] }), "ISSUE_FAILED", "Make-good failed"],
    ["open, approved, being issued", facts({ statuses: ["APPROVED"] }), "BEING_ISSUED", "Being issued"],
    ["open, issuing", facts({ statuses: ["ISSUING"] }), "BEING_ISSUED", "Being issued"],
    // The bug of issue 17: an open incident whose make-good went out read "Open" in yellow.
    ["open, make-good issued (customer told)", facts({ statuses: ["ISSUED"] }), "MADE_GOOD", "Made good"],
    ["open, make-good redeemed", facts({ statuses: ["REDEEMED"] }), "MADE_GOOD", "Made good"],
    ["open, make-good expired unused", facts({ statuses: ["UNUSED"] }), "MADE_GOOD", "Made good"],
    ["open, replaced offer then issued", facts({ statuses: ["SUPERSEDED", "ISSUED"] }), "MADE_GOOD", "Made good"],
    [
      "open, made good, customer came back",
      facts({ statuses: ["REDEEMED"], customerCameBack: true }),
      "CUSTOMER_CAME_BACK",
      "Customer came back",
    ],
    [
      "closed, customer came back",
      facts({ state: "CLOSED", statuses: ["ISSUED"], customerCameBack: true }),
      "CUSTOMER_CAME_BACK",
      "Customer came back",
    ],
    [
      "control group, customer came back",
      facts({ decision: "HOLDOUT", statuses: ["HOLDOUT"], customerCameBack: true }),
      "CUSTOMER_CAME_BACK",
      "Customer came back",
    ],
    [
      "open, waiting wins over came back (a person must act)",
      facts({ statuses: ["PENDING_APPROVAL"], customerCameBack: true }),
      "WAITING",
      "Waiting for approval",
    ],
    ["closed, made good", facts({ state: "CLOSED", statuses: ["ISSUED"] }), "CLOSED", "Closed"],
    [
      "closed, waiting offer is not shown as waiting",
      facts({ state: "CLOSED", statuses: ["PENDING_APPROVAL"] }),
      "CLOSED",
      "Closed",
    ],
    ["open, control group", facts({ decision: "HOLDOUT", statuses: ["HOLDOUT"] }), "NO_MAKE_GOOD", "No make-good"],
    ["open, decided on none", facts({ decision: "NO_OFFER" }), "NO_MAKE_GOOD", "No make-good"],
    ["open, offer rejected", facts({ statuses: ["REJECTED"] }), "NO_MAKE_GOOD", "No make-good"],
    ["open, approval expired", facts({ statuses: ["EXPIRED"] }), "NO_MAKE_GOOD", "No make-good"],
  ])("%s: %s", (_name, input, standing, label) => {
    expect(incidentStanding(input)).toBe(standing);
    expect(STANDING_BADGES[incidentStanding(input)].label).toBe(label);
  });

  test("a made-good incident's badge is never the attention (yellow) tone", () => {
    expect(STANDING_BADGES[incidentStanding(facts({ statuses: ["ISSUED"] }))].tone).toBe("success");
  });
});

describe("primaryAction", () => {
  test.each<[string, StandingFacts, ReturnType<typeof primaryAction>]>([
    ["waiting offer", facts({ statuses: ["REJECTED", "PENDING_APPROVAL"] }), { kind: "APPROVE", offerId: "o1" }],
    ["failed offer", facts({ statuses: ["FAILED"] }), { kind: "RETRY_ISSUE", offerId: "o0" }],
    ["made good, open", facts({ statuses: ["ISSUED"] }), { kind: "CLOSE" }],
    ["control group, open", facts({ decision: "HOLDOUT", statuses: ["HOLDOUT"] }), { kind: "CLOSE" }],
    ["not decided", facts({ decision: null }), null],
    ["being issued", facts({ statuses: ["ISSUING"] }), null],
    ["approved, not yet issued", facts({ statuses: ["APPROVED"] }), null],
    ["closed", facts({ state: "CLOSED", statuses: ["ISSUED"] }), null],
  ])("%s", (_name, input, expected) => {
    expect(primaryAction(input)).toEqual(expected);
  });
});
