/**
 * Every rule that decides who approves a make-good, in one summary for the grid page (issue 17,
 * item 6; decision 0122). Who approves is decided in three places: the grid cell's route, the
 * guardrails (auto-approve ceiling, per-customer limits, monthly budget: decide.ts raises the route,
 * never lowers it) and the staff authority (per-level limits, escalation). This reads the same
 * grid and settings the decision reads and says each rule in plain words, with where to change it.
 */
import type { AuthorityLevel, AuthoritySettings } from "../guardrails/authority";
import type { DecisionSettings } from "../guardrails/settings";
import { formatMoney, type MinorUnits } from "../money";
import { APPROVALS, INCIDENT_TYPES, maxApproval, SEVERITIES, TIERS, type Approval } from "../vocabulary";
import type { Severity, Tier } from "../vocabulary";
import { LIFECYCLE_STAGES } from "../lifecycle/lifecycle";
import { SEVERITY_LABELS, TIER_LABELS } from "../words";
import type { Grid, GridCell } from "./schema";

/** Who must approve a cell's make-good, as far as the grid and the settings tell before an incident. */
export type CellApprover = "NOBODY" | "STAFF" | "MANAGER" | "OWNER" | "NO_ONE_CAN";

/** One row of the matrix within a group: the severity and the tiers of it in the group. */
export interface GroupRow {
  severity: Severity;
  tiers: Tier[];
}

export interface CellGroup {
  approver: CellApprover;
  /** "Go out at once", "Wait for a manager or the owner". */
  heading: string;
  /** "Minor: every customer; Moderate: New, Regular". */
  cells: string;
  rows: GroupRow[];
}

/** Where a rule is changed: a Settings field, by its id on the Settings page. The cells rule's groups link to their cells. */
export interface RuleEdit {
  field: string;
  label: string;
}

export type ApprovalRuleId = "CELLS" | "CEILING" | "STAFF_LIMITS" | "ESCALATION" | "CUSTOMER_LIMITS" | "BUDGET";

export interface ApprovalRule {
  id: ApprovalRuleId;
  title: string;
  /** The rule in plain words, with the shop's figures. */
  text: string;
  edits: RuleEdit[];
  /** Only the cells rule: the base grid's cells by who approves them. */
  groups?: CellGroup[];
}

export interface ApprovalRulesInput {
  grid: Grid;
  decision: Pick<
    DecisionSettings,
    "autoApproveCeilingMinor" | "monthlyBudgetMinor" | "cooldownDays" | "yearlyCapPerCustomerMinor"
  >;
  authority: Pick<AuthoritySettings, "limits" | "defaultLevel">;
  escalateAfterHours: number;
  expireAfterHours: number;
  currency: string;
  locale?: string;
}

const GROUP_HEADINGS: Record<CellApprover, string> = {
  NOBODY: "Go out at once",
  STAFF: "Wait for any staff member",
  MANAGER: "Wait for a manager or the owner",
  OWNER: "Wait for the owner (above a manager's limit)",
  NO_ONE_CAN: "Above every approval limit: nobody can approve them",
};
const APPROVER_ORDER: readonly CellApprover[] = ["NOBODY", "STAFF", "MANAGER", "OWNER", "NO_ONE_CAN"];

const LEVEL_WORDS: Record<AuthorityLevel, string> = { STAFF: "staff", MANAGER: "managers", OWNER: "the owner" };

/** The face value a cell always gives, when it does not depend on the order (percent, gift, replacement do). */
function fixedValue(cell: GridCell): MinorUnits | null {
  if (cell.arms || ("preferredKind" in cell && cell.preferredKind)) return null;
  switch (cell.kind) {
    case "DISCOUNT_FIXED":
    case "STORE_CREDIT":
    case "GIFT_CARD":
      return cell.value;
    case "NONE":
      return 0;
    default:
      return null;
  }
}

