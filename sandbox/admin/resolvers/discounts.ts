/**
 * Basic code discounts: create one (optionally limited to customers), update
 * its customers and limits, add codes to it in bulk, and look codes up. Codes
 * are unique per shop and compared case-insensitively, as Shopify does.
 *
 * discountRedeemCodeBulkAdd is asynchronous at Shopify: its payload reports
 * the creation as not done, and the codes exist only once the job has run.
 * The sandbox runs the job `timing.bulkCodeAddMs` after the mutation on its
 * clock (never, when null): until then the creation reads not done, nothing
 * is imported and codeDiscountNodeByCode does not find the codes. Codes are
 * checked (TAKEN...) when the job runs, in the order the jobs were made.
 */
import { money, type CodeDiscount, type DiscountRedeemCode } from "../../store";
import type { AdminContext, BulkCreation } from "../context";
import { connection } from "./connection";
import {
  gidOf,
  idOfType,
  iso,
  moneyV2,
  parseDate,
  refuseUnmodelledInput,
  typed,
  type Args,
  type ResolverMap,
  type TypeResolvers,
} from "./util";
import { notModelled } from "../errors";

interface DiscountUserError {
  field: string[] | null;
  code: string | null;
  message: string;
  extraInfo: string | null;
}

const userError = (field: string[] | null, code: string, message: string): DiscountUserError => ({
  field,
  code,
  message,
  extraInfo: null,
});

export const DUPLICATE_CODE_MESSAGE = "Code must be unique. Please try a different code.";

function findCode(
  ctx: AdminContext,
  code: string,
): { discount: CodeDiscount; redeemCode: DiscountRedeemCode } | undefined {
  const wanted = code.trim().toLowerCase();
  for (const discount of ctx.shop.discounts.values()) {
    const redeemCode = discount.codes.find((c) => c.code.toLowerCase() === wanted);
    if (redeemCode) return { discount, redeemCode };
  }
  return undefined;
}

function status(discount: CodeDiscount, now: Date): "ACTIVE" | "EXPIRED" | "SCHEDULED" {
  if (now < discount.startsAt) return "SCHEDULED";
  if (discount.endsAt && now >= discount.endsAt) return "EXPIRED";
  return "ACTIVE";
}

function summary(discount: CodeDiscount, currency: string): string {
  const value =
    "percentage" in discount.value
      ? `${Math.round(discount.value.percentage * 10000) / 100}% off`
      : `${money.fromCents(money.cents(discount.value.amount))} ${currency} off${discount.value.appliesOnEachItem ? " each item" : ""}`;
  const once = discount.appliesOncePerCustomer ? " • One use per customer" : "";
  return `${value} entire order${once}`;
}

const DiscountCodeNode: TypeResolvers<CodeDiscount> = {
  id: (d) => gidOf("DiscountCodeNode", d.id),
  codeDiscount: (d) => typed("DiscountCodeBasic", d),
};

const DiscountNode: TypeResolvers<CodeDiscount> = {
  id: (d) => gidOf("DiscountNode", d.id),
  discount: (d) => typed("DiscountCodeBasic", d),
};

const DiscountCodeBasic: TypeResolvers<CodeDiscount> = {
  title: (d) => d.title,
  status: (d, _a, ctx) => status(d, ctx.now),
  startsAt: (d) => iso(d.startsAt),
  endsAt: (d) => iso(d.endsAt),
  createdAt: (d) => iso(d.createdAt),
  updatedAt: (d) => iso(d.updatedAt),
  usageLimit: (d) => d.usageLimit,
  appliesOncePerCustomer: (d) => d.appliesOncePerCustomer,
  asyncUsageCount: (d) => d.codes.reduce((sum, c) => sum + c.usageCount, 0),
  codesCount: (d) => ({ count: d.codes.length, precision: "EXACT" }),
  codes: (d, args) => {
    if (typeof args.query === "string" && args.query.trim()) throw notModelled("DiscountCodeBasic.codes(query:)");
    const items = args.reverse === true ? [...d.codes].reverse() : d.codes;
    return connection({
      items: items.map((code) => ({ discount: d, code })),
      args,
      key: (ref) => ({ id: Number(ref.code.id), value: Number(ref.code.id) }),
      descending: args.reverse === true,
    });
  },
  combinesWith: (d) => ({ ...d.combinesWith, productDiscountsWithTagsOnSameCartLine: null }),
  context: (d, _a, ctx) =>
    d.customerIds.length
      ? typed("DiscountCustomers", { customers: d.customerIds.map((id) => ctx.shop.customers.get(id)).filter(Boolean) })
      : typed("DiscountBuyerSelectionAll", { all: "ALL" }),
  customerGets: (d, _a, ctx) => ({
    value:
      "percentage" in d.value
        ? typed("DiscountPercentage", { percentage: d.value.percentage })
        : typed("DiscountAmount", {
            amount: moneyV2(d.value.amount, ctx.shop.currency),
            appliesOnEachItem: d.value.appliesOnEachItem,
          }),
    items: typed("AllDiscountItems", { allItems: true }),
    appliesOnOneTimePurchase: true,
    appliesOnSubscription: false,
  }),
  summary: (d, _a, ctx) => summary(d, ctx.shop.currency),
  shortSummary: (d, _a, ctx) => summary(d, ctx.shop.currency),
  discountClasses: () => ["ORDER"],
  minimumRequirement: () => null,
  recurringCycleLimit: () => null,
  tags: () => [],
};

