import { expect, test } from "vitest";
import { RecoveryError } from "../errors";
import { INCIDENT_TYPES } from "../vocabulary";
import { DEFAULT_MESSAGES, type MessageCatalog } from "./catalog";
import {
  catalogWithOverrides,
  effectiveMessages,
  messageOverridesSchema,
  NO_MESSAGE_OVERRIDES,
  onlyChangedTexts,
} from "./overrides";
import { renderAcknowledgement, type AcknowledgementRequest } from "./render";

const request = (overrides: Partial<AcknowledgementRequest> = {}): AcknowledgementRequest => ({
  locale: "en",
  incidentType: "LATE_FULFILLMENT",
  firstName: "Ana",
  orderName: "#1042",
  ...overrides,
});

const en = DEFAULT_MESSAGES.en;

test.each(INCIDENT_TYPES)("the %s acknowledgement names the order and promises nothing about a make-good", (type) => {
  const message = renderAcknowledgement(request({ incidentType: type }));
  expect(message.locale).toBe("en");
  expect(message.subject).toBe("We're on it: your order #1042");
  expect(message.body).toMatch(/^Hi Ana,\n\nA quick note to say /);
  expect(message.body).toContain("#1042");
  expect(message.body).not.toMatch(/\{\{|\}\}/);
  // The holdout gets these words too: nothing may hint at compensation.
  expect(message.body).not.toMatch(/code|credit|gift|discount|% off|make up|offer/i);
});

test("an unknown first name becomes the friendly greeting", () => {
  expect(renderAcknowledgement(request({ firstName: null })).body).toMatch(/^Hi there,/);
  expect(renderAcknowledgement(request({ firstName: "  " })).body).toMatch(/^Hi there,/);
});

test("the customer's language where a translation exists, else its base language, else English", () => {
  const fr = {
    ...en,
    unnamedCustomer: "à vous",
    acknowledgements: { ...en.acknowledgements, DELIVERY_DELAY: "votre commande {{orderName}} a du retard." },
    acknowledgement: { subject: "Commande {{orderName}}", body: "Bonjour {{firstName}},\n\n{{problem}}" },
  };
  const catalog: MessageCatalog = { en, fr };
  const french = renderAcknowledgement(request({ locale: "fr-CA", incidentType: "DELIVERY_DELAY" }), catalog);
  expect(french).toEqual({
    locale: "fr",
    subject: "Commande #1042",
    body: "Bonjour Ana,\n\nvotre commande #1042 a du retard.",
  });
  expect(renderAcknowledgement(request({ locale: "de-AT" }), catalog).locale).toBe("en");
  expect(renderAcknowledgement(request({ locale: null }), catalog).locale).toBe("en");
});

test("a value is inserted literally, never read as a template", () => {
  const body = renderAcknowledgement(request({ firstName: "{{offer}} $&", orderName: "#{{code}}" })).body;
  expect(body).toContain("Hi {{offer}} $&,");
  expect(body).toContain("#{{code}}");
});

test("every incident type has a default acknowledgement, and it passes the checks a shop's own text must pass", () => {
  expect(Object.keys(en.acknowledgements ?? {}).sort()).toEqual([...INCIDENT_TYPES].sort());
  const parsed = messageOverridesSchema.safeParse({
    acknowledgement: en.acknowledgement,
    acknowledgements: en.acknowledgements,
  });
  expect(parsed.success).toBe(true);
  expect(parsed.data?.acknowledgement).toEqual(en.acknowledgement);
});

test.each([
  [
    { acknowledgement: { subject: "Hi", body: "Hi {{firstName}}, {{problem}} {{offer}}" } },
    "acknowledgement.body",
    /Unknown placeholder \{\{offer\}\}/,
  ],
  [
    { acknowledgement: { subject: "Hi", body: "Hi {{firstName}}, we're on it." } },
    "acknowledgement.body",
    /Include \{\{problem\}\}/,
  ],
  [
    { acknowledgement: { subject: "{{code}}", body: "{{problem}}" } },
    "acknowledgement.subject",
    /Unknown placeholder \{\{code\}\}/,
  ],
  [{ acknowledgement: { subject: "Hi", body: "{{problem}" } }, "acknowledgement.body", /Unmatched/],
  [
    { acknowledgements: { REFUND: "we refunded {{amount}}" } },
    "acknowledgements.REFUND",
    /Unknown placeholder \{\{amount\}\}/,
  ],
  [{ acknowledgements: { MANUAL: "   " } }, "acknowledgements.MANUAL", /Write this text/],
])("%j is refused at %s", (input, path, message) => {
  const parsed = messageOverridesSchema.safeParse(input);
  expect(parsed.success).toBe(false);
  const issue = parsed.error!.issues[0]!;
  expect(issue.path.join(".")).toBe(path);
  expect(issue.message).toMatch(message);
});

test("a shop's own acknowledgement is used, and only what differs from the defaults is stored", () => {
  const edited = messageOverridesSchema.parse({
    acknowledgement: en.acknowledgement,
    acknowledgements: { ...en.acknowledgements, REFUND: "we saw the refund on {{orderName}}." },
  });
  const stored = onlyChangedTexts(edited);
  expect(stored.acknowledgements).toEqual({ REFUND: "we saw the refund on {{orderName}}." });
  expect(stored.acknowledgement).toBeUndefined();
  expect(effectiveMessages(NO_MESSAGE_OVERRIDES).acknowledgement).toEqual(en.acknowledgement);

  const own = renderAcknowledgement(request({ incidentType: "REFUND" }), catalogWithOverrides(stored));
  expect(own.body).toContain("A quick note to say we saw the refund on #1042.");
  const wholly = messageOverridesSchema.parse({
    acknowledgement: { subject: "Order {{orderName}}", body: "Dear {{firstName}}: {{problem}}" },
  });
  expect(onlyChangedTexts(wholly).acknowledgement).toEqual({
    subject: "Order {{orderName}}",
    body: "Dear {{firstName}}: {{problem}}",
  });
});

test("a catalog without any acknowledgement is a typed error", () => {
  const broken = { en: { ...en, acknowledgement: undefined } } as unknown as MessageCatalog;
  expect(() => renderAcknowledgement(request(), broken)).toThrow(RecoveryError);
});
