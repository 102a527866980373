/**
 * The personal-data inventory (app/services/privacy/inventory.ts) covers the schema: every model
 * and every column of prisma/schema.prisma is classified, and what redaction writes fits the
 * database's columns. A new table or column without a classification fails here.
 */
import { Prisma } from "@prisma/client";
import { expect, test } from "vitest";
import { prisma } from "../../app/db.server";
import { exportedModels, PERSONAL_DATA_INVENTORY, type ModelEntry } from "../../app/services/privacy/inventory";
import { KEPT_AFTER_SHOP_REDACT, SHOP_REDACTION_ORDER } from "../../app/services/privacy/shop-redaction.server";

const inventory: Record<string, ModelEntry> = PERSONAL_DATA_INVENTORY;
const models = Prisma.dmmf.datamodel.models;
const scalarColumns = (model: (typeof models)[number]) =>
  model.fields.filter((f) => f.kind === "scalar" || f.kind === "enum").map((f) => f.name);

test("every model and column of the schema is classified, and nothing else is", () => {
  const unclassified = models.flatMap((model) =>
    scalarColumns(model)
      .filter((column) => !inventory[model.name]?.columns[column])
      .map((column) => `${model.name}.${column}`),
  );
  expect(unclassified).toEqual([]);
  expect(Object.keys(inventory).sort()).toEqual(models.map((m) => m.name).sort());
  const stale = Object.entries(inventory).flatMap(([name, entry]) => {
    const model = models.find((m) => m.name === name);
    const columns = model ? scalarColumns(model) : [];
    return Object.keys(entry.columns)
      .filter((c) => !columns.includes(c))
      .map((c) => `${name}.${c}`);
  });
  expect(stale).toEqual([]);
});

test("every classification says why, and customers/redact has an answer for every customer column", () => {
  for (const [name, entry] of Object.entries(inventory)) {
    for (const [column, c] of Object.entries(entry.columns)) {
      const where = `${name}.${column}`;
      expect((c.personal ? c.holds : c.why).length, where).toBeGreaterThanOrEqual(5);
      // A personal column about customers is erased on the customer's rows, or the rows go.
      if (c.personal && entry.onCustomerRedact === "anonymise" && !/staff/.test(c.holds)) {
        expect(c.erase !== undefined || c.eraseWithRowId === true, `${where} needs an erasure`).toBe(true);
      }
      if (c.personal && entry.onCustomerRedact === "none") expect(c.holds, where).toMatch(/staff/);
    }
  }
});

test("what redaction writes fits each column: null only where the column is nullable", async () => {
  const rows = await prisma.$queryRaw<Array<{ t: string; c: string; nullable: string; type: string }>>`
    SELECT table_name::text AS t, column_name::text AS c, is_nullable::text AS nullable, data_type::text AS type
    FROM information_schema.columns WHERE table_schema = current_schema()`;
  const problems: string[] = [];
  for (const [name, entry] of Object.entries(inventory)) {
    for (const [column, c] of Object.entries(entry.columns)) {
      if (!c.personal || c.erase === undefined) continue;
      const db = rows.find((r) => r.t === name && r.c === column);
      if (!db) problems.push(`${name}.${column}: no such column`);
      else if (c.erase === null && db.nullable !== "YES") problems.push(`${name}.${column}: not nullable`);
      else if (Array.isArray(c.erase) && db.type !== "ARRAY") problems.push(`${name}.${column}: not an array`);
    }
  }
  expect(problems).toEqual([]);
});

test("shop/redact deletes every model but the compliance records, children before parents, the shop last", () => {
  expect([...SHOP_REDACTION_ORDER, ...KEPT_AFTER_SHOP_REDACT].sort()).toEqual(models.map((m) => m.name).sort());
  expect(SHOP_REDACTION_ORDER.at(-1)).toBe("Shop");
  // A relation's child (the model holding the foreign key, `incident` + `incidentId`) goes before the
  // model it points at. The runtime DMMF is slim (no relationFromFields): the key is named for its field.
  let relations = 0;
  for (const model of models) {
    const columns = scalarColumns(model);
    for (const field of model.fields.filter((f) => f.kind === "object" && columns.includes(`${f.name}Id`))) {
      relations++;
      const child = SHOP_REDACTION_ORDER.indexOf(model.name as never);
      const parent = SHOP_REDACTION_ORDER.indexOf(field.type as never);
      expect(child, `${model.name} before ${field.type}`).toBeLessThan(parent);
    }
  }
  // Offer -> Incident, Offer -> DiscountGroup, IncidentEvent -> Incident, OfferTransition -> Offer,
  // Rating -> Incident, ArmAssignment -> Incident (decision 0119).
  expect(relations).toBe(6);
});

test("customers/data_request exports every model that holds the customer's data, each found by columns it has", () => {
  const exported = exportedModels();
  // What customers/redact touches is what the customer can ask to see (their request's own record aside).
  const redacted = Object.entries(inventory)
    .filter(([name, entry]) => entry.onCustomerRedact !== "none" && name !== "ComplianceRequest")
    .map(([name]) => name);
  expect(redacted.filter((name) => !exported.some((e) => e.model === name))).toEqual([]);
  // A model with a customer id column is exported, or holds no customer data at all.
  for (const model of models) {
    if (!scalarColumns(model).includes("customerGid") || model.name === "ComplianceRequest") continue;
    expect(
      exported.map((e) => e.model),
      model.name,
    ).toContain(model.name);
  }
  for (const { model, link } of exported) {
    const columns = scalarColumns(models.find((m) => m.name === model)!);
    expect(Object.keys(link.linkedBy).length, model).toBeGreaterThan(0);
    for (const column of [...Object.keys(link.linkedBy), link.orderBy]) expect(columns, model).toContain(column);
  }
  const keys = exported.map((e) => e.link.as);
  expect(new Set(keys).size).toBe(keys.length);
});
