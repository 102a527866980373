/**
 * The scopes each of the app's operations needs, as a table the app can read at run time without
 * the 0.9 MB schema (operation-scopes.json). `npm run scopes:operations` writes it from the
 * schema's notes; tests/integration/access-scopes.test.ts fails when it is out of date.
 * Node-only (reads the operations folder); the app imports the JSON, not this file.
 */
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { parse } from "graphql";
import { documentRequirements, type ScopeIndex } from "./required-scopes";

export interface TableRequirement {
  coordinate: string;
  anyOf: string[][];
}
export type OperationScopeTable = Record<string, TableRequirement[]>;

const OPERATIONS_DIR = fileURLToPath(new URL("../operations", import.meta.url));

/** Every `#graphql` document exported from app/shopify/operations, by operation name. */
export async function appOperationDocuments(): Promise<Map<string, string>> {
  const documents = new Map<string, string>();
  for (const file of readdirSync(OPERATIONS_DIR)
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
    .sort()) {
    const mod = (await import(path.join(OPERATIONS_DIR, file))) as Record<string, unknown>;
    for (const value of Object.values(mod)) {
      if (typeof value !== "string" || !value.includes("#graphql")) continue;
      const operation = parse(value).definitions.find((d) => d.kind === "OperationDefinition");
      const name = operation && "name" in operation ? operation.name?.value : undefined;
      if (!name) throw new Error(`${file}: an operation without a name`);
      documents.set(name, value);
    }
  }
  return documents;
}

/** Static (no variables): every input field a variable could give counts, so this is an upper bound. */
export function operationScopeTable(index: ScopeIndex, documents: Map<string, string>): OperationScopeTable {
  const table: OperationScopeTable = {};
  for (const [name, document] of [...documents].sort(([a], [b]) => a.localeCompare(b))) {
    table[name] = documentRequirements(index, parse(document))
      .filter((r) => r.recognised)
      .map((r) => ({ coordinate: r.coordinate, anyOf: r.anyOf }));
  }
  return table;
}
