/**
 * Access scopes, enforced per field, argument and input field from the
 * schema's own notes (app/shopify/scopes), as Shopify does: a field the shop's
 * grant does not cover resolves to null with an ACCESS_DENIED error, and
 * nothing behind it runs (a mutation refused this way changes nothing).
 *
 *   {"message": "Access denied for giftCardCreate field. Required access: `write_gift_cards` access scope.",
 *    "locations": [...], "path": ["giftCardCreate"],
 *    "extensions": {"code": "ACCESS_DENIED", "documentation": "https://shopify.dev/api/usage/access-scopes",
 *                   "requiredAccess": "`write_gift_cards` access scope."}}
 *
 * Each shop's grant starts as the app's configured scopes (the install grant) and can be changed
 * to simulate a merchant revoking one (`grants.revoke(shop, [...])`). A write scope implies its
 * read scope.
 */
import { getNamedType, GraphQLError, isObjectType, type GraphQLResolveInfo } from "graphql";
import { isSatisfied, parseScopeList, withImpliedScopes, type OperationType } from "../../app/shopify/scopes/notes";
import type { Requirement } from "../../app/shopify/scopes/required-scopes";
import { adminScopeIndex } from "./schema";

export const ACCESS_SCOPES_DOCS = "https://shopify.dev/api/usage/access-scopes";

export class ScopeGrants {
  private readonly byShop = new Map<string, string[]>();

  /** `defaults`: comma-separated, as shopify.app.toml and the OAuth answer write them. */
  constructor(private readonly defaults: string) {}

  granted(shop: string): string[] {
    return this.byShop.get(shop) ?? parseScopeList(this.defaults);
  }

  /** What the shop grants, write scopes bringing their read scopes. */
  effective(shop: string): Set<string> {
    return withImpliedScopes(this.granted(shop));
  }

  set(shop: string, scopes: readonly string[]): void {
    this.byShop.set(shop, [...new Set(scopes)]);
  }

  /** A merchant removes scopes (optional scopes can be revoked; a new install grant can be narrower). */
  revoke(shop: string, scopes: readonly string[]): string[] {
    const left = this.granted(shop).filter((s) => !scopes.includes(s));
    this.set(shop, left);
    return left;
  }

  grant(shop: string, scopes: readonly string[]): string[] {
    const all = [...new Set([...this.granted(shop), ...scopes])];
    this.set(shop, all);
    return all;
  }

  reset(): void {
    this.byShop.clear();
  }
}

export function accessDenied(requirement: Requirement): GraphQLError {
  return new GraphQLError(`Access denied for ${requirement.field} field. Required access: ${requirement.note}`, {
    // graphql-js adds the path and locations when the resolver's error is located.
    extensions: { code: "ACCESS_DENIED", documentation: ACCESS_SCOPES_DOCS, requiredAccess: requirement.note },
  });
}

/**
 * The first requirement of this field that the grant does not meet: the field's own note, the type
 * it returns, the type it is read on (for `... on X` under an interface), and every argument and
 * input field the request gives.
 */
export function deniedRequirement(
  info: GraphQLResolveInfo,
  args: Record<string, unknown>,
  granted: ReadonlySet<string>,
): Requirement | null {
  const index = adminScopeIndex();
  const operation: OperationType = info.operation.operation === "mutation" ? "mutation" : "query";
  const field = info.parentType.getFields()[info.fieldName];
  if (!field) return null;
  const requirements: Requirement[] = [];
  if (isObjectType(info.parentType)) {
    const parent = index.typeRequirement(info.parentType.name, info.fieldName, operation);
    if (parent) requirements.push(parent);
  }
  requirements.push(
    ...index.fieldRequirements(info.parentType.name, info.fieldName, getNamedType(field.type).name, operation),
  );
  for (const arg of field.args) {
    const value = args[arg.name];
    if (value === undefined || value === null) continue;
    const own = index.argumentRequirement(info.parentType.name, info.fieldName, arg.name, operation);
    if (own) requirements.push(own);
    index.inputRequirements(arg.type, value, operation, requirements);
  }
  // A note the parser cannot read is not enforced (there is none on any field Amends uses: the
  // access-scopes test checks that); refusing would make the sandbox wrong in the other direction.
  return requirements.find((r) => r.recognised && !isSatisfied(r, granted)) ?? null;
}