const DiscountRedeemCode: TypeResolvers<{ discount: CodeDiscount; code: DiscountRedeemCode }> = {
  id: ({ code }) => gidOf("DiscountRedeemCode", code.id),
  code: ({ code }) => code.code,
  asyncUsageCount: ({ code }) => code.usageCount,
  createdBy: () => null,
};

interface BulkView {
  creation: BulkCreation;
  /** The mutation's own payload shows the job queued; later reads show it done. */
  queued: boolean;
}

const DiscountRedeemCodeBulkCreation: TypeResolvers<BulkView | BulkCreation> = {
  id: (v) => gidOf("DiscountRedeemCodeBulkCreation", bulk(v).creation.id),
  createdAt: (v) => iso(bulk(v).creation.createdAt),
  done: (v) => !bulk(v).queued,
  codesCount: (v) => bulk(v).creation.codes.length,
  importedCount: (v) => (bulk(v).queued ? 0 : bulk(v).creation.codes.filter((c) => !c.error).length),
  failedCount: (v) => (bulk(v).queued ? 0 : bulk(v).creation.codes.filter((c) => c.error).length),
  discountCode: (v, _a, ctx) => ctx.shop.discounts.get(bulk(v).creation.discountId) ?? null,
  codes: (v, args) => {
    const { creation, queued } = bulk(v);
    const items = (queued ? [] : creation.codes).map((entry, index) => ({
      entry,
      index,
      discountId: creation.discountId,
    }));
    return connection({ items, args, key: (item) => ({ id: item.index, value: item.index }) });
  },
};

/** Not done until the job ran; the mutation's own payload always shows it queued, as Shopify's does. */
function bulk(view: BulkView | BulkCreation): BulkView {
  return "creation" in view ? view : { creation: view, queued: !view.done };
}

const DiscountRedeemCodeBulkCreationCode: TypeResolvers<{ entry: BulkCreation["codes"][number]; discountId: string }> =
  {
    code: ({ entry }) => entry.code,
    discountRedeemCode: ({ entry, discountId }, _a, ctx) => {
      const discount = ctx.shop.discounts.get(discountId);
      const code = discount?.codes.find((c) => c.id === entry.redeemCodeId);
      return discount && code ? { discount, code } : null;
    },
    errors: ({ entry }) => (entry.error ? [userError(["code"], entry.error.code, entry.error.message)] : []),
  };

interface DiscountCodeBasicInput {
  title?: string | null;
  code?: string | null;
  startsAt?: string | null;
  endsAt?: string | null;
  usageLimit?: number | null;
  appliesOncePerCustomer?: boolean | null;
  combinesWith?: {
    orderDiscounts?: boolean | null;
    productDiscounts?: boolean | null;
    shippingDiscounts?: boolean | null;
  } | null;
  context?: { all?: string | null; customers?: { add?: string[] | null; remove?: string[] | null } | null } | null;
  customerSelection?: {
    all?: boolean | null;
    customers?: { add?: string[] | null; remove?: string[] | null } | null;
  } | null;
  customerGets?: {
    value?: {
      percentage?: number | null;
      discountAmount?: { amount?: string | number | null; appliesOnEachItem?: boolean | null } | null;
    } | null;
    items?: { all?: boolean | null } | null;
  } | null;
}

