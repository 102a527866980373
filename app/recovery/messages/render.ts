import { RecoveryError } from "../errors";
import type { GridCell } from "../grid";
import { formatMoney } from "../money";
import type { IncidentType } from "../vocabulary";
import { DEFAULT_MESSAGES, type LocaleMessages, type MessageCatalog } from "./catalog";
import { fillTemplate, type TemplateValues } from "./template";

export interface MessageRequest {
  /** The customer's locale ("fr-CA"); null when unknown. */
  locale: string | null;
  /** The grid cell's messageTemplateKey. */
  templateKey: string;
  incidentType: IncidentType;
  firstName: string | null;
  orderName: string;
  offer: { cell: GridCell; code: string | null; expiresAt: Date | null };
  shop: { currency: string; timeZone: string };
}

export interface RenderedMessage {
  /** The catalog locale the text came from. */
  locale: string;
  subject: string;
  body: string;
}

/** "fr-CA" -> ["fr-CA", "fr", "en"]: the most specific translation that exists, English last. */
export function localeFallbacks(locale: string | null): string[] {
  const chain: string[] = [];
  const parts = (locale ?? "").trim().replaceAll("_", "-").split("-").filter(Boolean);
  for (let n = parts.length; n > 0; n -= 1) chain.push(parts.slice(0, n).join("-"));
  chain.push("en");
  return [...new Set(chain)];
}

function pickLocale(catalog: MessageCatalog, request: MessageRequest): [string, LocaleMessages] {
  const keys = Object.keys(catalog);
  for (const wanted of localeFallbacks(request.locale)) {
    const key = keys.find((k) => k.toLowerCase() === wanted.toLowerCase());
    const texts = key ? catalog[key] : undefined;
    if (key && texts && Object.hasOwn(texts.templates, request.templateKey)) return [key, texts];
  }
  throw new RecoveryError("UNKNOWN_TEMPLATE", `No message template "${request.templateKey}" in any locale`);
}

function offerValues(request: MessageRequest, locale: string): TemplateValues {
  const { cell, code, expiresAt } = request.offer;
  const values: TemplateValues = {};
  if (code !== null) values.code = code;
  if (expiresAt)
    values.expiry = new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone: request.shop.timeZone }).format(
      expiresAt,
    );
  if (cell.kind === "DISCOUNT_PERCENT")
    values.amount = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 2 }).format(
      cell.value / 100,
    );
  if (cell.kind === "DISCOUNT_FIXED" || cell.kind === "STORE_CREDIT" || cell.kind === "GIFT_CARD")
    values.amount = formatMoney(cell.value, request.shop.currency, locale);
  return values;
}

/** Fill the apology for one offer, in the customer's language where a translation exists. */
export function renderMessage(request: MessageRequest, catalog: MessageCatalog = DEFAULT_MESSAGES): RenderedMessage {
  const [locale, texts] = pickLocale(catalog, request);
  // Own keys only: an inherited member ("constructor") is not a template.
  const template = Object.hasOwn(texts.templates, request.templateKey)
    ? texts.templates[request.templateKey]
    : undefined;
  if (!template) throw new RecoveryError("UNKNOWN_TEMPLATE", `No message template "${request.templateKey}"`);
  const base: TemplateValues = {
    firstName: request.firstName?.trim() || texts.unnamedCustomer,
    orderName: request.orderName,
  };
  const { cell } = request.offer;
  const offerKey = cell.kind === "GIFT_CARD" && cell.expiryDays === null ? "GIFT_CARD_NO_EXPIRY" : cell.kind;
  const values: TemplateValues = {
    ...base,
    ...offerValues(request, locale),
    problem: fillTemplate(texts.problems[request.incidentType], base, ["orderName", "firstName"]),
  };
  values.offer = fillTemplate(texts.offers[offerKey], values, ["code", "amount", "expiry", "firstName", "orderName"]);
  return {
    locale,
    subject: tidy(fillTemplate(template.subject, values)),
    body: tidy(fillTemplate(template.body, values)),
  };
}

/** An apology-only message leaves an empty paragraph where the offer goes. */
function tidy(text: string): string {
  return text
    .replace(/[ \t]+\n/g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

export interface AcknowledgementRequest {
  /** The customer's locale ("fr-CA"); null when unknown. */
  locale: string | null;
  incidentType: IncidentType;
  firstName: string | null;
  orderName: string;
}

/**
 * The acknowledgement sent when an incident is detected (decision 0113), in the customer's language
 * where a translation exists. It has no offer values at all, so it reads the same for a customer in
 * the holdout and one who gets a make-good.
 */
export function renderAcknowledgement(
  request: AcknowledgementRequest,
  catalog: MessageCatalog = DEFAULT_MESSAGES,
): RenderedMessage {
  const keys = Object.keys(catalog);
  let picked: [string, LocaleMessages] | undefined;
  for (const wanted of localeFallbacks(request.locale)) {
    const key = keys.find((k) => k.toLowerCase() === wanted.toLowerCase());
    const texts = key ? catalog[key] : undefined;
    if (key && texts?.acknowledgement) {
      picked = [key, texts];
      break;
    }
  }
  if (!picked) throw new RecoveryError("UNKNOWN_TEMPLATE", "No acknowledgement template in any locale");
  const [locale, texts] = picked;
  const base: TemplateValues = {
    firstName: request.firstName?.trim() || texts.unnamedCustomer,
    orderName: request.orderName,
  };
  const values: TemplateValues = {
    ...base,
    problem: fillTemplate(texts.acknowledgements[request.incidentType], base, ["orderName", "firstName"]),
  };
  const allowed = ["firstName", "orderName", "problem"] as const;
  return {
    locale,
    subject: tidy(fillTemplate(texts.acknowledgement.subject, values, allowed)),
    body: tidy(fillTemplate(texts.acknowledgement.body, values, allowed)),
  };
}
