/**
 * "Why Amends decided this" as a short checklist (decision 0123): one plain check per step of the
 * decision, passed or failed ("Not in the random comparison group", "Within this customer's yearly
 * limit"), notes for what chose the make-good (the grid cell, an experiment's arm, the customer's
 * preferred kind), and the raw figures apart, for a "Details" disclosure. Pure: built from the
 * decision's stored record (why.ts), never from its English lines; staff words from words.ts.
 */
import { cellTitle, type CellAddress } from "../grid/cell-address";
import { LIFECYCLE_STAGE_LABELS } from "../lifecycle/lifecycle";
import { formatMoney } from "../money";
import { APPROVALS, INCIDENT_TYPES, TIERS, type Approval } from "../vocabulary";
import { INCIDENT_TYPE_LABELS, OFFER_KIND_LABELS, SEVERITY_LABELS, TIER_LABELS } from "../words";
import { INELIGIBLE_WORDING, formatShare } from "./describe";
import type { DecisionWhy } from "./why";

export interface ChecklistItem {
  /** Stable per step, for keys and tests. */
  key: string;
  /** PASS and FAIL are checks (an icon each); NOTE says what chose the make-good. */
  status: "PASS" | "FAIL" | "NOTE";
  text: string;
  /** The grid cell this step read: the page links its title to the grid. */
  cell?: { title: string; address: CellAddress; gridVersion: number };
}

export interface DecisionChecklist {
  items: ChecklistItem[];
  /** The raw figures behind the checks, label and value, for "Details". */
  details: Array<{ label: string; value: string }>;
}

const PREFERRED_WORDS = {
  DISCOUNT_CODE: "a discount code",
  STORE_CREDIT: "store credit",
  GIFT_CARD: "a gift card",
} as const;

const ROUTE_WORDS: Record<Approval, string> = {
  AUTO: "No approval needed: issued at once",
  STAFF: "Waits for a staff member's approval",
  MANAGER: "Waits for a manager's approval",
};

const SOURCE_WORDS: Record<NonNullable<DecisionWhy["approval"]>["sources"][number], string> = {
  GRID: "the grid cell",
  CUSTOMER_LIMITS: "this customer's limits",
  OFFER_CAP: "the auto-approve ceiling",
  BUDGET: "the monthly budget",
};

const lower = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);
const capital = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** The grid cell that decided, as the grid editor addresses it. */
function addressOf(why: DecisionWhy, cell: NonNullable<DecisionWhy["cell"]>): CellAddress {
  const scope =
    cell.source === "OVERRIDE" ? why.incidentType : cell.source === "STAGE" && why.stage ? why.stage.stage : "BASE";
  return { scope, severity: cell.severity, tier: cell.tier };
}

