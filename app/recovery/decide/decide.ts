/**
 * The decision: a pure, deterministic function of the incident, the customer's
 * tier, the grid version, the guardrail state and `now`. The guardrails run in
 * the documented order (decision 0099 §6), each leaving one line in the explanation:
 *   1 eligibility, 2 holdout, 3 per-customer limits, 4 per-offer cap, 5 budget.
 * Guardrails 3-5 never refuse an offer; they raise who must approve it. The
 * route only ever goes up (AUTO < STAFF < MANAGER).
 */
import { assignHoldout, budgetCheck, customerLimitsCheck } from "../guardrails";
import {
  describeCell,
  describePreferredOption,
  faceValue,
  preferredCell,
  resolveCell,
  withoutPreferredOption,
  type GridCell,
} from "../grid";
import {
  describePreference,
  learnPreference,
  PREFERABLE_KIND_WORDS,
  preferableKindOf,
  type PreferableKind,
} from "../preference";
import { RecoveryError } from "../errors";
import { formatMoney } from "../money";
import { describeLifecycle, LIFECYCLE_STAGE_LABELS, type LifecycleStage } from "../lifecycle";
import { describeTier } from "../tiers";
import { endOfLocalDayAfter, localDate } from "../time";
import { maxApproval, type Approval } from "../vocabulary";
import {
  fallbackCell,
  fallbackText,
  isOfferKind,
  KIND_LABELS,
  unavailableText,
  type IssuableKind,
  type Unavailability,
} from "./availability";
import { INELIGIBLE_WORDING, describeMeasure, formatShare } from "./describe";
import { armName, assignArm, cellExperiment, type Arm, type ArmAssignment } from "../experiments/arms";
import { NEXT_MORNING_HOUR, nextMorning } from "../experiments/timing";
import type { DecisionWhy } from "./why";
import type {
  ApprovalSource,
  Decision,
  DecisionInput,
  DecisionOf,
  Guardrail,
  GuardrailCheck,
  IneligibleReason,
} from "./types";

interface Trail {
  lines: string[];
  checks: GuardrailCheck[];
  summary: string[];
  /** The same steps as data (why.ts), filled in as the decision goes. */
  why: DecisionWhy;
}

function record(
  trail: Trail,
  guardrail: Guardrail,
  outcome: GuardrailCheck["outcome"],
  line: string,
  requires?: Approval,
): void {
  const check: GuardrailCheck = requires ? { guardrail, outcome, line, requires } : { guardrail, outcome, line };
  trail.checks.push(check);
  trail.lines.push(line);
}

function finish<D extends Decision>(trail: Trail, decision: Omit<D, "checks" | "explanation" | "summary" | "why">): D {
  return {
    ...decision,
    checks: trail.checks,
    explanation: trail.lines,
    summary: trail.summary.join("; "),
    why: { ...trail.why, kind: decision.kind },
  } as D;
}

/** First failed eligibility rule, in a fixed order so the reason is stable. */
export function ineligibility(input: Pick<DecisionInput, "incident" | "settings">): IneligibleReason | null {
  const { incident, settings } = input;
  if (!settings.enabledIncidentTypes.includes(incident.type)) return "TYPE_DISABLED";
  if (incident.excluded.testOrder) return "TEST_ORDER";
  if (incident.excluded.orderExcluded) return "ORDER_EXCLUDED";
  if (incident.excluded.customerExcluded) return "CUSTOMER_EXCLUDED";
  if (incident.cancelReason === "fraud") return "FRAUD";
  if (incident.cancelReason === "customer") return "CUSTOMER_CANCELLATION";
  if (incident.alreadyCompensated) return "ALREADY_COMPENSATED";
  return null;
}

