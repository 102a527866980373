/**
 * The real Admin API 2026-10 schema, loaded from the introspection result the
 * app already keeps (app/types). The sandbox validates every document against
 * it and executes over it, so a field Shopify does not have cannot pass here.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { buildClientSchema, type GraphQLSchema, type IntrospectionQuery } from "graphql";

export const ADMIN_API_VERSION = "2026-10";

const SCHEMA_FILE = fileURLToPath(new URL("../../app/types/admin-2026-10.schema.json.gz", import.meta.url));

let cached: GraphQLSchema | undefined;

/** Built once per process (about 0.2 s): the file is 0.9 MB gzipped. */
export function adminSchema(): GraphQLSchema {
  if (!cached) {
    const json = JSON.parse(gunzipSync(readFileSync(SCHEMA_FILE)).toString("utf8")) as { data: IntrospectionQuery };
    cached = buildClientSchema(json.data);
  }
  return cached;
}
