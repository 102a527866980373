/** Writes app/shopify/scopes/operation-scopes.json: the scopes each Admin operation needs (from the schema's notes). */
import { writeFileSync } from "node:fs";
import { format } from "prettier";
import { appOperationDocuments, operationScopeTable } from "../app/shopify/scopes/operation-table";
import { adminScopeIndex } from "../sandbox/admin/schema";

const table = operationScopeTable(adminScopeIndex(), await appOperationDocuments());
const file = "app/shopify/scopes/operation-scopes.json";
writeFileSync(file, await format(JSON.stringify(table), { parser: "json", printWidth: 120 }));
console.log(`${file}: ${Object.keys(table).length} operations`);