export function decide(input: DecisionInput): Decision {
  const { incident, tier, shop } = input;
  const measure = describeMeasure(incident);
  const tierText = describeTier(tier, shop.currency, shop.locale);
  const trail: Trail = {
    lines: [`Incident: ${incident.severity}, ${measure} (${incident.type})`, `Customer: ${tierText}`],
    checks: [],
    summary: [`${incident.severity}: ${measure}`, tierText],
    why: {
      v: 1,
      kind: "INELIGIBLE",
      currency: shop.currency,
      incidentType: incident.type,
      severity: incident.severity,
      customer: {
        tier: tier.tier,
        guest: tier.guest,
        amountSpentMinor: tier.amountSpentMinor,
        numberOfOrders: tier.numberOfOrders,
      },
      stage: input.lifecycle?.assessment.stage ? { stage: input.lifecycle.assessment.stage, cellApplied: false } : null,
      ineligible: null,
      holdout: null,
      experiment: null,
      cell: null,
      preferred: null,
      fallback: null,
      noOffer: null,
      offer: null,
      limits: null,
      offerCap: null,
      budget: null,
      approval: null,
      timing: null,
    },
  };
  if (input.lifecycle) {
    const stageText = describeLifecycle(input.lifecycle.assessment, input.lifecycle.settings);
    trail.lines.push(`Lifecycle: ${stageText}`);
  }

  const reason = ineligibility(input);
  if (reason) {
    record(trail, "ELIGIBILITY", "STOP", `1. Eligibility: not eligible, ${INELIGIBLE_WORDING[reason]}`);
    trail.summary.push(`not eligible: ${INELIGIBLE_WORDING[reason]}`);
    trail.why.ineligible = reason;
    return finish<DecisionOf<"INELIGIBLE">>(trail, { kind: "INELIGIBLE", incidentId: incident.id, reason });
  }
  record(
    trail,
    "ELIGIBILITY",
    "PASS",
    "1. Eligibility: passed (type enabled, not a test, not excluded, not cancelled by the customer or as fraud, not yet compensated)",
  );

  const share = input.settings.holdoutShare;
  const gridVersion = input.gridVersion.version;
  const assignment = assignHoldout(incident.id, input.standing ?? null, share);
  const { draw } = assignment;
  const experiment = cellExperiment(
    resolveCell(
      input.gridVersion.grid,
      incident.type,
      incident.severity,
      tier.tier,
      input.lifecycle?.assessment.stage ?? null,
    ).cell,
  );
  trail.why.holdout = {
    held: assignment.holdout,
    source: assignment.source,
    draw,
    share,
    since: assignment.source === "CUSTOMER" ? localDate(assignment.standing.detectedAt, shop.timeZone) : null,
  };
  if (experiment) trail.why.experiment = { letter: null, label: null, arms: experiment.arms.length };
  if (assignment.holdout) {
    record(
      trail,
      "HOLDOUT",
      "STOP",
      assignment.source === "CUSTOMER"
        ? `2. Holdout: the customer is in the holdout since an incident detected ${localDate(assignment.standing.detectedAt, shop.timeZone)}, within the attribution window: control group, no offer`
        : `2. Holdout: draw ${draw.toFixed(4)} is below the ${formatShare(share)} share: control group, no offer`,
    );
    trail.summary.push("holdout (control group): no offer");
    return finish<DecisionOf<"HOLDOUT">>(trail, {
      kind: "HOLDOUT",
      incidentId: incident.id,
      holdoutDraw: draw,
      holdoutShare: share,
      gridVersion,
      // The control group of the cell's experiment, if it runs one (decision 0119).
      ...(experiment
        ? {
            arm: {
              experimentKey: experiment.key,
              arm: null,
              label: null,
              arms: experiment.arms.length,
              timing: null,
              timingOnly: experiment.timingOnly,
            },
          }
        : {}),
    });
  }
  record(
    trail,
    "HOLDOUT",
    "PASS",
    assignment.source === "CUSTOMER"
      ? `2. Holdout: the customer gets make-goods since an incident detected ${localDate(assignment.standing.detectedAt, shop.timeZone)}, within the attribution window: gets the make-good`
      : `2. Holdout: draw ${draw.toFixed(4)} is not below the ${formatShare(share)} share: gets the make-good`,
  );

  if (!experiment) return offerFromGrid(input, trail, draw);
  // The cell runs an experiment: the customer's arm is the make-good this cell gives them.
  const arm = assignArm(experiment, incident.customerId, incident.id);
  trail.lines.push(
    `Experiment: ${armName(arm)} of the experiment in this cell (${experiment.arms.length} arms; each customer is randomised to one and keeps it while the experiment runs)`,
  );
  trail.summary.push(`experiment ${armName(arm).toLowerCase()}`);
  trail.why.experiment = { letter: arm.letter, label: arm.label, arms: experiment.arms.length };
  const decision = offerFromGrid(input, trail, draw, arm);
  const recorded: ArmAssignment = {
    experimentKey: experiment.key,
    arm: arm.index,
    label: arm.label,
    arms: experiment.arms.length,
    timing: arm.timing,
    timingOnly: experiment.timingOnly,
  };
  if (decision.kind === "OFFER" && arm.timing === "NEXT_MORNING") {
    // A timing arm: the make-good waits for the shop's next morning (the acknowledgement does not).
    const issueAfter = nextMorning(input.now, shop.timeZone);
    return {
      ...decision,
      arm: recorded,
      issueAfter,
      explanation: [
        ...decision.explanation,
        `Timing: this arm's make-good is issued the next morning, ${String(NEXT_MORNING_HOUR).padStart(2, "0")}:00 shop time on ${localDate(issueAfter, shop.timeZone)}, not at once`,
      ],
      summary: `${decision.summary}; issued the next morning`,
      why: { ...decision.why, timing: { issueOn: localDate(issueAfter, shop.timeZone), hour: NEXT_MORNING_HOUR } },
    };
  }
  return decision.kind === "OFFER" || decision.kind === "NO_OFFER" ? { ...decision, arm: recorded } : decision;
}

