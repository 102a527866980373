/**
 * Who may change which setting: ONE table, every setting of Shop.settings (recovery sections,
 * `offers` with its mail server, `messages`) and the compensation grid, each with the authority
 * level it needs (docs/decisions/0017-settings-authority.md).
 *
 * The rule behind the table: anything that can move money or reach customers needs MANAGER
 * (which incidents open, how bad they are, who is worth what, the guardrails, the wording, the
 * mail server, the follow-up, the figures that judge the program); the manager limits themselves
 * (approval limits, levels, escalation) and the monthly budget need OWNER, so nobody below the
 * owner can widen their own power. STAFF changes nothing: they look and approve within their limit.
 *
 * Paths are the stored document's paths, the same as the settings form's field names; `*` stands
 * for one key of a record (a member id, a template key, an incident type).
 */
import { AUTHORITY_LEVELS, type AuthorityLevel, type AuthoritySettings } from "./authority";

export interface SettingRule {
  /** "decision.cooldownDays", "authority.members.*", "messages.templates.*.body". */
  path: string;
  level: AuthorityLevel;
  /** What the change history calls it. */
  label: string;
}

const manager = (path: string, label: string): SettingRule => ({ path, level: "MANAGER", label });
const owner = (path: string, label: string): SettingRule => ({ path, level: "OWNER", label });

const LADDER_LEVELS = [
  ["minor", "Minor"],
  ["moderate", "Moderate"],
  ["major", "Major"],
  ["critical", "Critical"],
] as const;
const ladder = (key: string, title: string) =>
  LADDER_LEVELS.map(([level, name]) => manager(`severity.${key}.${level}`, `${title}: ${name} from (days)`));

