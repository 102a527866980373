/**
 * The Flow extensions' TOML files against the app's declarations (triggers.ts, actions.ts), read
 * with our small TOML reader (toml.ts, tested here too), and the payload checks.
 */
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { OPEN_INCIDENT_ACTION, OPEN_INCIDENT_FIELDS, openIncidentProperties } from "./actions";
import { parseToml, TomlError, type TomlTable } from "./toml";
import {
  FLOW_TRIGGERS,
  HANDLE_PATTERN,
  payloadProblems,
  TRIGGER_CUSTOM_TYPES,
  TRIGGER_KEY_PATTERN,
  TRIGGER_REFERENCE_TYPES,
  triggerForDefinitionId,
  triggerPayload,
  TriggerPayloadError,
  type TriggerDefinition,
  type TriggerField,
} from "./triggers";

const EXTENSIONS = join(import.meta.dirname, "../../../extensions");

function extensionToml(folder: string): TomlTable {
  return parseToml(readFileSync(join(EXTENSIONS, folder, "shopify.extension.toml"), "utf8"));
}

function allExtensions(): Array<{ folder: string; config: TomlTable; extension: TomlTable }> {
  return readdirSync(EXTENSIONS, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(EXTENSIONS, d.name, "shopify.extension.toml")))
    .map((d) => {
      const config = extensionToml(d.name);
      const list = config.extensions as TomlTable[];
      expect(list, d.name).toHaveLength(1);
      return { folder: d.name, config, extension: list[0]! };
    });
}

const fieldsOf = (config: TomlTable) => ((config.settings as TomlTable | undefined)?.fields ?? []) as TomlTable[];

test("the TOML reader reads the subset we use: tables, arrays of tables, strings with escapes, numbers, booleans, arrays", () => {
  const parsed = parseToml(`
# comment
api_version = "2026-07" # trailing
[[extensions]]
name = "A \\"quoted\\" name"
count = 3
ratio = 1.5
on = true
tags = ["a", 'b',
  "c"]
[[extensions.targeting]]
target = "x"
[[extensions.targeting]]
target = "y"
[settings]
[[settings.fields]]
key = "Offer kind"
`);
  expect(parsed).toEqual({
    api_version: "2026-07",
    extensions: [
      {
        name: 'A "quoted" name',
        count: 3,
        ratio: 1.5,
        on: true,
        tags: ["a", "b", "c"],
        targeting: [{ target: "x" }, { target: "y" }],
      },
    ],
    settings: { fields: [{ key: "Offer kind" }] },
  });
});

test("the TOML reader refuses what it does not understand instead of misreading it", () => {
  expect(() => parseToml("when = 1979-05-27T07:32:00Z")).toThrow(TomlError);
  expect(() => parseToml('a = "x"\na = "y"')).toThrow(/duplicate key/);
  expect(() => parseToml('x = { inline = "table" }')).toThrow(TomlError);
  expect(() => parseToml('s = "unterminated')).toThrow(/unterminated/);
});

test("every extension has a valid handle, unique across the app", () => {
  const handles = allExtensions().map(({ extension }) => extension.handle as string);
  for (const handle of handles) expect(handle).toMatch(HANDLE_PATTERN);
  expect(new Set(handles).size).toBe(handles.length);
});

test("each Flow trigger TOML declares exactly the fields of app/shopify/flow/triggers.ts, in order", () => {
  const triggers = allExtensions().filter(({ extension }) => extension.type === "flow_trigger");
  expect(triggers.map(({ extension }) => extension.handle).sort()).toEqual(Object.keys(FLOW_TRIGGERS).sort());
  for (const { config, extension } of triggers) {
    const definition = FLOW_TRIGGERS[extension.handle as keyof typeof FLOW_TRIGGERS];
    expect(extension.name).toBe(definition.name);
    expect(extension.description).toBe(definition.description);
    // A lifecycle callback may name the trigger by uid: the declaration must know the TOML's.
    expect(extension.uid).toBe((definition as TriggerDefinition).uid);
    const declared: TriggerField[] = definition.fields.map((f) => ({ ...f }));
    expect(fieldsOf(config)).toEqual(declared);
    for (const field of fieldsOf(config)) {
      expect([...TRIGGER_CUSTOM_TYPES, ...TRIGGER_REFERENCE_TYPES]).toContain(field.type);
      if ("key" in field) expect(field.key).toMatch(TRIGGER_KEY_PATTERN);
    }
  }
});