export function decisionChecklist(why: DecisionWhy, locale = "en"): DecisionChecklist {
  const money = (minor: number) => formatMoney(minor, why.currency, locale);
  const items: ChecklistItem[] = [];
  const details: DecisionChecklist["details"] = [];
  const item = (key: string, status: ChecklistItem["status"], text: string) => items.push({ key, status, text });
  const detail = (label: string, value: string) => details.push({ label, value });

  const customer = why.customer;
  detail("Incident", `${INCIDENT_TYPE_LABELS[why.incidentType]}, ${lower(SEVERITY_LABELS[why.severity])} severity`);
  detail(
    "Customer",
    customer.guest
      ? `${TIER_LABELS[customer.tier]} (guest checkout)`
      : `${TIER_LABELS[customer.tier]}: ${money(customer.amountSpentMinor)} spent in ${plural(customer.numberOfOrders, "order", "orders")}`,
  );

  // 1. Eligibility.
  if (why.ineligible) {
    item("eligibility", "FAIL", `Not eligible for a make-good: ${INELIGIBLE_WORDING[why.ineligible]}`);
    return { items, details };
  }
  item("eligibility", "PASS", "Eligible for a make-good");

  // 2. The random comparison group (holdout).
  const holdout = why.holdout;
  if (holdout) {
    const kept =
      holdout.source === "CUSTOMER" && holdout.since ? ` (kept from this customer's incident of ${holdout.since})` : "";
    item(
      "holdout",
      holdout.held ? "FAIL" : "PASS",
      holdout.held
        ? `In the random comparison group${kept}: no make-good, so Amends can measure what make-goods change`
        : `Not in the random comparison group${kept}`,
    );
    detail(
      "Comparison group",
      holdout.source === "CUSTOMER"
        ? `The customer keeps the group of their incident of ${holdout.since ?? "an earlier day"} while its attribution window runs; the group takes ${formatShare(holdout.share)} of draws`
        : `Draw ${holdout.draw.toFixed(4)}; the group takes draws below ${holdout.share.toFixed(2)} (${formatShare(holdout.share)})`,
    );
  }

  // An experiment in the cell: which arm, or its comparison group.
  const experiment = why.experiment;
  if (experiment) {
    item(
      "experiment",
      "NOTE",
      experiment.letter === null
        ? `This cell runs an experiment (${plural(experiment.arms, "arm", "arms")}): this incident is its comparison group`
        : `This cell runs an experiment: arm ${experiment.letter}${experiment.label ? ` (“${experiment.label}”)` : ""} of ${experiment.arms}, the one this customer keeps`,
    );
  }

  // The grid cell, and the customer's lifecycle stage where it has cells.
  const cell = why.cell;
  if (cell) {
    const address = addressOf(why, cell);
    if (why.stage) {
      const stage = LIFECYCLE_STAGE_LABELS[why.stage.stage];
      item(
        "stage",
        "NOTE",
        why.stage.cellApplied
          ? `Customer stage ${lower(stage)}: the grid's ${lower(stage)} cell applies`
          : cell.source === "OVERRIDE"
            ? `Customer stage ${lower(stage)}: the ${lower(INCIDENT_TYPE_LABELS[why.incidentType])} cells apply before stage cells`
            : `Customer stage ${lower(stage)}: no cell of its own here, the base cell applies`,
      );
    }
    items.push({
      key: "cell",
      status: "NOTE",
      text: OFFER_KIND_LABELS[cell.kind],
      cell: { title: cellTitle(address), address, gridVersion: cell.gridVersion },
    });
    detail("Grid", `Version ${cell.gridVersion}`);
  }

  // The cell's "customer's preferred kind" option.
  const preferred = why.preferred;
  if (preferred) {
    const words = preferred.preferred ? PREFERRED_WORDS[preferred.preferred] : null;
    const text = {
      NOT_KNOWN: "No preferred kind known for this customer: the cell's own make-good",
      SAME_AS_CELL: `The customer prefers ${words ?? "this kind"}, which is the cell's own make-good`,
      USED: `The customer prefers ${words ?? "another kind"}: given instead of the cell's own make-good`,
      NO_EQUIVALENT: `The customer prefers ${words ?? "another kind"}, but this cell sets none: the cell's own make-good`,
      UNAVAILABLE: `The customer prefers ${words ?? "another kind"}, but this shop cannot issue it: the cell's own make-good`,
    }[preferred.outcome];
    item("preferred", "NOTE", text);
  }

  // A kind the shop cannot issue, and the other reasons for no make-good.
  if (why.fallback) {
    const from = lower(OFFER_KIND_LABELS[why.fallback.from]);
    item(
      "fallback",
      "FAIL",
      why.fallback.to
        ? `This shop cannot issue ${from}: ${lower(OFFER_KIND_LABELS[why.fallback.to])} instead, of the same value`
        : `This shop cannot issue ${from}, and no fallback is set: apology message only`,
    );
    detail(
      "Why it cannot be issued",
      why.fallback.why === "SCOPES_MISSING"
        ? "The shop does not grant Amends the access it needs"
        : "The shop uses classic customer accounts, where store credit cannot be spent",
    );
  }
  if (why.noOffer === "GRID_SAYS_NONE") item("no-offer", "NOTE", "The cell gives an apology message only");
  if (why.noOffer === "NEEDS_CUSTOMER_ACCOUNT")
    item("no-offer", "FAIL", "Store credit needs a customer account (guest checkout): apology message only");
  if (why.noOffer === "NOTHING_TO_REPLACE")
    item("no-offer", "FAIL", "Nothing left on the order to replace: apology message only");

  // 3. Per-customer limits.
  const limits = why.limits;
  if (limits?.guest) item("limits", "PASS", "Guest checkout: no customer history to limit");
  else if (limits) {
    const days = plural(limits.cooldownDays, "day", "days");
    item(
      "cooldown",
      limits.cooldownHit ? "FAIL" : "PASS",
      limits.cooldownHit
        ? `Another make-good for this customer in the last ${days}: a manager approves`
        : `No other make-good for this customer in the last ${days}`,
    );
    item(
      "yearly-limit",
      limits.capHit ? "FAIL" : "PASS",
      limits.capMinor === null
        ? "No yearly limit per customer set"
        : limits.capHit
          ? "Over this customer's yearly limit: a manager approves"
          : "Within this customer's yearly limit",
    );
    if (limits.lastOfferOn) detail("Customer's last make-good", limits.lastOfferOn);
    detail(
      "Customer's last 12 months",
      limits.capMinor === null
        ? `${money(limits.afterMinor)} with this make-good; no yearly limit`
        : `${money(limits.afterMinor)} of the ${money(limits.capMinor)} yearly limit, with this make-good`,
    );
  }

  // 4. Per-offer cap.
  const cap = why.offerCap;
  if (cap) {
    item(
      "offer-cap",
      cap.over ? "FAIL" : "PASS",
      cap.over ? "Above the auto-approve ceiling: someone approves" : "Within the auto-approve ceiling",
    );
    detail("Make-good value", `${money(cap.valueMinor)}; auto-approve ceiling ${money(cap.ceilingMinor)}`);
  }

  // 5. Monthly budget.
  const budget = why.budget;
  if (budget) {
    item(
      "budget",
      budget.within ? "PASS" : "FAIL",
      budget.budgetMinor === null
        ? "No monthly budget set"
        : budget.atReservation
          ? "Over the monthly budget when reserved (other make-goods took the rest): a manager approves"
          : budget.within
            ? "Within the monthly budget"
            : "Over the monthly budget: a manager approves",
    );
    if (budget.budgetMinor !== null)
      detail(
        "Monthly budget",
        `${money(budget.afterMinor)} of ${money(budget.budgetMinor)} this month, with this make-good`,
      );
  }

  // Who approves, and when it is issued.
  if (why.approval) {
    item("approval", "NOTE", ROUTE_WORDS[why.approval.route]);
    if (why.approval.sources.length > 0)
      detail("Approval asked by", capital(why.approval.sources.map((s) => SOURCE_WORDS[s]).join(", ")));
  }
  if (why.offer) detail("Make-good", `${OFFER_KIND_LABELS[why.offer.kind]}, worth ${money(why.offer.faceValueMinor)}`);
  if (why.timing)
    item(
      "timing",
      "NOTE",
      `Issued the next morning, ${String(why.timing.hour).padStart(2, "0")}:00 shop time on ${why.timing.issueOn} (this experiment arm's timing)`,
    );
  return { items, details };
}

/** Enum words a stored line may carry, and what staff read instead. */
const LINE_WORDS: Array<[RegExp, string]> = [
  ...INCIDENT_TYPES.map((t): [RegExp, string] => [new RegExp(`\\b${t}\\b`, "g"), lower(INCIDENT_TYPE_LABELS[t])]),
  ...TIERS.map((t): [RegExp, string] => [new RegExp(`\\b${t}\\b`, "g"), TIER_LABELS[t]]),
  ...APPROVALS.map((a): [RegExp, string] => [
    new RegExp(`\\b${a}\\b`, "g"),
    { AUTO: "automatic", STAFF: "staff", MANAGER: "manager" }[a],
  ]),
];

/**
 * A decision stored before its record (why.ts): its lines, without the hand numbering and with
 * labels for the enum words they name. Wording only; nothing is read back from them.
 */
export function legacyExplanation(lines: readonly string[]): string[] {
  return lines.map((line) =>
    LINE_WORDS.reduce((text, [pattern, word]) => text.replace(pattern, word), line.replace(/^\d+\.\s+/, "")).replace(
      / x /g,
      " × ",
    ),
  );
}
