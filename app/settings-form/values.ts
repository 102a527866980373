/**
 * The settings page's form values: the stored settings in the units the merchant types (money as
 * decimals of the shop currency, the holdout share as a percentage, tags and holidays as text),
 * under the stored document's paths ("decision.monthlyBudgetMinor"), so an error the real schema
 * reports lands on the field that caused it.
 */
import {
  INCIDENT_TYPES,
  fromMinorUnits,
  type AuthorityLevel,
  type LimitedLevel,
  type FallbackKind,
  type RecoverySettings,
  type Severity,
} from "../recovery";
import {
  effectiveMessages,
  OFFER_TEXT_KEYS,
  TEMPLATE_KEYS,
  type MessageOverrides,
} from "../recovery/messages/overrides";

export const SECTIONS = [
  "detection",
  "severity",
  "tiers",
  "decision",
  "authority",
  "attribution",
  "offers",
  "messages",
  "lifecycle",
] as const;
export type Section = (typeof SECTIONS)[number];

type Ladder = { minor: string; moderate: string; major: string; critical: string };

export interface EmailValues {
  enabled: boolean;
  host: string;
  port: string;
  secure: boolean;
  user: string;
  /** Empty: keep the stored password (the page never receives it). */
  password: string;
  from: string;
  replyTo: string;
}

export interface SettingsValues {
  detection: {
    handlingDays: string;
    weekendDays: number[];
    holidays: string;
    excludedOrderTags: string;
    excludedCustomerTags: string;
    attemptedDeliveryThreshold: string;
    cancellationReasons: string[];
    countReturnRefunds: boolean;
  };
  severity: {
    lateFulfillment: Ladder;
    deliveryDelay: Ladder;
    deliveryFailure: Severity;
    refund: { moderateFromPercent: string; majorAbovePercent: string };
    merchantCancellation: Severity;
    repeatCustomerWindowDays: string;
    highValueOrderMinor: string;
  };
  tiers: {
    newMaxEarlierOrders: string;
    loyal: { minOrders: string; minSpendMinor: string };
    vip: { minOrders: string; minSpendMinor: string };
  };
  decision: {
    enabledIncidentTypes: string[];
    holdoutShare: string;
    cooldownDays: string;
    yearlyCapPerCustomerMinor: string;
    autoApproveCeilingMinor: string;
    monthlyBudgetMinor: string;
    unavailableKindFallback: FallbackKind;
  };
  authority: {
    /** The owner has no limit (decision 0126). */
    limits: Record<LimitedLevel, string>;
    defaultLevel: AuthorityLevel;
    /** Member id -> level; "DEFAULT" follows the default level (not stored). */
    members: Record<string, AuthorityLevel | "DEFAULT">;
  };
  attribution: { windowDays: string; readoutIncidents: string };
  offers: {
    escalateAfterHours: string;
    expireAfterHours: string;
    followUpAfterHours: string;
    acknowledgeWithinMinutes: string;
    notifyStoreCredit: boolean;
    notifyGiftCard: boolean;
    email: EmailValues;
    /** Where the weekly digest is emailed (decision 0118); empty for none. */
    digestEmailTo: string;
  };
  messages: {
    templates: Record<string, { subject: string; body: string }>;
    problems: Record<string, string>;
    offers: Record<string, string>;
    acknowledgement: { subject: string; body: string };
    acknowledgements: Record<string, string>;
  };
  /** Lifecycle stage thresholds (decision 0115). */
  lifecycle: { lapsedAfterDays: string; frequentMinEarlierOrders: string };
}

/** Fields holding money (minor units stored, decimals typed). */
export const MONEY_FIELDS = new Set([
  "severity.highValueOrderMinor",
  "tiers.loyal.minSpendMinor",
  "tiers.vip.minSpendMinor",
  "decision.yearlyCapPerCustomerMinor",
  "decision.autoApproveCeilingMinor",
  "decision.monthlyBudgetMinor",
  "authority.limits.STAFF",
  "authority.limits.MANAGER",
]);
export const PERCENT_SHARE_FIELD = "decision.holdoutShare";

/** The stored email settings as the page may see them: never the password, only whether one is kept. */
export interface EmailSummary {
  enabled: boolean;
  host: string;
  port: number;
  secure: boolean;
  user: string | null;
  from: string;
  replyTo: string | null;
  passwordStored: boolean;
}

export interface OfferSettingsView {
  escalateAfterHours: number;
  expireAfterHours: number;
  followUpAfterHours: number;
  acknowledgeWithinMinutes: number;
  notifyStoreCredit: boolean;
  notifyGiftCard: boolean;
  email: EmailSummary | null;
  digestEmailTo: string | null;
}

const money = (minor: number | null, currency: string) => (minor === null ? "" : fromMinorUnits(minor, currency));
const text = (value: number | null) => (value === null ? "" : String(value));
const ladder = (l: {
  minor: number;
  moderate: number | null;
  major: number | null;
  critical: number | null;
}): Ladder => ({
  minor: text(l.minor),
  moderate: text(l.moderate),
  major: text(l.major),
  critical: text(l.critical),
});