/** The cell's own route; an experiment's arms each carry theirs, and the strictest is the cell's. */
function routeOf(cell: GridCell): Approval {
  const arms = (cell.arms ?? []).map((arm) => arm.offer["approval"]);
  return arms.reduce<Approval>(
    (route, a) => (APPROVALS.includes(a as Approval) ? maxApproval(route, a as Approval) : route),
    cell.approval,
  );
}

const LEVEL_RANK: Record<AuthorityLevel, number> = { STAFF: 0, MANAGER: 1, OWNER: 2 };

/**
 * Who approves a cell: its route, raised to staff when its fixed value is above the ceiling
 * (decide.ts, guardrail 4), then up the levels while the value is above a level's limit
 * (authority.ts canApprove). The per-customer limits and the budget depend on the incident.
 */
export function cellApprover(
  cell: GridCell,
  ceilingMinor: MinorUnits,
  limits: AuthoritySettings["limits"],
): CellApprover {
  const value = fixedValue(cell);
  let route = routeOf(cell);
  if (value !== null && value > ceilingMinor) route = maxApproval(route, "STAFF");
  if (route === "AUTO") return "NOBODY";
  if (value === null) return route;
  const lowest: AuthorityLevel = route === "MANAGER" ? "MANAGER" : "STAFF";
  const able = (["STAFF", "MANAGER", "OWNER"] as const).find((level) => {
    const limit = limits[level];
    return LEVEL_RANK[level] >= LEVEL_RANK[lowest] && (limit === null || value <= limit);
  });
  return able ?? "NO_ONE_CAN";
}

/** "Minor: every customer; Moderate: New, Regular". */
export function rowsInWords(rows: readonly GroupRow[]): string {
  return rows
    .map(
      ({ severity, tiers }) =>
        `${SEVERITY_LABELS[severity]}: ${tiers.length === TIERS.length ? "every customer" : tiers.map((t) => TIER_LABELS[t]).join(", ")}`,
    )
    .join("; ");
}

function hoursInWords(hours: number): string {
  if (hours < 1) return `${Math.round(hours * 60)} minutes`;
  return hours === 1 ? "1 hour" : `${hours} hours`;
}

const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

const settingsEdit = (field: string, label: string): RuleEdit => ({ field, label });

/** Override cells (incident types, lifecycle stages) whose approver differs from the base cell's. */
function differingOverrides(grid: Grid, approverOf: (cell: GridCell) => CellApprover): number {
  let count = 0;
  const scopes = [
    ...INCIDENT_TYPES.map((type) => grid.overrides[type]),
    ...LIFECYCLE_STAGES.map((stage) => grid.stageOverrides[stage]),
  ];
  for (const scope of scopes)
    for (const severity of SEVERITIES)
      for (const tier of TIERS) {
        const cell = scope?.[severity]?.[tier];
        if (cell && approverOf(cell) !== approverOf(grid.cells[severity][tier])) count += 1;
      }
  return count;
}