function offerFromGrid(input: DecisionInput, trail: Trail, draw: number, arm?: Arm): Decision {
  const { incident, tier, shop } = input;
  const { grid, version } = input.gridVersion;
  const stage = input.lifecycle?.assessment.stage ?? null;
  const inGrid = resolveCell(grid, incident.type, incident.severity, tier.tier, stage);
  // An experiment's arm stands in for the cell's own make-good (decision 0119).
  const resolved = arm ? { cell: arm.offer, source: inGrid.source } : inGrid;
  const { source } = resolved;
  const option = resolved.cell.kind === "NONE" ? undefined : resolved.cell.preferredKind;
  // What an offer records is a make-good, not the cell's option.
  const cell = withoutPreferredOption(resolved.cell);
  const cellText = describeCell(cell, shop.currency, shop.locale);
  const where =
    source === "OVERRIDE"
      ? `override for ${incident.type} (${incident.severity} x ${tier.tier})`
      : source === "STAGE" && stage
        ? `${LIFECYCLE_STAGE_LABELS[stage].toLowerCase()} cell (${incident.severity} x ${tier.tier})`
        : `(${incident.severity} x ${tier.tier})`;
  trail.why.cell = { source, severity: incident.severity, tier: tier.tier, gridVersion: version, kind: cell.kind };
  if (trail.why.stage) trail.why.stage = { ...trail.why.stage, cellApplied: source === "STAGE" };
  if (stage) trail.lines.push(stageCellLine(grid.stageOverrides, stage, source, resolved.cell, incident.type));
  // The summary names the stage only where it decided: other decisions read as before stages.
  if (source === "STAGE" && input.lifecycle)
    trail.summary.push(describeLifecycle(input.lifecycle.assessment, input.lifecycle.settings));

  const noOffer =
    cell.kind === "NONE"
      ? "GRID_SAYS_NONE"
      : cell.kind === "STORE_CREDIT" && incident.customerId === null
        ? "NEEDS_CUSTOMER_ACCOUNT"
        : null;
  if (noOffer) {
    trail.why.noOffer = noOffer;
    trail.summary.push(`grid v${version} says ${cellText}`);
    const why =
      noOffer === "GRID_SAYS_NONE"
        ? "apology message only"
        : "store credit needs a customer account (guest checkout): apology message only";
    trail.lines.push(`Grid v${version} ${where}: ${cellText}; ${why}`);
    if (noOffer === "NEEDS_CUSTOMER_ACCOUNT") trail.summary.push("guest checkout cannot hold store credit");
    return finish<DecisionOf<"NO_OFFER">>(trail, {
      kind: "NO_OFFER",
      incidentId: incident.id,
      reason: noOffer,
      cell,
      gridVersion: version,
      holdoutDraw: draw,
    });
  }

  // The cell's own kind, or (with the option) the equivalent of the kind the customer uses.
  let chosen = cell;
  let preferredFrom: { kind: IssuableKind; preferred: PreferableKind } | undefined;
  let lead = `Grid v${version} ${where}: `;
  if (option) {
    trail.lines.push(
      `Grid v${version} ${where}: ${cellText}, ${describePreferredOption(option, shop.currency, shop.locale)}`,
    );
    const choice = choosePreferred(input, resolved.cell, cell);
    chosen = choice.cell;
    preferredFrom = choice.preferredFrom;
    trail.why.preferred = { outcome: choice.outcome, preferred: choice.preferred };
    lead = `Preferred kind: ${choice.because}: `;
  }
  if (chosen.kind === "REPLACEMENT") {
    // The replacement sends the incident's affected lines again: the offer records which.
    const lines = input.replacementLines;
    if (!lines) throw new RecoveryError("REPLACEMENT_LINES_MISSING", "No affected lines supplied for a replacement");
    chosen = { ...chosen, value: { ...chosen.value, lines: [...lines] } };
    if (lines.length === 0) {
      trail.why.noOffer = "NOTHING_TO_REPLACE";
      trail.summary.push(`grid v${version} says a free replacement; nothing to replace`);
      trail.lines.push(
        `${lead}free replacement, but the order has no affected line left to replace (${NOTHING_TO_REPLACE[incident.type]}): apology message only`,
      );
      return finish<DecisionOf<"NO_OFFER">>(trail, {
        kind: "NO_OFFER",
        incidentId: incident.id,
        reason: "NOTHING_TO_REPLACE",
        cell: chosen,
        gridVersion: version,
        holdoutDraw: draw,
      });
    }
  }
  const chosenText = describeCell(chosen, shop.currency, shop.locale);
  trail.summary.push(
    preferredFrom
      ? `grid v${version} says ${chosenText} (the customer's preferred kind)`
      : `grid v${version} says ${chosenText}`,
  );

  const value = faceValue(chosen, {
    orderSubtotalMinor: incident.orderSubtotalMinor,
    percentBasketCapMinor: grid.percentBasketCapMinor,
    variantPrices: input.variantPrices,
  });
  const gridLine = `${lead}${chosenText}, approval ${chosen.approval}; ${valuationText(chosen, value, input)}`;
  const unavailable = isOfferKind(chosen.kind) ? input.unavailableKinds?.[chosen.kind] : undefined;
  if (unavailable && isOfferKind(chosen.kind)) {
    // The value the grid gave the original is what the customer gets, in a kind the shop can issue.
    const replacement = fallbackCell(
      chosen,
      value,
      input.settings.unavailableKindFallback,
      input.unavailableKinds ?? {},
      incident.customerId !== null,
    );
    trail.lines.push(`${gridLine}; ${fallbackText(chosen, unavailable, replacement, shop.currency, shop.locale)}`);
    trail.summary.push(`${KIND_LABELS[chosen.kind]} unavailable on this shop`);
    trail.why.fallback = { from: chosen.kind, to: replacement?.kind ?? null, why: unavailable.code };
    if (!replacement) {
      trail.why.noOffer = "KIND_UNAVAILABLE";
      return finish<DecisionOf<"NO_OFFER">>(trail, {
        kind: "NO_OFFER",
        incidentId: incident.id,
        reason: "KIND_UNAVAILABLE",
        cell: chosen,
        gridVersion: version,
        holdoutDraw: draw,
      });
    }
    return applyLimits(
      input,
      trail,
      { cell: replacement, source, value, draw, preferredFrom },
      { kind: chosen.kind, unavailable },
    );
  }
  trail.lines.push(gridLine);
  return applyLimits(input, trail, { cell: chosen, source, value, draw, preferredFrom });
}