function discountCodeBasicCreate(_root: unknown, args: Args, ctx: AdminContext) {
  const input = args.basicCodeDiscount as DiscountCodeBasicInput;
  refuseUnmodelledInput(
    input,
    [
      "title",
      "code",
      "startsAt",
      "endsAt",
      "usageLimit",
      "appliesOncePerCustomer",
      "combinesWith",
      "context",
      "customerSelection",
      "customerGets",
    ],
    "DiscountCodeBasicInput",
  );
  refuseUnmodelledInput(input.context, ["all", "customers"], "DiscountContextInput");
  refuseUnmodelledInput(input.customerSelection, ["all", "customers"], "DiscountCustomerSelectionInput");
  refuseUnmodelledInput(
    input.customerGets,
    ["value", "items", "appliesOnOneTimePurchase", "appliesOnSubscription"],
    "DiscountCustomerGetsInput",
  );
  refuseUnmodelledInput(input.customerGets?.value, ["percentage", "discountAmount"], "DiscountCustomerGetsValueInput");
  refuseUnmodelledInput(input.customerGets?.items, ["all"], "DiscountItemsInput");

  const at = (...path: string[]) => ["basicCodeDiscount", ...path];
  const errors: DiscountUserError[] = [];
  const title = input.title?.trim() ?? "";
  const code = input.code?.trim() ?? "";
  if (!title) errors.push(userError(at("title"), "BLANK", "Title can't be blank"));
  else if (title.length > 255)
    errors.push(userError(at("title"), "TOO_LONG", "Title is too long (maximum is 255 characters)"));
  if (!code) errors.push(userError(at("code"), "BLANK", "Code can't be blank"));
  else if (code.length > 255)
    errors.push(userError(at("code"), "TOO_LONG", "Code is too long (maximum is 255 characters)"));
  else if (/[\r\n]/.test(code))
    errors.push(userError(at("code"), "INVALID", "Code cannot contain newline characters."));
  else if (findCode(ctx, code)) errors.push(userError(at("code"), "TAKEN", DUPLICATE_CODE_MESSAGE));

  const startsAt = parseDate(input.startsAt);
  const endsAt = parseDate(input.endsAt);
  if (!startsAt) errors.push(userError(at("startsAt"), "BLANK", "Starts at can't be blank"));
  if (startsAt && endsAt && endsAt <= startsAt)
    errors.push(userError(at("endsAt"), "END_DATE_BEFORE_START_DATE", "Ends at needs to be after starts_at"));

  const value = input.customerGets?.value;
  let discountValue: CodeDiscount["value"] | undefined;
  if (!input.customerGets) errors.push(userError(at("customerGets"), "BLANK", "Customer gets can't be blank"));
  else if (!value || (value.percentage == null && !value.discountAmount))
    errors.push(userError(at("customerGets", "value"), "BLANK", "Value can't be blank"));
  else if (value.percentage != null && value.discountAmount) {
    errors.push(
      userError(
        at("customerGets", "value"),
        "TOO_MANY_ARGUMENTS",
        "Only one of percentage or discountAmount can be provided",
      ),
    );
  } else if (value.percentage != null) {
    if (value.percentage < 0 || value.percentage > 1) {
      errors.push(
        userError(
          at("customerGets", "value", "percentage"),
          "VALUE_OUTSIDE_RANGE",
          "Value must be between 0.0 and 1.0",
        ),
      );
    } else discountValue = { percentage: value.percentage };
  } else if (value.discountAmount) {
    const amount = Number(value.discountAmount.amount ?? NaN);
    if (!(amount > 0))
      errors.push(
        userError(
          at("customerGets", "value", "discountAmount", "amount"),
          "GREATER_THAN",
          "Amount must be greater than 0",
        ),
      );
    else
      discountValue = { amount: amount.toFixed(2), appliesOnEachItem: value.discountAmount.appliesOnEachItem ?? false };
  }
  if (input.customerGets && input.customerGets.items?.all !== true) {
    errors.push(userError(at("customerGets", "items"), "BLANK", "Items can't be blank"));
  }
  if (input.usageLimit !== undefined && input.usageLimit !== null && input.usageLimit < 1) {
    errors.push(userError(at("usageLimit"), "GREATER_THAN", "Usage limit must be greater than 0"));
  }

  // context (2026-10) or the deprecated customerSelection: both may name customers to add.
  const selection = input.context ?? input.customerSelection ?? null;
  const customerIds: string[] = [];
  const contextPath = input.context ? "context" : "customerSelection";
  for (const [index, customerGid] of (selection?.customers?.add ?? []).entries()) {
    const id = idOfType(customerGid, "Customer");
    if (!id || !ctx.shop.customers.has(id))
      errors.push(userError(at(contextPath, "customers", "add", String(index)), "INVALID", "Customer does not exist"));
    else if (!customerIds.includes(id)) customerIds.push(id);
  }

  if (errors.length || !startsAt || !discountValue) return { codeDiscountNode: null, userErrors: errors };
  const discount: CodeDiscount = {
    id: ctx.store.newId(),
    title,
    createdAt: ctx.now,
    updatedAt: ctx.now,
    startsAt,
    endsAt,
    customerIds,
    value: discountValue,
    usageLimit: input.usageLimit ?? null,
    appliesOncePerCustomer: input.appliesOncePerCustomer ?? false,
    codes: [{ id: ctx.store.newId(), code, usageCount: 0 }],
    combinesWith: {
      orderDiscounts: input.combinesWith?.orderDiscounts ?? false,
      productDiscounts: input.combinesWith?.productDiscounts ?? false,
      shippingDiscounts: input.combinesWith?.shippingDiscounts ?? false,
    },
  };
  ctx.shop.discounts.set(discount.id, discount);
  return { codeDiscountNode: discount, userErrors: [] };
}

