import { expect, test } from "vitest";
import { RecoveryError } from "../errors";
import type { GridCell } from "../grid";
import { INCIDENT_TYPES, OFFER_KINDS } from "../vocabulary";
import { DEFAULT_MESSAGES, type MessageCatalog } from "./catalog";
import { localeFallbacks, renderMessage, type MessageRequest } from "./render";
import { fillTemplate, templateErrors, templatePlaceholders } from "./template";

function errorCode(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return error instanceof RecoveryError ? error.code : "NOT_A_RECOVERY_ERROR";
  }
  return undefined;
}

test("placeholders are filled literally; a value is never read as a template", () => {
  expect(
    fillTemplate("Hi {{firstName}}, order {{ orderName }}", { firstName: "Ana {{code}} $&", orderName: "#1001" }),
  ).toBe("Hi Ana {{code}} $&, order #1001");
});

test.each([
  ["Hi {{frist}}", "UNKNOWN_PLACEHOLDER", /Unknown placeholder \{\{frist\}\}/],
  ["Hi {{firstName}", "MALFORMED_TEMPLATE", /Unmatched/],
  ["Hi firstName}}", "MALFORMED_TEMPLATE", /Unmatched/],
  ["Code: {{code}}", "MISSING_PLACEHOLDER_VALUE", /\{\{code\}\} but no value/],
])("%j is refused with %s", (template, code, message) => {
  const attempt = () => fillTemplate(template, { firstName: "Ana" });
  expect(attempt).toThrow(message);
  expect(errorCode(attempt)).toBe(code);
});

test("a template can be checked for a form field", () => {
  expect(templateErrors("Hello {{firstName}}")).toEqual([]);
  expect(templateErrors("Hello {{name}}")).toEqual([expect.stringContaining("Unknown placeholder {{name}}")]);
  expect(templatePlaceholders("{{offer}} {{firstName}} {{offer}}")).toEqual(["offer", "firstName"]);
});

test("every default text uses only the placeholders allowed where it is used", () => {
  for (const [, texts] of Object.entries(DEFAULT_MESSAGES)) {
    for (const type of INCIDENT_TYPES)
      expect(templateErrors(texts.problems[type], ["orderName", "firstName"])).toEqual([]);
    for (const kind of [...OFFER_KINDS, "GIFT_CARD_NO_EXPIRY" as const])
      expect(templateErrors(texts.offers[kind], ["code", "amount", "expiry", "firstName", "orderName"])).toEqual([]);
    for (const template of Object.values(texts.templates))
      expect([...templateErrors(template.subject), ...templateErrors(template.body)]).toEqual([]);
  }
});

const percentCode: GridCell = {
  kind: "DISCOUNT_PERCENT",
  value: 20,
  expiryDays: 60,
  approval: "AUTO",
  messageTemplateKey: "standard",
};
const request = (overrides: Partial<MessageRequest> = {}): MessageRequest => ({
  locale: "en-US",
  templateKey: "standard",
  incidentType: "LATE_FULFILLMENT",
  firstName: "Ana",
  orderName: "#1001",
  offer: { cell: percentCode, code: "SORRY-7KQ2", expiresAt: new Date("2026-05-12T03:59:59.999Z") },
  shop: { currency: "USD", timeZone: "America/New_York" },
  ...overrides,
});

test("the apology names the problem, thanks for patience, says what was done and gives the offer", () => {
  const message = renderMessage(request());
  expect(message.subject).toBe("We're sorry about your order #1001");
  expect(message.body).toBe(
    [
      "Hi Ana,",
      "We're sorry: your order #1001 left us later than we promised. That's on us, not on you. We've put it first in line and we're changing how we plan our packing so it doesn't happen again.",
      "Thank you for your patience while we sorted it out.",
      "To make up for it, here is 20% off your next order with the code SORRY-7KQ2. It's just for you and works once, until May 11, 2026.",
      "If anything else isn't right, just reply to this message and we'll help.",
    ].join("\n\n"),
  );
});

