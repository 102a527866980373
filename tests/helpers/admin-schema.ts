/** The real Admin API 2026-10 schema (from @shopify/dev-mcp; see scripts/update-admin-schema.sh). */
import { readFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { buildClientSchema, parse, validate, type GraphQLSchema, type IntrospectionQuery } from "graphql";

let schema: GraphQLSchema | undefined;

export function adminSchema(): GraphQLSchema {
  if (!schema) {
    const file = path.resolve("app/types/admin-2026-10.schema.json.gz");
    const json = JSON.parse(gunzipSync(readFileSync(file)).toString("utf8")) as { data: IntrospectionQuery };
    schema = buildClientSchema(json.data);
  }
  return schema;
}

export function validateOperation(source: string): string[] {
  return validate(adminSchema(), parse(source)).map((e) => e.message);
}