test("the trigger lifecycle callback points at the app's lifecycle route", () => {
  const callbacks = allExtensions().filter(({ extension }) => extension.type === "flow_trigger_lifecycle_callback");
  expect(callbacks.map(({ extension }) => extension.url)).toEqual(["/flow/lifecycle"]);
  expect(existsSync(join(EXTENSIONS, "../app/routes/flow.lifecycle.tsx"))).toBe(true);
});

test("the Flow action TOML declares the fields the runtime route validates, and its runtime_url is the route", () => {
  const { config, extension } = allExtensions().find(({ extension }) => extension.type === "flow_action")!;
  expect(extension.handle).toBe(OPEN_INCIDENT_ACTION);
  expect(extension.runtime_url).toBe("/flow/actions/open-incident");
  expect(existsSync(join(EXTENSIONS, "../app/routes/flow.actions.open-incident.tsx"))).toBe(true);
  expect(fieldsOf(config)).toEqual(OPEN_INCIDENT_FIELDS.map((f) => ({ ...f })));
  // Every declared property has a validator of the same name.
  const keys = fieldsOf(config).map((f) => (f.type === "order_reference" ? "order_id" : (f.key as string)));
  expect(keys.sort()).toEqual(Object.keys(openIncidentProperties.shape).sort());
});

test("admin UI extensions target API 2026-07 with modules that exist", () => {
  for (const { folder, config, extension } of allExtensions().filter(
    ({ extension }) => extension.type === "ui_extension",
  )) {
    expect(config.api_version).toBe("2026-07");
    for (const targeting of extension.targeting as TomlTable[])
      expect(existsSync(join(EXTENSIONS, folder, targeting.module as string)), `${folder} ${targeting.module}`).toBe(
        true,
      );
    const pkg = JSON.parse(readFileSync(join(EXTENSIONS, folder, "package.json"), "utf8")) as {
      private: boolean;
      dependencies: Record<string, string>;
    };
    const root = JSON.parse(readFileSync(join(EXTENSIONS, "../package.json"), "utf8")) as {
      dependencies: Record<string, string>;
    };
    expect(pkg.private).toBe(true);
    for (const [name, version] of Object.entries(pkg.dependencies)) expect(root.dependencies[name], name).toBe(version);
  }
});

test("payloads must carry exactly the declared fields with the declared types", () => {
  const values = {
    order_id: 1,
    customer_id: 2,
    "Incident ID": "i",
    "Incident type": "MANUAL",
    Severity: "minor",
    Explanation: "x",
    "Order name": "#1",
    "Acknowledgement subject": "s",
    Acknowledgement: "a",
  };
  expect(triggerPayload("recovery-incident-detected", values)).toEqual(values);
  expect(payloadProblems("recovery-incident-detected", { ...values, extra: 1 })).toEqual(["extra: not declared"]);
  expect(payloadProblems("recovery-incident-detected", { ...values, order_id: "1" })).toEqual([
    "order_id: not a order_reference",
  ]);
  const { Severity: _s, ...missing } = values;
  expect(payloadProblems("recovery-incident-detected", missing)).toEqual(["Severity: missing"]);
  expect(() => triggerPayload("recovery-incident-detected", { ...values, customer_id: 0 })).toThrow(
    TriggerPayloadError,
  );
});

test("a lifecycle callback's flow_trigger_definition_id names a trigger by handle or title; anything else is unknown", () => {
  for (const [handle, definition] of Object.entries(FLOW_TRIGGERS)) {
    expect(triggerForDefinitionId(handle)).toBe(handle);
    expect(triggerForDefinitionId(definition.name)).toBe(handle);
    expect(triggerForDefinitionId(` ${definition.name.toUpperCase().replace(/ /g, "  ")} `)).toBe(handle);
  }
  // Shopify's own example value, and near misses.
  for (const unknown of [
    "Add row to spreadsheet",
    "recovery-offer",
    "Recovery offer",
    "gid://shopify/FlowTrigger/1",
    "",
  ])
    expect(triggerForDefinitionId(unknown), unknown).toBeNull();
});
