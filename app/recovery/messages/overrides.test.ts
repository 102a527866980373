import { expect, test } from "vitest";
import { DEFAULT_MESSAGES } from "./catalog";
import {
  catalogWithOverrides,
  effectiveMessages,
  messageOverridesSchema,
  NO_MESSAGE_OVERRIDES,
  onlyChangedTexts,
} from "./overrides";
import { renderMessage } from "./render";

test("no overrides: the defaults, unchanged", () => {
  expect(effectiveMessages(NO_MESSAGE_OVERRIDES)).toEqual(DEFAULT_MESSAGES.en);
});

test("every default text passes the override checks (a shop can save the defaults as they are)", () => {
  const en = DEFAULT_MESSAGES.en;
  expect(
    messageOverridesSchema.safeParse({ templates: en.templates, problems: en.problems, offers: en.offers }).success,
  ).toBe(true);
});

test("texts equal to the defaults are not stored, so later default wording still reaches the shop", () => {
  const en = DEFAULT_MESSAGES.en;
  const edited = messageOverridesSchema.parse({
    templates: en.templates,
    problems: { ...en.problems, REFUND: "we refunded {{orderName}}." },
    offers: en.offers,
  });
  expect(onlyChangedTexts(edited)).toEqual({
    templates: {},
    problems: { REFUND: "we refunded {{orderName}}." },
    offers: {},
    acknowledgements: {},
  });
});

test.each([
  [
    { templates: { standard: { subject: "Sorry", body: "Hello {{firstName}}" } } },
    "templates.standard.body",
    "Include {{offer}}",
  ],
  [
    { templates: { standard: { subject: "Sorry {{code}}", body: "{{offer}}" } } },
    "templates.standard.subject",
    "Unknown placeholder {{code}}",
  ],
  [{ problems: { REFUND: "" } }, "problems.REFUND", "Write this text"],
  [{ offers: { STORE_CREDIT: "Use {{code}}" } }, "offers.STORE_CREDIT", "Unknown placeholder {{code}}"],
  [
    { offers: { GIFT_CARD_NO_EXPIRY: "{{code}} until {{expiry}}" } },
    "offers.GIFT_CARD_NO_EXPIRY",
    "Unknown placeholder {{expiry}}",
  ],
  [{ offers: { DISCOUNT_FIXED: "{{amount}} off" } }, "offers.DISCOUNT_FIXED", "Include {{code}}"],
])("%j is refused at %s: a message that could not be sent or would hide the make-good", (input, path, message) => {
  const parsed = messageOverridesSchema.safeParse(input);
  expect(parsed.success).toBe(false);
  const issue = parsed.error?.issues[0];
  expect(issue?.path.join(".")).toBe(path);
  expect(issue?.message).toContain(message);
});

test("an apology-only text may be empty; the rendered message uses the shop's wording", () => {
  const overrides = messageOverridesSchema.parse({
    offers: { NONE: "" },
    problems: { REFUND: "we got {{orderName}} wrong." },
  });
  const message = renderMessage(
    {
      locale: "fr",
      templateKey: "standard",
      incidentType: "REFUND",
      firstName: null,
      orderName: "#7",
      offer: {
        cell: { kind: "NONE", value: null, expiryDays: null, approval: "AUTO", messageTemplateKey: "standard" },
        code: null,
        expiresAt: null,
      },
      shop: { currency: "USD", timeZone: "UTC" },
    },
    catalogWithOverrides(overrides),
  );
  expect(message.body).toContain("We're sorry: we got #7 wrong.");
});
