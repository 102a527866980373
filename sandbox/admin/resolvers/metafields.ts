/**
 * Metafields: metafieldsSet (atomic, at most 25, values checked against their
 * type) and reading them back through `metafield`/`metafields` on their owner.
 * A missing namespace means the app's reserved namespace ("$app"), stored as
 * Shopify stores it: `app--<app id>`.
 */
import { createHash } from "node:crypto";
import type { Metafield } from "../../store";
import type { AdminContext } from "../context";
import { byId } from "./connection";
import { findByGid } from "./lookup";
import {
  gidOf,
  iso,
  parseGid,
  refuseUnmodelledInput,
  typed,
  type Args,
  type FieldResolver,
  type ResolverMap,
  type TypeResolvers,
} from "./util";

/** The sandbox plays one app; its reserved namespace prefix. */
export const APP_NAMESPACE = "app--1";

const OWNER_TYPES: Record<string, string> = {
  Customer: "CUSTOMER",
  Order: "ORDER",
  Product: "PRODUCT",
  ProductVariant: "PRODUCTVARIANT",
  Shop: "SHOP",
  DraftOrder: "DRAFTORDER",
};

export function normaliseNamespace(namespace: unknown): string {
  if (namespace === null || namespace === undefined || namespace === "$app") return APP_NAMESPACE;
  const text = String(namespace);
  return text.startsWith("$app:") ? `${APP_NAMESPACE}--${text.slice(5)}` : text;
}

function metaOf(ctx: AdminContext, metafield: Metafield) {
  let meta = ctx.extras.metafieldIds.get(metafield);
  if (!meta) {
    meta = { id: ctx.store.newId(), createdAt: ctx.now, updatedAt: ctx.now };
    ctx.extras.metafieldIds.set(metafield, meta);
  }
  return meta;
}

const digest = (value: string) => createHash("sha256").update(value).digest("hex");

/** `metafield(namespace, key)` and `metafields(first, namespace, keys)` for an owner type. */
export function defineMetafieldFields<S>(
  ownerGid: (source: S, ctx: AdminContext) => string,
): Record<string, FieldResolver<S>> {
  const owned = (source: S, ctx: AdminContext) => {
    const gid = ownerGid(source, ctx);
    return ctx.shop.metafields.filter((m) => m.ownerGid === gid);
  };
  return {
    metafield: (source, args, ctx) => {
      const namespace = normaliseNamespace(args.namespace);
      return owned(source, ctx).find((m) => m.namespace === namespace && m.key === args.key) ?? null;
    },
    metafields: (source, args, ctx) => {
      let list = owned(source, ctx);
      if (args.namespace !== undefined && args.namespace !== null)
        list = list.filter((m) => m.namespace === normaliseNamespace(args.namespace));
      if (Array.isArray(args.keys)) {
        const keys = args.keys.map(String);
        list = list.filter((m) => keys.includes(`${m.namespace}.${m.key}`));
      }
      return byId(list, args, (m) => metaOf(ctx, m).id);
    },
  };
}

const Metafield: TypeResolvers<Metafield> = {
  id: (m, _a, ctx) => gidOf("Metafield", metaOf(ctx, m).id),
  legacyResourceId: (m, _a, ctx) => metaOf(ctx, m).id,
  namespace: (m) => m.namespace,
  key: (m) => m.key,
  type: (m) => m.type,
  value: (m) => m.value,
  jsonValue: (m) => jsonValue(m.type, m.value),
  compareDigest: (m) => digest(m.value),
  createdAt: (m, _a, ctx) => iso(metaOf(ctx, m).createdAt),
  updatedAt: (m, _a, ctx) => iso(metaOf(ctx, m).updatedAt),
  ownerType: (m) => OWNER_TYPES[parseGid(m.ownerGid).type] ?? null,
  owner: (m, _a, ctx) => {
    const found = findByGid(ctx, m.ownerGid);
    return found ? typed(found.typename, found.source) : null;
  },
};

function jsonValue(type: string, value: string): unknown {
  if (type === "number_integer") return Number(value);
  if (type === "number_decimal") return value;
  if (type === "boolean") return value === "true";
  if (type === "json" || type === "money" || type === "rating" || type.startsWith("list.")) return JSON.parse(value);
  return value;
}

