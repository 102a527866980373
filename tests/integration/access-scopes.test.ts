/**
 * Every Admin operation the app sends needs only scopes shopify.app.toml asks for, by the schema's
 * own "Requires ..." notes (app/shopify/scopes). A field, type, argument or input field that needs
 * a scope the toml lacks fails here before a real store refuses it.
 */
import { parse } from "graphql";
import { expect, test } from "vitest";
import {
  isSatisfied,
  missingScopes,
  parseNote,
  parseScopeList,
  withImpliedScopes,
} from "../../app/shopify/scopes/notes";
import { documentRequirements } from "../../app/shopify/scopes/required-scopes";
import { appOperationDocuments, operationScopeTable } from "../../app/shopify/scopes/operation-table";
import committedTable from "../../app/shopify/scopes/operation-scopes.json";
import { adminScopeIndex } from "../../sandbox/admin/schema";
import { appTomlScopes } from "../helpers/app-scopes";

const documents = await appOperationDocuments();
const granted = withImpliedScopes(parseScopeList(appTomlScopes()));

test("the app's operations are all found", () => {
  expect(documents.size).toBeGreaterThanOrEqual(20);
  expect([...documents.keys()]).toContain("AmendsGiftCardCreate");
});

test.each([...documents])("%s needs only scopes shopify.app.toml asks for", (_name, document) => {
  const requirements = documentRequirements(adminScopeIndex(), parse(document));
  expect(requirements.filter((r) => !r.recognised).map((r) => r.coordinate)).toEqual([]);
  const lacking = requirements
    .filter((r) => !isSatisfied(r, granted))
    .map((r) => `${r.coordinate} needs ${missingScopes(r, granted).join(" + ")}`);
  expect(lacking).toEqual([]);
});

test("a gift card for a customer needs write_customers (GiftCardCreateInput.customerId), which the toml asks for", () => {
  const requirements = documentRequirements(adminScopeIndex(), parse(documents.get("AmendsGiftCardCreate")!));
  expect(requirements).toContainEqual(
    expect.objectContaining({ coordinate: "GiftCardCreateInput.customerId", anyOf: [["write_customers"]] }),
  );
  expect(parseScopeList(appTomlScopes())).toContain("write_customers");
});

test("the run-time table (operation-scopes.json) is what the schema says now: `npm run scopes:operations` rewrites it", () => {
  expect(operationScopeTable(adminScopeIndex(), documents)).toEqual(committedTable);
});

test("every scope note in the schema is read, except the theme notes that name no scope in backticks", () => {
  const index = adminScopeIndex();
  const unread: string[] = [];
  let read = 0;
  for (const notes of [index.notes.types, index.notes.fields, index.notes.args, index.notes.inputFields]) {
    for (const [coordinate, note] of notes) {
      for (const operation of ["query", "mutation"] as const) {
        const parsed = parseNote(note, operation);
        if (parsed.kind === "UNRECOGNISED") unread.push(coordinate);
        if (parsed.kind === "SCOPES") read++;
      }
    }
  }
  expect(read).toBeGreaterThan(2000);
  expect([...new Set(unread)].every((c) => /theme/i.test(c))).toBe(true);
});