/** Where a replacement's lines come from, per incident type (replacement/lines.ts): said when there are none. */
const NOTHING_TO_REPLACE: Record<DecisionInput["incident"]["type"], string> = {
  LATE_FULFILLMENT: "every line has shipped since",
  DELIVERY_DELAY: "the late parcels carry no line item",
  DELIVERY_FAILURE: "the failed parcels carry no line item",
  REFUND: "the refunds took back no line item",
  MERCHANT_CANCELLATION: "the order has no line item",
  MANUAL: "every line was refunded",
};

/** The playbook a default stage cell follows, by its message (default-grid.ts). */
const PLAYBOOK_WORDS: Record<string, string> = {
  welcome_back: "the welcome-back offer",
  loyal_perk: "the exclusive perk",
};

/** Which stage cell applies and why, or why the stage changes nothing here. */
function stageCellLine(
  stageOverrides: DecisionInput["gridVersion"]["grid"]["stageOverrides"],
  stage: LifecycleStage,
  source: "GRID" | "OVERRIDE" | "STAGE",
  cell: GridCell,
  type: DecisionInput["incident"]["type"],
): string {
  const label = LIFECYCLE_STAGE_LABELS[stage].toLowerCase();
  if (source === "STAGE") {
    const playbook = PLAYBOOK_WORDS[cell.messageTemplateKey];
    return `Playbook: the grid's ${label} cell applies${playbook ? `: ${playbook}` : ""}`;
  }
  if (source === "OVERRIDE") return `Playbook: the ${type} override applies before any ${label} cell`;
  return Object.keys(stageOverrides[stage] ?? {}).length === 0
    ? `Playbook: no ${label} cells in this grid: the base cell applies`
    : `Playbook: no ${label} cell here: the base cell applies`;
}