/**
 * The new customer list of a discount from `context` on update: `all` opens it
 * to everyone; `customers.add` / `remove` edit the current list (adding a
 * customer already there changes nothing). Unknown customers are userErrors.
 */
function updatedCustomerIds(
  ctx: AdminContext,
  discount: CodeDiscount,
  context: DiscountCodeBasicInput["context"],
  errors: DiscountUserError[],
): string[] {
  const path = ["basicCodeDiscount", "context"];
  if (!context) return discount.customerIds;
  if (context.all && context.customers) {
    errors.push(userError(path, "TOO_MANY_ARGUMENTS", "Only one of all or customers can be provided"));
    return discount.customerIds;
  }
  if (context.all) return [];
  if (!context.customers) return discount.customerIds;
  const resolve = (list: "add" | "remove") =>
    (context.customers?.[list] ?? []).flatMap((customerGid, index) => {
      const id = idOfType(customerGid, "Customer");
      if (id && ctx.shop.customers.has(id)) return [id];
      errors.push(userError([...path, "customers", list, String(index)], "INVALID", "Customer does not exist"));
      return [];
    });
  const added = resolve("add");
  const removed = new Set(resolve("remove"));
  const next = [...new Set([...discount.customerIds, ...added])].filter((id) => !removed.has(id));
  // The store reads an empty list as "everyone": removing the last customer must not open the discount to all.
  if (next.length === 0) errors.push(userError([...path, "customers"], "BLANK", "Customers can't be blank"));
  return next;
}

/**
 * Changes the settings given and leaves the rest as they are. An explicit
 * null clears endsAt and usageLimit (no end, no limit), as the schema says;
 * elsewhere null means "unchanged".
 */
function discountCodeBasicUpdate(_root: unknown, args: Args, ctx: AdminContext) {
  const input = args.basicCodeDiscount as DiscountCodeBasicInput;
  refuseUnmodelledInput(
    input,
    ["title", "startsAt", "endsAt", "usageLimit", "appliesOncePerCustomer", "context"],
    "discountCodeBasicUpdate: DiscountCodeBasicInput",
  );
  refuseUnmodelledInput(input.context, ["all", "customers"], "DiscountContextInput");
  const id = idOfType(args.id, "DiscountCodeNode");
  const discount = id ? ctx.shop.discounts.get(id) : undefined;
  if (!discount)
    return { codeDiscountNode: null, userErrors: [userError(["id"], "INVALID", "Discount does not exist")] };

  const at = (...path: string[]) => ["basicCodeDiscount", ...path];
  const errors: DiscountUserError[] = [];
  const title = input.title === undefined || input.title === null ? discount.title : input.title.trim();
  if (!title) errors.push(userError(at("title"), "BLANK", "Title can't be blank"));
  else if (title.length > 255)
    errors.push(userError(at("title"), "TOO_LONG", "Title is too long (maximum is 255 characters)"));
  const startsAt = parseDate(input.startsAt) ?? discount.startsAt;
  const endsAt = "endsAt" in input ? parseDate(input.endsAt) : discount.endsAt;
  if (endsAt && endsAt <= startsAt)
    errors.push(userError(at("endsAt"), "END_DATE_BEFORE_START_DATE", "Ends at needs to be after starts_at"));
  const usageLimit = "usageLimit" in input ? (input.usageLimit ?? null) : discount.usageLimit;
  if (usageLimit !== null && usageLimit < 1)
    errors.push(userError(at("usageLimit"), "GREATER_THAN", "Usage limit must be greater than 0"));
  const customerIds = updatedCustomerIds(ctx, discount, input.context, errors);
  if (errors.length) return { codeDiscountNode: null, userErrors: errors };

  Object.assign(discount, {
    title,
    startsAt,
    endsAt,
    usageLimit,
    customerIds,
    appliesOncePerCustomer: input.appliesOncePerCustomer ?? discount.appliesOncePerCustomer,
    updatedAt: ctx.now,
  } satisfies Partial<CodeDiscount>);
  return { codeDiscountNode: discount, userErrors: [] };
}

