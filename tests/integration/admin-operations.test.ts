import { readdirSync } from "node:fs";
import path from "node:path";
import { parse } from "graphql";
import { expect, test } from "vitest";
import { validateOperation } from "../helpers/admin-schema";

const dir = path.resolve("app/shopify/operations");
const operations: Array<[string, string]> = [];
for (const file of readdirSync(dir).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))) {
  const mod = (await import(path.join(dir, file))) as Record<string, unknown>;
  for (const [name, value] of Object.entries(mod)) {
    if (typeof value === "string" && value.includes("#graphql")) operations.push([`${file}:${name}`, value]);
  }
}

test("there are operations to check", () => {
  expect(operations.length).toBeGreaterThan(0);
});

test.each(operations)("%s is valid against the Admin API 2026-10 schema", (_name, source) => {
  expect(validateOperation(source)).toEqual([]);
});

test.each(operations)("%s is one named operation", (_name, source) => {
  const definitions = parse(source).definitions.filter((d) => d.kind === "OperationDefinition");
  expect(definitions).toHaveLength(1);
  expect(definitions[0] && "name" in definitions[0] && definitions[0].name?.value).toMatch(/^Amends[A-Z]/);
});

test("the validator rejects a wrong field, as Shopify would", () => {
  expect(validateOperation("query AmendsBad { shop { timezone } }")).toEqual([
    expect.stringMatching(/Cannot query field "timezone" on type "Shop"/),
  ]);
});