export function approvalRules(input: ApprovalRulesInput): ApprovalRule[] {
  const { grid, decision, authority, currency } = input;
  const money = (minor: MinorUnits) => formatMoney(minor, currency, input.locale);
  const approverOf = (cell: GridCell) => cellApprover(cell, decision.autoApproveCeilingMinor, authority.limits);

  const byApprover = new Map<CellApprover, GroupRow[]>();
  let variable = false;
  for (const severity of SEVERITIES)
    for (const tier of TIERS) {
      const cell = grid.cells[severity][tier];
      if (fixedValue(cell) === null) variable = true;
      const rows = byApprover.get(approverOf(cell)) ?? [];
      const last = rows.at(-1);
      if (last?.severity === severity) last.tiers.push(tier);
      else rows.push({ severity, tiers: [tier] });
      byApprover.set(approverOf(cell), rows);
    }
  const groups = APPROVER_ORDER.filter((a) => byApprover.has(a)).map((approver) => {
    const rows = byApprover.get(approver) ?? [];
    return { approver, heading: GROUP_HEADINGS[approver], cells: rowsInWords(rows), rows };
  });
  const overrides = differingOverrides(grid, approverOf);
  const cellsText = [
    "Each cell of the base grid names who approves its make-good; a make-good above the auto-approve ceiling or a level's limit goes higher.",
    variable
      ? "Percent codes, gifts, replacements and experiments are valued per order, so the ceiling and the limits apply to them when an incident is decided."
      : null,
    overrides > 0
      ? `${overrides === 1 ? "1 cell" : `${overrides} cells`} set for an incident type or a customer's lifecycle stage ${overrides === 1 ? "asks" : "ask"} for someone else: choose them under “Applies to”.`
      : null,
  ]
    .filter((line): line is string => line !== null)
    .join(" ");

  const limitWords = (["STAFF", "MANAGER", "OWNER"] as const)
    .map((level) => {
      const limit = authority.limits[level];
      return `${LEVEL_WORDS[level]} ${limit === null ? "any amount" : `up to ${money(limit)}`}`;
    })
    .join(", ");

  const { cooldownDays, yearlyCapPerCustomerMinor: cap } = decision;
  const customerParts = [
    cooldownDays > 0
      ? `A customer's second make-good within ${cooldownDays} ${cooldownDays === 1 ? "day" : "days"}`
      : null,
    cap !== null ? `a make-good that takes a customer past ${money(cap)} in 365 days` : null,
  ].filter((p): p is string => p !== null);
  const customerText =
    customerParts.length === 0
      ? "No per-customer limits: how many make-goods a customer had never asks for a manager."
      : customerParts.length === 2
        ? `${customerParts[0]}, or ${customerParts[1]}, needs a manager.`
        : `${capitalized(customerParts[0] ?? "")} needs a manager.`;

  return [
    {
      id: "CELLS",
      title: "Grid cells",
      text: cellsText,
      edits: [],
      groups,
    },
    {
      id: "CEILING",
      title: "Auto-approve ceiling",
      text: `A make-good worth more than ${money(decision.autoApproveCeilingMinor)} waits for a staff member, even in a cell that goes out at once.`,
      edits: [settingsEdit("decision.autoApproveCeilingMinor", "Edit the auto-approve ceiling")],
    },
    {
      id: "STAFF_LIMITS",
      title: "Staff approval limits",
      text: `Approvals allowed: ${limitWords}. Staff without a level of their own are ${LEVEL_WORDS[authority.defaultLevel]}.`,
      edits: [
        settingsEdit("authority.limits.STAFF", "Edit the approval limits"),
        settingsEdit("authority.defaultLevel", "Edit the default level"),
      ],
    },
    {
      id: "ESCALATION",
      title: "Escalation",
      text: `A make-good nobody decides within ${hoursInWords(input.escalateAfterHours)} is sent on to managers; undecided after ${hoursInWords(input.expireAfterHours)}, it expires.`,
      edits: [settingsEdit("offers.escalateAfterHours", "Edit the escalation")],
    },
    {
      id: "CUSTOMER_LIMITS",
      title: "Per-customer limits",
      text: customerText,
      edits: [
        settingsEdit("decision.cooldownDays", "Edit the cooldown"),
        settingsEdit("decision.yearlyCapPerCustomerMinor", "Edit the yearly cap"),
      ],
    },
    {
      id: "BUDGET",
      title: "Monthly budget",
      text:
        decision.monthlyBudgetMinor === null
          ? "No monthly budget: the month's total never asks for a manager."
          : `Once this month's make-goods (issued and waiting) would pass ${money(decision.monthlyBudgetMinor)}, each new one needs a manager.`,
      edits: [settingsEdit("decision.monthlyBudgetMinor", "Edit the monthly budget")],
    },
  ];
}
