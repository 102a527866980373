/**
 * Default customer messages. Each apology names the problem, says what was
 * done about it, thanks the customer for their patience and gives the offer
 * with its code or amount and expiry. The body is assembled from a problem
 * text per incident type and an offer text per offer kind, so every
 * combination reads naturally without a template per pair.
 */
import type { IncidentType, OfferKind } from "../vocabulary";

export interface MessageTemplate {
  subject: string;
  body: string;
}

/** One language's texts. */
export interface LocaleMessages {
  /** "Hi {{firstName}}" when the name is unknown: "Hi there". */
  unnamedCustomer: string;
  /** What went wrong and what was done, per incident type; may use {{orderName}}. */
  problems: Record<IncidentType, string>;
  /** The make-good, per offer kind; may use {{code}}, {{amount}}, {{expiry}}. */
  offers: Record<OfferKind, string> & { GIFT_CARD_NO_EXPIRY: string };
  /** Full messages by grid cell `messageTemplateKey`; may use every placeholder. */
  templates: Record<string, MessageTemplate>;
  /**
   * The acknowledgement sent at detection (decision 0113), per incident type: that we noticed and
   * are on it. It never mentions a make-good: held-out customers get the same words. May use
   * {{orderName}} and {{firstName}}.
   */
  acknowledgements: Record<IncidentType, string>;
  /** The acknowledgement around the per-type text ({{problem}}); no offer placeholders. */
  acknowledgement: MessageTemplate;
}

/** Locale code ("en", "fr", "pt-BR") -> texts. "en" must be present: it is the fallback. */
export type MessageCatalog = Record<string, LocaleMessages> & { en: LocaleMessages };

const en: LocaleMessages = {
  unnamedCustomer: "there",
  problems: {
    LATE_FULFILLMENT:
      "your order {{orderName}} left us later than we promised. That's on us, not on you. We've put it first in line and we're changing how we plan our packing so it doesn't happen again.",
    DELIVERY_DELAY:
      "your order {{orderName}} is taking longer to reach you than we promised. We've raised it with the carrier and we're keeping an eye on it until it's safely with you.",
    DELIVERY_FAILURE:
      "the delivery of your order {{orderName}} didn't go as it should have. We've taken it up with the carrier and we'll make sure your order gets to you.",
    REFUND:
      "something about your order {{orderName}} wasn't right, and we've refunded you for it. We've looked into what went wrong so it doesn't happen again.",
    MERCHANT_CANCELLATION:
      "we had to cancel your order {{orderName}}, and we know how disappointing that is. Any payment has gone back to you in full, and we're working to keep this from happening again.",
    MANUAL:
      "something about your order {{orderName}} wasn't right. Thank you for telling us: we've looked into it and we're putting it right.",
  },
  offers: {
    DISCOUNT_PERCENT:
      "To make up for it, here is {{amount}} off your next order with the code {{code}}. It's just for you and works once, until {{expiry}}.",
    DISCOUNT_FIXED:
      "To make up for it, here is {{amount}} off your next order with the code {{code}}. It's just for you and works once, until {{expiry}}.",
    STORE_CREDIT:
      "To make up for it, we've added {{amount}} of store credit to your account. Sign in at checkout and it's applied for you, any time until {{expiry}}.",
    GIFT_CARD: "To make up for it, here is a {{amount}} gift card: {{code}}. Use it at checkout until {{expiry}}.",
    GIFT_CARD_NO_EXPIRY:
      "To make up for it, here is a {{amount}} gift card: {{code}}. Use it at checkout whenever you like; it doesn't expire.",
    GIFT_PRODUCT:
      "To make up for it, we're sending you a gift, on us, to the address on your order. There's nothing you need to do.",
    NONE: "",
    REPLACEMENT:
      "To make it right, we're sending you a replacement, on us and shipped free, to the address on your order. There's nothing you need to do.",
  },
  acknowledgements: {
    LATE_FULFILLMENT:
      "we've noticed that your order {{orderName}} hasn't left us as soon as we promised. We're on it now and we'll keep you posted until it's on its way.",
    DELIVERY_DELAY:
      "we've noticed that your order {{orderName}} is running late on its way to you. We're looking into it with the carrier right now.",
    DELIVERY_FAILURE:
      "we've noticed that the delivery of your order {{orderName}} didn't go as planned. We're taking it up with the carrier right now.",
    REFUND:
      "we've seen that part of your order {{orderName}} was refunded because something wasn't right. We're looking into what went wrong.",
    MERCHANT_CANCELLATION:
      "we've had to cancel your order {{orderName}}, and we know that's disappointing. We're looking into what went wrong.",
    MANUAL: "thank you for letting us know about your order {{orderName}}. We're looking into it now.",
  },
  acknowledgement: {
    subject: "We're on it: your order {{orderName}}",
    body: [
      "Hi {{firstName}},",
      "A quick note to say {{problem}}",
      "We're sorry for the trouble, and we'll be in touch again soon.",
      "If you have any questions in the meantime, just reply to this message.",
    ].join("\n\n"),
  },
  templates: {
    standard: {
      subject: "We're sorry about your order {{orderName}}",
      body: [
        "Hi {{firstName}},",
        "We're sorry: {{problem}}",
        "Thank you for your patience while we sorted it out.",
        "{{offer}}",
        "If anything else isn't right, just reply to this message and we'll help.",
      ].join("\n\n"),
    },
    personal: {
      subject: "{{firstName}}, a personal apology about your order {{orderName}}",
      body: [
        "Hi {{firstName}},",
        "You've been a wonderful customer, so I wanted to write to you myself. I'm sorry: {{problem}}",
        "Thank you for your patience; it means a lot to us.",
        "{{offer}}",
        "If there's anything else I can do, simply reply to this message. It comes straight to me.",
      ].join("\n\n"),
    },
    // Lifecycle playbooks (decision 0115): a first-time buyer is invited back, a frequent one thanked.
    welcome_back: {
      subject: "We're sorry, {{firstName}}: we'd love to welcome you back",
      body: [
        "Hi {{firstName}},",
        "Thank you for choosing us for your first order, and we're sorry: {{problem}}",
        "This isn't the first impression we wanted to make, and we'd love the chance to show you what we're really like.",
        "{{offer}}",
        "If anything else isn't right, just reply to this message and we'll help.",
      ].join("\n\n"),
    },
    loyal_perk: {
      subject: "{{firstName}}, something just for you after your order {{orderName}}",
      body: [
        "Hi {{firstName}},",
        "You've ordered from us many times, and we're sorry: {{problem}}",
        "Customers like you are the reason we do this, so we've set aside something only for our most loyal customers.",
        "{{offer}}",
        "If there's anything else we can do, simply reply to this message. It comes straight to us.",
      ].join("\n\n"),
    },
  },
};

export const DEFAULT_MESSAGES: MessageCatalog = { en };

/**
 * The closed set of template keys a grid cell may name: own keys of the English catalog (every
 * template exists in English, the fallback). `Object.hasOwn`, never `in` or a bare lookup:
 * "constructor" or "toString" would otherwise find Object.prototype's members.
 */
export function isTemplateKey(key: string): boolean {
  return Object.hasOwn(DEFAULT_MESSAGES.en.templates, key);
}

/** The refusal beside a cell that names a template that does not exist. */
export function unknownTemplateMessage(key: string): string {
  const keys = Object.keys(DEFAULT_MESSAGES.en.templates);
  const known = keys.length > 1 ? `${keys.slice(0, -1).join(", ")} or ${keys.at(-1)}` : keys.join("");
  return `There is no message template "${key}": choose ${known}`;
}