const MAX_BULK_CODES = 250;

function discountRedeemCodeBulkAdd(_root: unknown, args: Args, ctx: AdminContext) {
  const discountId = idOfType(args.discountId, "DiscountCodeNode");
  const discount = discountId ? ctx.shop.discounts.get(discountId) : undefined;
  if (!discount)
    return { bulkCreation: null, userErrors: [userError(["discountId"], "INVALID", "Discount does not exist")] };
  const codes = (args.codes as Array<{ code: string }>).map((c) => c.code);
  if (codes.length === 0)
    return { bulkCreation: null, userErrors: [userError(["codes"], "BLANK", "Codes can't be blank")] };
  if (codes.length > MAX_BULK_CODES) {
    return {
      bulkCreation: null,
      userErrors: [userError(["codes"], "TOO_MANY_ARGUMENTS", `Codes can't exceed ${MAX_BULK_CODES}`)],
    };
  }
  const creation: BulkCreation = {
    id: ctx.store.newId(),
    discountId: discount.id,
    createdAt: ctx.now,
    completesAt:
      ctx.timing.bulkCodeAddMs === null ? null : new Date(ctx.now.getTime() + Math.max(0, ctx.timing.bulkCodeAddMs)),
    done: false,
    codes: codes.map((code) => ({ code: code.trim(), redeemCodeId: null, error: null })),
  };
  ctx.extras.bulkCreations.set(creation.id, creation);
  const queued: BulkView = { creation, queued: true };
  return { bulkCreation: queued, userErrors: [] };
}

/** Run every bulk code job whose time has come, oldest first (the handler calls it before each request). */
export function settleBulkCreations(ctx: AdminContext): void {
  for (const creation of ctx.extras.bulkCreations.values()) {
    if (creation.done || !creation.completesAt || creation.completesAt.getTime() > ctx.now.getTime()) continue;
    const discount = ctx.shop.discounts.get(creation.discountId);
    for (const entry of creation.codes) {
      const code = entry.code;
      let error: { code: string; message: string } | null = null;
      if (!discount) error = { code: "INVALID", message: "Discount does not exist" };
      else if (!code) error = { code: "BLANK", message: "Code can't be blank" };
      else if (code.length > 255) error = { code: "TOO_LONG", message: "Code is too long (maximum is 255 characters)" };
      else if (findCode(ctx, code)) error = { code: "TAKEN", message: DUPLICATE_CODE_MESSAGE };
      if (discount && !error) {
        entry.redeemCodeId = ctx.store.newId();
        discount.codes.push({ id: entry.redeemCodeId, code, usageCount: 0 });
      }
      entry.error = error;
    }
    if (discount) discount.updatedAt = creation.completesAt;
    creation.done = true;
  }
}

export const discountResolvers: ResolverMap = {
  DiscountCodeNode,
  DiscountNode,
  DiscountCodeBasic,
  DiscountRedeemCode,
  DiscountRedeemCodeBulkCreation,
  DiscountRedeemCodeBulkCreationCode,
};

export const discountQueries = {
  codeDiscountNodeByCode: (_root: unknown, args: Args, ctx: AdminContext) =>
    findCode(ctx, String(args.code))?.discount ?? null,
  codeDiscountNode: (_root: unknown, args: Args, ctx: AdminContext) => {
    const id = idOfType(args.id, "DiscountCodeNode");
    return (id && ctx.shop.discounts.get(id)) || null;
  },
  discountNode: (_root: unknown, args: Args, ctx: AdminContext) => {
    const id = idOfType(args.id, "DiscountNode");
    return (id && ctx.shop.discounts.get(id)) || null;
  },
  discountRedeemCodeBulkCreation: (_root: unknown, args: Args, ctx: AdminContext) => {
    const id = idOfType(args.id, "DiscountRedeemCodeBulkCreation");
    return (id && ctx.extras.bulkCreations.get(id)) || null;
  },
};

export const discountMutations = { discountCodeBasicCreate, discountCodeBasicUpdate, discountRedeemCodeBulkAdd };