/** "a discount code" -> "discount code": as in "this cell sets no gift card equivalent". */
const EQUIVALENT_WORDS: Record<PreferableKind, string> = {
  DISCOUNT_CODE: "discount code",
  STORE_CREDIT: "store credit",
  GIFT_CARD: "gift card",
};

/**
 * A cell with the "customer's preferred kind" option (decision 0114): the equivalent of the kind
 * the customer redeemed most (preference/preference.ts) when the cell sets one and the shop can
 * issue it; else the cell's own make-good. `because` is the sentence the explanation gives.
 */
function choosePreferred(
  input: DecisionInput,
  withOption: GridCell,
  cell: GridCell,
): {
  cell: GridCell;
  because: string;
  outcome: NonNullable<DecisionWhy["preferred"]>["outcome"];
  preferred: PreferableKind | null;
  preferredFrom?: { kind: IssuableKind; preferred: PreferableKind };
} {
  const preference = learnPreference({
    customerId: input.incident.customerId,
    history: input.redemptionHistory,
    now: input.now,
  });
  const reason = describePreference(preference);
  if (preference.kind === "NONE")
    return { cell, because: `${reason}, so this make-good is the cell's own`, outcome: "NOT_KNOWN", preferred: null };
  const preferred = preference.preferred;
  const words = `${reason}, so this make-good is ${PREFERABLE_KIND_WORDS[preferred]}`;
  if (preferableKindOf(cell.kind) === preferred) return { cell, because: words, outcome: "SAME_AS_CELL", preferred };
  const equivalent = preferredCell(withOption, preferred);
  if (!equivalent || !isOfferKind(equivalent.kind) || !isOfferKind(cell.kind))
    return {
      cell,
      because: `${reason}, but this cell sets no ${EQUIVALENT_WORDS[preferred]} equivalent, so this make-good is the cell's own`,
      outcome: "NO_EQUIVALENT",
      preferred,
    };
  const unavailable = input.unavailableKinds?.[equivalent.kind];
  if (unavailable)
    return {
      cell,
      because: `${reason}, but ${KIND_LABELS[equivalent.kind]} is unavailable (${unavailableText(unavailable)}), so this make-good is the cell's own`,
      outcome: "UNAVAILABLE",
      preferred,
    };
  return {
    cell: equivalent,
    because: words,
    outcome: "USED",
    preferred,
    preferredFrom: { kind: cell.kind, preferred },
  };
}