export const SETTINGS_AUTHORITY: readonly SettingRule[] = [
  // Detection decides which failures open incidents, so who is offered a make-good.
  manager("detection.handlingDays", "Handling time"),
  manager("detection.weekendDays", "Days you don't ship"),
  manager("detection.holidays", "Holidays"),
  manager("detection.excludedOrderTags", "Excluded order tags"),
  manager("detection.excludedCustomerTags", "Excluded customer tags"),
  manager("detection.attemptedDeliveryThreshold", "Failed delivery attempts"),
  manager("detection.cancellationReasons", "Store cancellation reasons that count"),
  manager("detection.countReturnRefunds", "Count refunds for customer returns"),
  // Severity and tiers pick the grid cell, so the value of every offer.
  ...ladder("lateFulfillment", "Late fulfillment"),
  ...ladder("deliveryDelay", "Delivery delay"),
  manager("severity.deliveryFailure", "Severity of a failed delivery"),
  manager("severity.refund.moderateFromPercent", "Refund: moderate from (%)"),
  manager("severity.refund.majorAbovePercent", "Refund: major above (%)"),
  manager("severity.merchantCancellation", "Severity of a store cancellation"),
  manager("severity.repeatCustomerWindowDays", "Repeat customer window"),
  manager("severity.highValueOrderMinor", "High-value order"),
  manager("tiers.newMaxEarlierOrders", "New customer: at most (earlier orders)"),
  manager("tiers.loyal.minOrders", "Loyal from (orders)"),
  manager("tiers.loyal.minSpendMinor", "Loyal from spend"),
  manager("tiers.vip.minOrders", "VIP from (orders)"),
  manager("tiers.vip.minSpendMinor", "VIP from spend"),
  // Lifecycle stages pick a stage's grid cell (decision 0115).
  manager("lifecycle.lapsedAfterDays", "Lapsed after (days without an order)"),
  manager("lifecycle.frequentMinEarlierOrders", "Frequent buyer from (earlier orders)"),
  // The decision guardrails: what goes out without a person.
  manager("decision.enabledIncidentTypes", "Incidents Amends acts on"),
  manager("decision.holdoutShare", "Holdout share"),
  manager("decision.cooldownDays", "Cooldown per customer"),
  manager("decision.yearlyCapPerCustomerMinor", "Yearly cap per customer"),
  manager("decision.autoApproveCeilingMinor", "Auto-approve up to"),
  owner("decision.monthlyBudgetMinor", "Monthly budget"),
  manager("decision.unavailableKindFallback", "When a make-good cannot be issued"),
  // The manager limits.
  owner("authority.limits.STAFF", "Staff may approve up to"),
  owner("authority.limits.MANAGER", "Manager may approve up to"),
  owner("authority.defaultLevel", "Level of staff not listed"),
  owner("authority.members.*", "Level of a staff member"),
  // The figures that judge the program (decision 0111: the readout size is fixed in advance).
  manager("attribution.windowDays", "Attribution window"),
  manager("attribution.readoutIncidents", "Read the results every (incidents)"),
  manager("attribution.giftOrderTags", "Gift order tags"),
  manager("attribution.replacementOrderTags", "Replacement order tags"),
  manager("attribution.freeDraftOrdersAreReplacements", "Free draft orders are replacements"),
  // The offer lifecycle: escalation decides who must approve, so it is a manager limit.
  owner("offers.escalateAfterHours", "Escalate to a manager after"),
  manager("offers.expireAfterHours", "Expire waiting offers after"),
  manager("offers.followUpAfterHours", "Follow up after"),
  manager("offers.acknowledgeWithinMinutes", "Acknowledge within"),
  manager("offers.notifyStoreCredit", "Shopify emails store credit"),
  manager("offers.notifyGiftCard", "Shopify emails gift cards"),
  // The shop's mail server reaches customers (and the network the app runs in).
  manager("offers.email.enabled", "Send apologies through your mail server"),
  manager("offers.email.host", "SMTP host"),
  manager("offers.email.port", "SMTP port"),
  manager("offers.email.secure", "TLS from the start"),
  manager("offers.email.user", "SMTP user name"),
  manager("offers.email.password", "SMTP password"),
  manager("offers.email.from", "From address"),
  manager("offers.email.replyTo", "Reply-to address"),
  manager("offers.digestEmailTo", "Email the weekly digest to"),
  // What customers read.
  manager("messages.templates.*.subject", "Message subject"),
  manager("messages.templates.*.body", "Message"),
  manager("messages.problems.*", "What went wrong"),
  manager("messages.offers.*", "The make-good text"),
  manager("messages.acknowledgement.subject", "Acknowledgement subject"),
  manager("messages.acknowledgement.body", "Acknowledgement"),
  manager("messages.acknowledgements.*", "Acknowledgement: what happened"),
];

/** The audit actions of a settings save and a grid save (AuditEntry.action). */
export const SETTINGS_AUDIT_ACTION = "settings.update";
export const GRID_AUDIT_ACTION = "grid.save";

/** Saving the compensation grid (or restoring a version): it decides kinds, values and approval routes. */
export const GRID_AUTHORITY: AuthorityLevel = "MANAGER";

const RANK: Record<AuthorityLevel, number> = Object.fromEntries(
  AUTHORITY_LEVELS.map((level, i) => [level, i]),
) as Record<AuthorityLevel, number>;

export function hasAuthority(level: AuthorityLevel, needed: AuthorityLevel): boolean {
  return RANK[level] >= RANK[needed];
}

function matches(pattern: string, path: string): boolean {
  const want = pattern.split(".");
  const have = path.split(".");
  return want.length === have.length && want.every((part, i) => part === "*" || part === have[i]);
}

/** The table's rule for a stored path ("authority.members.1002"); undefined: not a setting. */
export function ruleFor(path: string): SettingRule | undefined {
  return SETTINGS_AUTHORITY.find((rule) => matches(rule.path, path));
}

/**
 * The level a field needs, or null when the viewer has it: what the page disables. Unknown
 * paths need OWNER (the closed table is the only way to open a field).
 */
