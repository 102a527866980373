/**
 * Gift cards: create (with Shopify's code rules: 8-20 letters and digits,
 * case-insensitive, unique; 16 random characters when none is given), read,
 * and send the notification that 2026-10 no longer sends on create.
 */
import { randomInt } from "node:crypto";
import type { GiftCard } from "../../store";
import type { AdminContext } from "../context";
import {
  gidOf,
  idOfType,
  iso,
  moneyV2,
  parseGid,
  refuseUnmodelledInput,
  type Args,
  type ResolverMap,
  type TypeResolvers,
} from "./util";

const CODE_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

function generateCode(ctx: AdminContext): string {
  for (;;) {
    let code = "";
    for (let i = 0; i < 16; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
    if (!codeTaken(ctx, code)) return code;
  }
}

function codeTaken(ctx: AdminContext, code: string): boolean {
  const wanted = code.toLowerCase();
  return [...ctx.shop.giftCards.values()].some((card) => card.code.toLowerCase() === wanted);
}

/** Today's date in the shop's time zone, as YYYY-MM-DD (gift cards expire on a date, not an instant). */
function shopToday(ctx: AdminContext): string {
  return new Intl.DateTimeFormat("en-CA", {
    timeZone: ctx.shop.ianaTimezone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(ctx.now);
}

export function expired(ctx: AdminContext, card: GiftCard): boolean {
  return card.expiresOn !== null && card.expiresOn < shopToday(ctx);
}

const GiftCard: TypeResolvers<GiftCard> = {
  id: (card) => gidOf("GiftCard", card.id),
  balance: (card) => moneyV2(card.balance, card.currency),
  initialValue: (card) => moneyV2(card.initialValue, card.currency),
  lastCharacters: (card) => card.code.slice(-4),
  maskedCode: (card) => `•••• •••• •••• ${card.code.slice(-4)}`,
  expiresOn: (card) => card.expiresOn,
  note: (card) => card.note,
  enabled: (card) => card.enabled,
  deactivatedAt: () => null,
  isRedeemable: (card, _a, ctx) => card.enabled && Number(card.balance) > 0 && !expired(ctx, card),
  createdAt: (card) => iso(card.createdAt),
  updatedAt: (card) => iso(card.createdAt),
  customer: (card, _a, ctx) => (card.customerId ? (ctx.shop.customers.get(card.customerId) ?? null) : null),
  // Cards made through the API have no order behind them.
  order: () => null,
  lineItem: () => null,
};

interface GiftCardCreateInput {
  initialAmount?: { amount: string | number; currencyCode: string } | null;
  initialValue?: string | number | null;
  customerId?: string | null;
  expiresOn?: string | null;
  note?: string | null;
  code?: string | null;
}

interface GiftCardError {
  field: string[] | null;
  code: string;
  message: string;
}

function giftCardCreate(_root: unknown, args: Args, ctx: AdminContext) {
  const input = args.input as GiftCardCreateInput;
  refuseUnmodelledInput(
    input,
    ["initialAmount", "initialValue", "customerId", "expiresOn", "note", "code"],
    "GiftCardCreateInput",
  );
  const errors: GiftCardError[] = [];
  const err = (field: string[], code: string, message: string) =>
    errors.push({ field: ["input", ...field], code, message });

  const raw = input.initialAmount?.amount ?? input.initialValue;
  const currency = input.initialAmount?.currencyCode ?? ctx.shop.currency;
  const amountField = input.initialAmount ? "initialAmount" : "initialValue";
  if (raw === undefined || raw === null) err(["initialAmount"], "MISSING_ARGUMENT", "Initial amount is required.");
  else if (!(Number(raw) > 0)) err([amountField], "GREATER_THAN", "Initial value must be greater than 0.");
  if (currency !== ctx.shop.currency)
    err(["initialAmount", "currencyCode"], "INVALID", `Currency ${currency} is not enabled for this shop.`);

  let code = input.code?.replace(/[\s-]/g, "").toLowerCase() ?? null;
  if (code !== null) {
    if (code.length < 8) err(["code"], "TOO_SHORT", "Code is too short (minimum is 8 characters)");
    else if (code.length > 20) err(["code"], "TOO_LONG", "Code is too long (maximum is 20 characters)");
    else if (!/^[a-z0-9]+$/.test(code))
      err(["code"], "INVALID", "Code can only contain letters (a-z) and numbers (0-9)");
    else if (codeTaken(ctx, code)) err(["code"], "TAKEN", "Code has already been taken");
  }

  let customerId: string | null = null;
  if (input.customerId) {
    const gid = parseGid(input.customerId);
    if (gid.type !== "Customer" || !ctx.shop.customers.has(gid.id))
      err(["customerId"], "CUSTOMER_NOT_FOUND", "Customer does not exist.");
    else customerId = gid.id;
  }
  if (input.expiresOn && input.expiresOn < shopToday(ctx))
    err(["expiresOn"], "INVALID", "Expires on must be in the future.");
  if (input.note && input.note.length > 5000)
    err(["note"], "TOO_LONG", "Note is too long (maximum is 5000 characters)");
  if (errors.length) return { giftCard: null, giftCardCode: null, userErrors: errors };

  code ??= generateCode(ctx);
  const value = Number(raw).toFixed(2);
  const card: GiftCard = {
    id: ctx.store.newId(),
    code,
    initialValue: value,
    balance: value,
    currency,
    customerId,
    createdAt: ctx.now,
    expiresOn: input.expiresOn ?? null,
    note: input.note ?? null,
    enabled: true,
    notificationsSent: 0,
  };
  ctx.shop.giftCards.set(card.id, card);
  return { giftCard: card, giftCardCode: code, userErrors: [] };
}

function giftCardSendNotificationToCustomer(_root: unknown, args: Args, ctx: AdminContext) {
  const id = idOfType(args.id, "GiftCard");
  const card = id ? ctx.shop.giftCards.get(id) : undefined;
  const fail = (code: string, message: string) => ({ giftCard: null, userErrors: [{ field: ["id"], code, message }] });
  if (!card) return fail("GIFT_CARD_NOT_FOUND", "Gift card not found.");
  if (!card.customerId || !ctx.shop.customers.has(card.customerId))
    return fail("CUSTOMER_NOT_FOUND", "The gift card has no customer to notify.");
  if (!card.enabled || expired(ctx, card)) return fail("INVALID", "The gift card is disabled or expired.");
  card.notificationsSent += 1;
  ctx.shop.notifications.push({ kind: "GIFT_CARD", customerId: card.customerId, resourceId: card.id, sentAt: ctx.now });
  return { giftCard: card, userErrors: [] };
}

export const giftCardResolvers: ResolverMap = { GiftCard };

export const giftCardQueries = {
  giftCard: (_root: unknown, args: Args, ctx: AdminContext) => {
    const id = idOfType(args.id, "GiftCard");
    return (id && ctx.shop.giftCards.get(id)) || null;
  },
};

export const giftCardMutations = { giftCardCreate, giftCardSendNotificationToCustomer };
