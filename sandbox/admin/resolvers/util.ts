/**
 * Shared pieces for resolvers: typed resolver maps, GIDs, Shopify's value
 * formats (DateTime without milliseconds, Decimal like "10.5"), money objects,
 * userErrors and loud refusals of inputs the sandbox does not model.
 */
import { GraphQLError, type GraphQLResolveInfo } from "graphql";
import type { Id } from "../../store";
import type { AdminContext } from "../context";
import { notModelled } from "../errors";

export type Args = Record<string, unknown>;
export type FieldResolver<S> = (source: S, args: Args, ctx: AdminContext, info: GraphQLResolveInfo) => unknown;
export type TypeResolvers<S> = Record<string, FieldResolver<S>>;
/** Resolver maps by GraphQL type name; each map knows its own source type. */
export type ResolverMap = Record<string, TypeResolvers<never>>;

export interface UserError {
  field: string[] | null;
  message: string;
  code?: string | null;
}

export const gidOf = (type: string, id: Id) => `gid://shopify/${type}/${id}`;

/** Shopify's answer to an argument that is not a GID at all. */
export function parseGid(value: unknown): { type: string; id: Id } {
  const match = typeof value === "string" ? /^gid:\/\/shopify\/([A-Za-z]+)\/(\d+)(\?.*)?$/.exec(value) : null;
  if (!match) {
    throw new GraphQLError(`Invalid global id '${String(value)}'`, {
      extensions: { code: "argumentLiteralsIncompatible", typeName: "CoercionError" },
    });
  }
  return { type: match[1]!, id: match[2]! };
}

/** The numeric id of a GID of the given type, or undefined when it names another type. */
export function idOfType(value: unknown, type: string): Id | undefined {
  const gid = parseGid(value);
  return gid.type === type ? gid.id : undefined;
}

/** Shopify's DateTime: ISO 8601 in UTC without milliseconds. */
export function iso(date: Date): string;
export function iso(date: Date | null): string | null;
export function iso(date: Date | null): string | null {
  return date ? date.toISOString().replace(/\.\d{3}Z$/, "Z") : null;
}

/** Shopify's Decimal as it serialises it: no trailing zeros but at least one decimal ("10.0", "10.5", "0.0"). */
export function decimal(value: string | number): string {
  const fixed = (typeof value === "number" ? value : Number(value)).toFixed(2);
  const trimmed = fixed.replace(/0+$/, "");
  return trimmed.endsWith(".") ? `${trimmed}0` : trimmed;
}

export function moneyV2(amount: string, currencyCode: string) {
  return { amount: decimal(amount), currencyCode };
}

/** The sandbox has one currency per shop, so shop and presentment money are the same. */
export function moneyBag(amount: string, currencyCode: string) {
  const money = moneyV2(amount, currencyCode);
  return { shopMoney: money, presentmentMoney: money };
}

/** A value in an abstract-type position (Node, unions) names its concrete type. */
export function typed<T extends object>(typename: string, value: T): T & { __typename: string } {
  return { ...value, __typename: typename };
}

/** Amounts arrive as Decimal strings or numbers; the store keeps two-decimal strings. */
export function toAmount(value: unknown): string {
  return Number(value).toFixed(2);
}

export function parseDate(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  return new Date(String(value));
}

/**
 * Inputs the sandbox does not model are refused loudly rather than silently
 * ignored, so the app cannot come to depend on behaviour the sandbox fakes.
 */
export function refuseUnmodelledInput(
  input: object | null | undefined,
  modelled: readonly string[],
  typeName: string,
): void {
  if (!input) return;
  for (const [key, value] of Object.entries(input)) {
    if (value !== undefined && value !== null && !modelled.includes(key)) throw notModelled(`${typeName}.${key}`);
  }
}

export function defined<T>(value: T | null | undefined): value is T {
  return value !== null && value !== undefined;
}
