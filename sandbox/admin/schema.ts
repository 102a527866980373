/**
 * The real Admin API 2026-10 schema, loaded from the introspection result the
 * app already keeps (app/types). The sandbox validates every document against
 * it and executes over it, so a field Shopify does not have cannot pass here.
 * The same file carries Shopify's access-scope notes (requiredAccess, "Requires
 * `x` access_scope"), which the sandbox enforces (./scopes.ts).
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { buildClientSchema, type GraphQLSchema, type IntrospectionQuery } from "graphql";
import { ScopeIndex } from "../../app/shopify/scopes/required-scopes";
import { scopeNotesFromIntrospection } from "../../app/shopify/scopes/schema-notes";

export const ADMIN_API_VERSION = "2026-10";

const SCHEMA_FILE = fileURLToPath(new URL("../../app/types/admin-2026-10.schema.json.gz", import.meta.url));

let cached: { schema: GraphQLSchema; scopes: ScopeIndex } | undefined;

function load() {
  if (!cached) {
    const json = JSON.parse(gunzipSync(readFileSync(SCHEMA_FILE)).toString("utf8")) as { data: IntrospectionQuery };
    const schema = buildClientSchema(json.data);
    cached = { schema, scopes: new ScopeIndex(schema, scopeNotesFromIntrospection(json.data)) };
  }
  return cached;
}

/** Built once per process (about 0.2 s): the file is 0.9 MB gzipped. */
export function adminSchema(): GraphQLSchema {
  return load().schema;
}

/** The schema's scope notes, indexed for ../../app/shopify/scopes/required-scopes.ts. */
export function adminScopeIndex(): ScopeIndex {
  return load().scopes;
}