function valuationText(cell: GridCell, value: number, input: DecisionInput): string {
  const money = (minor: number) => formatMoney(minor, input.shop.currency, input.shop.locale);
  if (cell.kind !== "DISCOUNT_PERCENT") return `face value ${money(value)}`;
  const basket = Math.min(input.incident.orderSubtotalMinor, input.gridVersion.grid.percentBasketCapMinor);
  const capped = basket < input.incident.orderSubtotalMinor ? " (subtotal capped)" : "";
  return `valued at ${money(value)}: ${cell.value}% of ${money(basket)}${capped}`;
}

interface Chosen {
  cell: GridCell;
  source: "GRID" | "OVERRIDE" | "STAGE";
  value: number;
  draw: number;
  preferredFrom?: { kind: IssuableKind; preferred: PreferableKind } | undefined;
}

function applyLimits(
  input: DecisionInput,
  trail: Trail,
  chosen: Chosen,
  fallbackFrom?: { kind: IssuableKind; unavailable: Unavailability },
): Decision {
  const { incident, settings, state, shop, now } = input;
  const money = (minor: number) => formatMoney(minor, shop.currency, shop.locale);
  let approval: Approval = chosen.cell.approval;
  const sources: ApprovalSource[] = approval === "AUTO" ? [] : ["GRID"];
  const route = (source: ApprovalSource, to: Approval) => {
    approval = maxApproval(approval, to);
    sources.push(source);
  };

  // 3. Per-customer limits.
  if (incident.customerId === null) {
    trail.why.limits = { guest: true };
    record(
      trail,
      "CUSTOMER_LIMITS",
      "PASS",
      "3. Customer limits: guest checkout, no customer history to limit: passed",
    );
  } else {
    const limits = customerLimitsCheck(state.customerOffers, chosen.value, now, settings);
    const cap = settings.yearlyCapPerCustomerMinor;
    const capText = cap === null ? "no yearly cap" : `${money(limits.afterMinor)} of the ${money(cap)} yearly cap`;
    const cooldownText =
      limits.cooldownHit && limits.lastOfferAt
        ? `an offer on ${localDate(limits.lastOfferAt, shop.timeZone)} is within the ${settings.cooldownDays}-day cooldown`
        : `no offer in the last ${settings.cooldownDays} days`;
    trail.why.limits = {
      guest: false,
      cooldownDays: settings.cooldownDays,
      cooldownHit: limits.cooldownHit,
      lastOfferOn: limits.lastOfferAt ? localDate(limits.lastOfferAt, shop.timeZone) : null,
      capMinor: cap,
      afterMinor: limits.afterMinor,
      capHit: limits.capHit,
    };
    if (limits.cooldownHit || limits.capHit) {
      route("CUSTOMER_LIMITS", "MANAGER");
      record(
        trail,
        "CUSTOMER_LIMITS",
        "ROUTE",
        `3. Customer limits: ${cooldownText}; ${capText}${limits.capHit ? " (over)" : ""}: needs MANAGER`,
        "MANAGER",
      );
      trail.summary.push(limits.cooldownHit ? "another offer within the cooldown" : "over the yearly cap");
    } else {
      record(trail, "CUSTOMER_LIMITS", "PASS", `3. Customer limits: ${cooldownText}; ${capText}: passed`);
    }
  }

  // 4. Per-offer cap.
  const ceiling = settings.autoApproveCeilingMinor;
  trail.why.offerCap = { valueMinor: chosen.value, ceilingMinor: ceiling, over: chosen.value > ceiling };
  if (chosen.value > ceiling) {
    route("OFFER_CAP", "STAFF");
    record(
      trail,
      "OFFER_CAP",
      "ROUTE",
      `4. Offer cap: ${money(chosen.value)} is above the ${money(ceiling)} auto-approve ceiling: needs approval`,
      "STAFF",
    );
    trail.summary.push(`${money(chosen.value)} is above the auto-approve ceiling`);
  } else {
    record(
      trail,
      "OFFER_CAP",
      "PASS",
      `4. Offer cap: ${money(chosen.value)} is within the ${money(ceiling)} auto-approve ceiling: passed`,
    );
  }

  // 5. Monthly budget.
  const budget = budgetCheck(
    state.monthToDateIssuedMinor,
    state.committedMinor,
    chosen.value,
    settings.monthlyBudgetMinor,
  );
  trail.why.budget = {
    budgetMinor: budget.budgetMinor,
    afterMinor: budget.afterMinor,
    within: budget.budgetMinor === null || budget.withinBudget,
    atReservation: false,
  };
  if (budget.budgetMinor === null) {
    record(trail, "BUDGET", "PASS", "5. Budget: no monthly budget set: passed");
    trail.summary.push("no budget set");
  } else if (budget.withinBudget) {
    record(
      trail,
      "BUDGET",
      "PASS",
      `5. Budget: brings this month to ${money(budget.afterMinor)} of ${money(budget.budgetMinor)}: within budget`,
    );
    trail.summary.push("within budget");
  } else {
    route("BUDGET", "MANAGER");
    record(
      trail,
      "BUDGET",
      "ROUTE",
      `5. Budget: would bring this month to ${money(budget.afterMinor)} of ${money(budget.budgetMinor)}: needs MANAGER`,
      "MANAGER",
    );
    trail.summary.push("over the monthly budget");
  }

  const approvalText = approval === "AUTO" ? "auto-approved" : `needs ${approval} approval`;
  trail.lines.push(
    `Approval: ${approvalText}${sources.length > 0 ? ` (${sources.map((s) => s.toLowerCase().replaceAll("_", " ")).join(", ")})` : ""}`,
  );
  trail.summary.push(approvalText);
  trail.why.approval = { route: approval, sources: [...sources] };
  trail.why.offer = { kind: chosen.cell.kind, faceValueMinor: chosen.value };
  const expiresAt =
    chosen.cell.expiryDays === null ? null : endOfLocalDayAfter(now, chosen.cell.expiryDays, shop.timeZone);
  return finish<DecisionOf<"OFFER">>(trail, {
    kind: "OFFER",
    incidentId: incident.id,
    cell: chosen.cell,
    cellSource: chosen.source,
    faceValueMinor: chosen.value,
    approval,
    approvalSources: sources,
    expiresAt,
    gridVersion: input.gridVersion.version,
    holdoutDraw: chosen.draw,
    ...(fallbackFrom ? { fallbackFrom } : {}),
    ...(chosen.preferredFrom ? { preferredFrom: chosen.preferredFrom } : {}),
  });
}
