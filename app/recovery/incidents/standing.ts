/**
 * Where an incident stands, in the words on its page's title badge, and the one primary action that
 * fits (decision 0121). Pure: the incident page's loader passes what it read.
 *
 * Order matters: an open incident that needs a person (an offer waiting for approval, a make-good
 * that failed to issue) says so first; then the best news (the customer came back); then Closed;
 * then how far the make-good got.
 */
import type { OfferStatus } from "../vocabulary";

export type StandingTone = "success" | "attention" | "critical" | "info" | undefined;

export type Standing =
  "WAITING" | "ISSUE_FAILED" | "CUSTOMER_CAME_BACK" | "CLOSED" | "MADE_GOOD" | "BEING_ISSUED" | "OPEN" | "NO_MAKE_GOOD";

export interface StandingFacts {
  state: "OPEN" | "CLOSED" | (string & {});
  /** The decision (HOLDOUT / OFFER / NO_OFFER / INELIGIBLE), null before one was made. */
  decision: string | null;
  /** A repurchase was attributed to the incident (its make-good or the experiment's window). */
  customerCameBack: boolean;
  offers: ReadonlyArray<{ id: string; status: OfferStatus | (string & {}) }>;
}

export const STANDING_BADGES: Record<Standing, { label: string; tone: StandingTone }> = {
  WAITING: { label: "Waiting for approval", tone: "attention" },
  ISSUE_FAILED: { label: "Make-good failed", tone: "critical" },
  CUSTOMER_CAME_BACK: { label: "Customer came back", tone: "success" },
  CLOSED: { label: "Closed", tone: undefined },
  MADE_GOOD: { label: "Made good", tone: "success" },
  BEING_ISSUED: { label: "Being issued", tone: "info" },
  OPEN: { label: "Open: not decided yet", tone: "info" },
  NO_MAKE_GOOD: { label: "No make-good", tone: undefined },
};

const MADE_GOOD: readonly string[] = ["ISSUED", "REDEEMED", "UNUSED"];
const ON_ITS_WAY: readonly string[] = ["PROPOSED", "APPROVED", "ISSUING"];

export function incidentStanding(facts: StandingFacts): Standing {
  const has = (statuses: readonly string[]) => facts.offers.some((o) => statuses.includes(o.status));
  const open = facts.state === "OPEN";
  if (open && has(["PENDING_APPROVAL"])) return "WAITING";
  if (open && has(["FAILED"])) return "ISSUE_FAILED";
  if (facts.customerCameBack) return "CUSTOMER_CAME_BACK";
  if (!open) return "CLOSED";
  if (has(MADE_GOOD)) return "MADE_GOOD";
  if (has(ON_ITS_WAY)) return "BEING_ISSUED";
  if (facts.decision === null) return "OPEN";
  return "NO_MAKE_GOOD";
}

export type PrimaryAction =
  { kind: "APPROVE"; offerId: string } | { kind: "RETRY_ISSUE"; offerId: string } | { kind: "CLOSE" } | null;

/**
 * The page header's one primary action: Approve the waiting offer, Retry the failed one, or Close an
 * open incident whose recovery is settled (decided, nothing on its way). Null otherwise (closed, not
 * decided yet, or a make-good being issued: nothing for a person to do right now).
 */
export function primaryAction(facts: StandingFacts): PrimaryAction {
  if (facts.state !== "OPEN") return null;
  const waiting = facts.offers.find((o) => o.status === "PENDING_APPROVAL");
  if (waiting) return { kind: "APPROVE", offerId: waiting.id };
  const failed = facts.offers.find((o) => o.status === "FAILED");
  if (failed) return { kind: "RETRY_ISSUE", offerId: failed.id };
  if (facts.decision === null || facts.offers.some((o) => ON_ITS_WAY.includes(o.status))) return null;
  return { kind: "CLOSE" };
}