const SCALAR_TYPES: Record<string, (value: string) => boolean> = {
  single_line_text_field: (v) => !/[\r\n]/.test(v),
  multi_line_text_field: () => true,
  number_integer: (v) => /^-?\d+$/.test(v),
  number_decimal: (v) => /^-?\d+(\.\d+)?$/.test(v),
  boolean: (v) => v === "true" || v === "false",
  json: (v) => parsesAsJson(v),
  date: (v) => /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v)),
  date_time: (v) => /^\d{4}-\d{2}-\d{2}T/.test(v) && !Number.isNaN(Date.parse(v)),
  url: (v) => URL.canParse(v),
  color: (v) => /^#[0-9a-fA-F]{6}$/.test(v),
  money: (v) => {
    const parsed = parseJson(v) as { amount?: unknown; currency_code?: unknown } | undefined;
    return !!parsed && typeof parsed.amount === "string" && typeof parsed.currency_code === "string";
  },
  customer_reference: (v) => /^gid:\/\/shopify\/Customer\/\d+$/.test(v),
  order_reference: (v) => /^gid:\/\/shopify\/Order\/\d+$/.test(v),
  product_reference: (v) => /^gid:\/\/shopify\/Product\/\d+$/.test(v),
  variant_reference: (v) => /^gid:\/\/shopify\/ProductVariant\/\d+$/.test(v),
};

function parseJson(value: string): unknown {
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return undefined;
  }
}

function parsesAsJson(value: string): boolean {
  return parseJson(value) !== undefined;
}

/** undefined when the type is unknown to the sandbox; otherwise whether the value fits. */
function valueFits(type: string, value: string): boolean | undefined {
  if (type.startsWith("list.")) {
    const inner = SCALAR_TYPES[type.slice(5)];
    if (!inner) return undefined;
    const parsed = parseJson(value);
    return (
      Array.isArray(parsed) &&
      parsed.every((item) => (typeof item === "string" ? inner(item) : inner(JSON.stringify(item))))
    );
  }
  const check = SCALAR_TYPES[type];
  return check ? check(value) : undefined;
}

interface MetafieldsSetInput {
  ownerId: string;
  namespace?: string | null;
  key: string;
  type?: string | null;
  value: string;
  compareDigest?: string | null;
}

interface SetError {
  field: string[];
  message: string;
  code: string;
  elementIndex: number | null;
}

function metafieldsSet(_root: unknown, args: Args, ctx: AdminContext) {
  const inputs = args.metafields as MetafieldsSetInput[];
  const errors: SetError[] = [];
  if (inputs.length > 25) {
    errors.push({
      field: ["metafields"],
      message: "Exceeds the maximum of 25 metafields per request.",
      code: "LESS_THAN_OR_EQUAL_TO",
      elementIndex: null,
    });
    return { metafields: null, userErrors: errors };
  }
  const planned: Array<{ existing: Metafield | undefined; next: Metafield }> = [];
  inputs.forEach((input, index) => {
    refuseUnmodelledInput(input, ["ownerId", "namespace", "key", "type", "value"], "MetafieldsSetInput");
    const at = (name: string) => ["metafields", String(index), name];
    const fail = (name: string, code: string, message: string) =>
      errors.push({ field: at(name), message, code, elementIndex: index });
    const owner = findByGid(ctx, input.ownerId);
    if (!owner || !OWNER_TYPES[owner.typename]) return fail("ownerId", "INVALID", "Owner does not exist.");
    const namespace = normaliseNamespace(input.namespace);
    if (namespace.length < 3) return fail("namespace", "TOO_SHORT", "Namespace is too short (minimum is 3 characters)");
    if (namespace.length > 255)
      return fail("namespace", "TOO_LONG", "Namespace is too long (maximum is 255 characters)");
    if (input.key.length < 2) return fail("key", "TOO_SHORT", "Key is too short (minimum is 2 characters)");
    if (input.key.length > 64) return fail("key", "TOO_LONG", "Key is too long (maximum is 64 characters)");
    const existing = ctx.shop.metafields.find(
      (m) => m.ownerGid === input.ownerId && m.namespace === namespace && m.key === input.key,
    );
    const type = input.type ?? existing?.type;
    if (!type) return fail("type", "BLANK", "Type can't be blank");
    const fits = valueFits(type, input.value);
    if (fits === undefined) return fail("type", "INVALID_TYPE", `Type '${type}' is not a valid type.`);
    if (!fits) return fail("value", "INVALID_VALUE", `Value is invalid for type ${type}.`);
    planned.push({ existing, next: { ownerGid: input.ownerId, namespace, key: input.key, type, value: input.value } });
  });
  // Atomic, as Shopify documents: one bad metafield and nothing is written.
  if (errors.length) return { metafields: null, userErrors: errors };
  const written = planned.map(({ existing, next }) => {
    if (existing) {
      existing.type = next.type;
      existing.value = next.value;
      metaOf(ctx, existing).updatedAt = ctx.now;
      return existing;
    }
    ctx.shop.metafields.push(next);
    metaOf(ctx, next);
    return next;
  });
  return { metafields: written, userErrors: [] };
}

export const metafieldResolvers: ResolverMap = { Metafield };
export const metafieldMutations = { metafieldsSet };