test.each([
  [
    { kind: "STORE_CREDIT", value: 2_500, expiryDays: 90, approval: "AUTO", messageTemplateKey: "standard" },
    null,
    "we've added $25 of store credit to your account",
  ],
  [
    { kind: "GIFT_CARD", value: 5_000, expiryDays: null, approval: "AUTO", messageTemplateKey: "standard" },
    "GC-1234",
    "here is a $50 gift card: GC-1234. Use it at checkout whenever you like",
  ],
  [
    {
      kind: "GIFT_PRODUCT",
      value: { variantId: "gid://shopify/ProductVariant/1", quantity: 1 },
      expiryDays: null,
      approval: "STAFF",
      messageTemplateKey: "standard",
    },
    null,
    "we're sending you a gift, on us",
  ],
] as const)("offer kind %o reads naturally", (cell, code, phrase) => {
  const body = renderMessage(
    request({
      offer: { cell: cell as GridCell, code, expiresAt: cell.expiryDays ? new Date("2026-06-01T03:59:59.999Z") : null },
    }),
  ).body;
  expect(body).toContain(phrase);
  expect(body).not.toMatch(/\{\{|\}\}/);
});

test("an apology-only message leaves no gap where the offer would be", () => {
  const none: GridCell = {
    kind: "NONE",
    value: null,
    expiryDays: null,
    approval: "AUTO",
    messageTemplateKey: "standard",
  };
  const body = renderMessage(
    request({ incidentType: "REFUND", offer: { cell: none, code: null, expiresAt: null } }),
  ).body;
  expect(body).not.toMatch(/\n{3,}/);
  expect(body).toContain("Thank you for your patience while we sorted it out.\n\nIf anything else");
});

test("an unknown first name becomes a friendly greeting; the personal template is warmer", () => {
  const message = renderMessage(request({ firstName: null, templateKey: "personal" }));
  expect(message.subject).toBe("there, a personal apology about your order #1001");
  expect(message.body.startsWith("Hi there,\n\nYou've been a wonderful customer")).toBe(true);
});

test("locales fall back from the most specific to English", () => {
  expect(localeFallbacks("fr-CA")).toEqual(["fr-CA", "fr", "en"]);
  expect(localeFallbacks("pt_BR")).toEqual(["pt-BR", "pt", "en"]);
  expect(localeFallbacks(null)).toEqual(["en"]);
  const en = DEFAULT_MESSAGES.en;
  const catalog: MessageCatalog = {
    en,
    fr: {
      ...en,
      unnamedCustomer: "à vous",
      templates: {
        standard: { subject: "Désolés pour {{orderName}}", body: "Bonjour {{firstName}}, {{problem}} {{offer}}" },
      },
    },
  };
  expect(renderMessage(request({ locale: "fr-CA" }), catalog)).toMatchObject({
    locale: "fr",
    subject: "Désolés pour #1001",
  });
  expect(renderMessage(request({ locale: "fr-CA", templateKey: "personal" }), catalog).locale).toBe("en");
  expect(renderMessage(request({ locale: "de-DE" }), catalog).locale).toBe("en");
});

test("money and dates follow the message's language", () => {
  const en = DEFAULT_MESSAGES.en;
  const catalog: MessageCatalog = {
    en,
    fr: {
      ...en,
      templates: { standard: { subject: "{{orderName}}", body: "{{offer}}" } },
      offers: { ...en.offers, DISCOUNT_FIXED: "{{amount}} jusqu'au {{expiry}}" },
    },
  };
  const cell: GridCell = {
    kind: "DISCOUNT_FIXED",
    value: 1_250,
    expiryDays: 30,
    approval: "AUTO",
    messageTemplateKey: "standard",
  };
  const body = renderMessage(
    request({
      locale: "fr",
      offer: { cell, code: "X", expiresAt: new Date("2026-05-12T03:59:59.999Z") },
      shop: { currency: "EUR", timeZone: "Europe/Paris" },
    }),
    catalog,
  ).body;
  expect(body).toBe("12,50\u00a0€ jusqu'au 12 mai 2026");
});

test("an unknown template key is a typed error", () => {
  expect(errorCode(() => renderMessage(request({ templateKey: "missing" })))).toBe("UNKNOWN_TEMPLATE");
});