export function lockedFor(level: AuthorityLevel, path: string): "MANAGER" | "OWNER" | null {
  const needed = ruleFor(path)?.level ?? "OWNER";
  if (hasAuthority(level, needed)) return null;
  return needed === "OWNER" ? "OWNER" : "MANAGER";
}

/** The short hint beside a field the viewer may not change. */
export const AUTHORITY_HINTS: Record<"MANAGER" | "OWNER", string> = {
  MANAGER: "Needs manager",
  OWNER: "Needs the account owner",
};

type Json = unknown;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function at(document: unknown, path: readonly string[]): unknown {
  let node: unknown = document;
  for (const key of path) {
    if (!isRecord(node) || !Object.hasOwn(node, key)) return undefined;
    node = node[key];
  }
  return node;
}

/** Every concrete path a rule names in either document (a `*` takes each key present in one of them). */
function expand(pattern: readonly string[], before: unknown, after: unknown, prefix: string[] = []): string[][] {
  const star = pattern.indexOf("*");
  if (star === -1) return [[...prefix, ...pattern]];
  const head = [...prefix, ...pattern.slice(0, star)];
  const keys = new Set<string>();
  for (const document of [before, after]) {
    const node = at(document, head);
    if (isRecord(node)) for (const key of Object.keys(node)) keys.add(key);
  }
  return [...keys].sort().flatMap((key) => expand(pattern.slice(star + 1), before, after, [...head, key]));
}

// Key order in stored JSON means nothing; undefined and null both mean "not set". Every list in the
// settings is a set (weekend days, tags, holidays, incident types), so its order means nothing either.
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).sort().join(",")}]`;
  if (isRecord(value))
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`)
      .join(",")}}`;
  return JSON.stringify(value ?? null);
}

export interface SettingChange {
  /** The concrete path ("authority.members.1002"), the form's field name. */
  path: string;
  rule: SettingRule;
  before: Json;
  after: Json;
}

/**
 * What differs between two settings documents (each in the comparable shape: see
 * settingsForComparison in the settings service), setting by setting, in table order.
 * Values outside the table are not reported: the completeness test keeps the table whole.
 */
export function settingChanges(before: unknown, after: unknown): SettingChange[] {
  const changes: SettingChange[] = [];
  for (const rule of SETTINGS_AUTHORITY) {
    for (const parts of expand(rule.path.split("."), before, after)) {
      const a = at(before, parts);
      const b = at(after, parts);
      if (canonical(a) !== canonical(b)) changes.push({ path: parts.join("."), rule, before: a, after: b });
    }
  }
  return changes;
}

export type AuthorityRefusal =
  | { path: string; reason: "NEEDS_LEVEL"; needed: AuthorityLevel }
  /** A manager may not let offers go out without a person above what they could approve themselves. */
  | { path: string; reason: "ABOVE_OWN_LIMIT"; needed: "OWNER"; limitMinor: number };

/**
 * The changes the member may not make, one per field; empty when they may make them all.
 * `authority` is the stored staff authority (its limits are the member's own limits).
 */
export function refusedChanges(
  level: AuthorityLevel,
  changes: readonly SettingChange[],
  authority: AuthoritySettings,
): AuthorityRefusal[] {
  const refused: AuthorityRefusal[] = [];
  for (const change of changes) {
    if (!hasAuthority(level, change.rule.level)) {
      refused.push({ path: change.path, reason: "NEEDS_LEVEL", needed: change.rule.level });
      continue;
    }
    if (change.path === "decision.autoApproveCeilingMinor" && level !== "OWNER") {
      const limitMinor = authority.limits[level];
      if (limitMinor !== null && typeof change.after === "number" && change.after > limitMinor)
        refused.push({ path: change.path, reason: "ABOVE_OWN_LIMIT", needed: "OWNER", limitMinor });
    }
  }
  return refused;
}