/** "10" for a 0.1 share, without float noise (0.07 * 100 = 7.000000000000001). */
export function shareToPercent(share: number): string {
  return String(Math.round(share * 10_000) / 100);
}

export function settingsValues(
  recovery: RecoverySettings,
  offers: OfferSettingsView,
  messages: MessageOverrides,
  currency: string,
): SettingsValues {
  const { detection, severity, tiers, decision, authority, attribution, lifecycle } = recovery;
  const texts = effectiveMessages(messages);
  return {
    detection: {
      handlingDays: text(detection.handlingDays),
      weekendDays: [...detection.weekendDays].sort(),
      holidays: detection.holidays.join(", "),
      excludedOrderTags: detection.excludedOrderTags.join(", "),
      excludedCustomerTags: detection.excludedCustomerTags.join(", "),
      attemptedDeliveryThreshold: text(detection.attemptedDeliveryThreshold),
      cancellationReasons: [...detection.cancellationReasons],
      countReturnRefunds: detection.countReturnRefunds,
    },
    severity: {
      lateFulfillment: ladder(severity.lateFulfillment),
      deliveryDelay: ladder(severity.deliveryDelay),
      deliveryFailure: severity.deliveryFailure,
      refund: {
        moderateFromPercent: text(severity.refund.moderateFromPercent),
        majorAbovePercent: text(severity.refund.majorAbovePercent),
      },
      merchantCancellation: severity.merchantCancellation,
      repeatCustomerWindowDays: text(severity.repeatCustomerWindowDays),
      highValueOrderMinor: money(severity.highValueOrderMinor, currency),
    },
    tiers: {
      newMaxEarlierOrders: text(tiers.newMaxEarlierOrders),
      loyal: { minOrders: text(tiers.loyal.minOrders), minSpendMinor: money(tiers.loyal.minSpendMinor, currency) },
      vip: { minOrders: text(tiers.vip.minOrders), minSpendMinor: money(tiers.vip.minSpendMinor, currency) },
    },
    decision: {
      enabledIncidentTypes: [...decision.enabledIncidentTypes],
      holdoutShare: shareToPercent(decision.holdoutShare),
      cooldownDays: text(decision.cooldownDays),
      yearlyCapPerCustomerMinor: money(decision.yearlyCapPerCustomerMinor, currency),
      autoApproveCeilingMinor: money(decision.autoApproveCeilingMinor, currency),
      monthlyBudgetMinor: money(decision.monthlyBudgetMinor, currency),
      unavailableKindFallback: decision.unavailableKindFallback,
    },
    authority: {
      limits: {
        STAFF: money(authority.limits.STAFF, currency),
        MANAGER: money(authority.limits.MANAGER, currency),
      },
      defaultLevel: authority.defaultLevel,
      members: { ...authority.members },
    },
    attribution: { windowDays: text(attribution.windowDays), readoutIncidents: text(attribution.readoutIncidents) },
    offers: {
      escalateAfterHours: text(offers.escalateAfterHours),
      expireAfterHours: text(offers.expireAfterHours),
      followUpAfterHours: text(offers.followUpAfterHours),
      acknowledgeWithinMinutes: text(offers.acknowledgeWithinMinutes),
      notifyStoreCredit: offers.notifyStoreCredit,
      notifyGiftCard: offers.notifyGiftCard,
      email: {
        enabled: offers.email?.enabled ?? false,
        host: offers.email?.host ?? "",
        port: String(offers.email?.port ?? 587),
        secure: offers.email?.secure ?? false,
        user: offers.email?.user ?? "",
        password: "",
        from: offers.email?.from ?? "",
        replyTo: offers.email?.replyTo ?? "",
      },
      digestEmailTo: offers.digestEmailTo ?? "",
    },
    messages: {
      templates: Object.fromEntries(
        TEMPLATE_KEYS.map((key) => [
          key,
          { subject: texts.templates[key]?.subject ?? "", body: texts.templates[key]?.body ?? "" },
        ]),
      ),
      problems: Object.fromEntries(INCIDENT_TYPES.map((type) => [type, texts.problems[type]])),
      offers: Object.fromEntries(OFFER_TEXT_KEYS.map((key) => [key, texts.offers[key]])),
      acknowledgement: { subject: texts.acknowledgement.subject, body: texts.acknowledgement.body },
      acknowledgements: Object.fromEntries(INCIDENT_TYPES.map((type) => [type, texts.acknowledgements[type]])),
    },
    lifecycle: {
      lapsedAfterDays: text(lifecycle.lapsedAfterDays),
      frequentMinEarlierOrders: text(lifecycle.frequentMinEarlierOrders),
    },
  };
}

/** Sections whose values differ: what the page submits, so saving one section cannot touch another. */
export function changedSections(initial: SettingsValues, current: SettingsValues): Section[] {
  return SECTIONS.filter((section) => JSON.stringify(initial[section]) !== JSON.stringify(current[section]));
}
