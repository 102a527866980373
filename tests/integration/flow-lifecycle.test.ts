/**
 * Flow's trigger lifecycle callback through the real route with signed requests (issue 13, item 4),
 * and the chain that decides whether a trigger ever fires: every trigger the app sends has an
 * extension (handle and title), a lifecycle callback the CLI deploys to the route, a callback that
 * enables its FlowTriggerUsage row whether Flow names it by handle or by title, and a handle the
 * strict sandbox (like Flow) accepts in flowTriggerReceive.
 */
import { readdirSync, readFileSync, existsSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { beforeEach, expect, test, vi } from "vitest";
import { prisma } from "../../app/db.server";
import { logger } from "../../app/logger.server";
import { flowTriggerInUse } from "../../app/models/flow-triggers.server";
import { sendTriggerOnce } from "../../app/services/issuing/lifecycle.server";
import { parseToml, type TomlTable } from "../../app/shopify/flow/toml";
import * as triggers from "../../app/shopify/flow/triggers";
import {
  FLOW_TRIGGERS,
  OFFER_ISSUED_TRIGGER,
  type TriggerDefinition,
  type TriggerHandle,
  type TriggerValues,
} from "../../app/shopify/flow/triggers";
import { sendLifecycle } from "../helpers/flow";
import { acceptDeliveries, resetSandbox, sandboxForTests } from "../helpers/sandbox";
import { sign } from "../helpers/webhooks";
import { createIncident, createShopRow, OFFERS_NOW } from "./offers-fixtures";

const ROOT = join(import.meta.dirname, "../..");
const SHOP = "amends-flow-lifecycle.myshopify.com";
// Strict defaults: flowTriggerReceive knows only the app's trigger extensions.
const sandbox = sandboxForTests({ deliver: acceptDeliveries });

beforeEach(async () => {
  await resetSandbox(sandbox, OFFERS_NOW);
  sandbox.store.addShop({ domain: SHOP, currency: "USD", plan: "Basic" });
  await createShopRow(SHOP);
});

const usage = () => prisma.flowTriggerUsage.findMany({ orderBy: { trigger: "asc" } });

/** Shopify's example body on "Track Flow lifecycle events", verbatim (decision 0301). */
const DOCS_EXAMPLE = {
  flow_trigger_definition_id: "Add row to spreadsheet",
  has_enabled_flow: false,
  shop_id: "690933842",
  shopify_domain: "johnapparel.myshopify.com",
  timestamp: "2019-01-25T16:44:10.999Z",
};

test("the documentation's own example payload is accepted with a 2xx (its title is not one of ours: nothing recorded)", async () => {
  await createShopRow(DOCS_EXAMPLE.shopify_domain);
  const response = await sendLifecycle({
    shop: DOCS_EXAMPLE.shopify_domain,
    trigger: "",
    enabled: false,
    body: JSON.stringify(DOCS_EXAMPLE),
  });
  expect(response.status).toBe(200);
  expect(await usage()).toEqual([]);
});

test("the example payload's shape naming one of our titles enables that trigger, recorded under its handle", async () => {
  const body = {
    ...DOCS_EXAMPLE,
    flow_trigger_definition_id: "Recovery offer issued",
    has_enabled_flow: true,
    shopify_domain: SHOP,
    timestamp: "2026-11-02T14:00:00.000Z",
  };
  const response = await sendLifecycle({ shop: SHOP, trigger: "", enabled: true, body: JSON.stringify(body) });
  expect(response.status).toBe(204);
  expect(await usage()).toMatchObject([{ shop: SHOP, trigger: OFFER_ISSUED_TRIGGER, enabled: true }]);
  expect(await flowTriggerInUse(SHOP, OFFER_ISSUED_TRIGGER)).toBe(true);
});

test("a callback naming the handle enables the trigger too", async () => {
  expect((await sendLifecycle({ shop: SHOP, trigger: "recovery-follow-up-due", enabled: true })).status).toBe(204);
  expect(await flowTriggerInUse(SHOP, "recovery-follow-up-due")).toBe(true);
});

test("a title is matched regardless of case and spacing", async () => {
  const response = await sendLifecycle({ shop: SHOP, trigger: "  recovery   INCIDENT detected ", enabled: true });
  expect(response.status).toBe(204);
  expect(await flowTriggerInUse(SHOP, "recovery-incident-detected")).toBe(true);
});

test("title and handle are one trigger: the newest callback wins whichever form it uses", async () => {
  await sendLifecycle({
    shop: SHOP,
    trigger: "Recovery offer issued",
    enabled: true,
    timestamp: "2026-11-02T10:00:00Z",
  });
  await sendLifecycle({ shop: SHOP, trigger: OFFER_ISSUED_TRIGGER, enabled: false, timestamp: "2026-11-02T11:00:00Z" });
  // Older than the stored one: ignored, as Shopify's page asks.
  await sendLifecycle({
    shop: SHOP,
    trigger: "Recovery offer issued",
    enabled: true,
    timestamp: "2026-11-02T09:00:00Z",
  });
  expect(await usage()).toMatchObject([{ trigger: OFFER_ISSUED_TRIGGER, enabled: false }]);
});

test("an unknown id is answered 200 (Flow would otherwise refuse to enable the workflow) and logged without personal data", async () => {
  const warn = vi.spyOn(logger, "warn");
  const response = await sendLifecycle({
    shop: SHOP,
    trigger: "gid://shopify/FlowTriggerDefinition/101",
    enabled: true,
  });
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ recorded: false, reason: "unknown trigger" });
  expect(await usage()).toEqual([]);
  expect(warn).toHaveBeenCalledTimes(1);
  const [fields] = warn.mock.calls[0]! as unknown as [Record<string, unknown>];
  expect(fields).toEqual({ shop: SHOP, definitionId: "gid://shopify/FlowTriggerDefinition/101", enabled: true });
});

test("a bad signature is still refused with 400 before anything is read", async () => {
  const body = JSON.stringify({
    ...DOCS_EXAMPLE,
    shopify_domain: SHOP,
    flow_trigger_definition_id: "Recovery offer issued",
  });
  // The library logs the refusal with console.error; that is expected here.
  const spy = vi.spyOn(console, "error").mockImplementation(() => undefined);
  try {
    const response = await sendLifecycle({
      shop: SHOP,
      trigger: "",
      enabled: true,
      body,
      hmac: sign(body, "not-the-secret"),
    });
    expect(response.status).toBe(400);
  } finally {
    spy.mockRestore();
  }
  expect(await usage()).toEqual([]);
});

// --- Would a trigger in use ever fire? ---------------------------------------------------------

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

/**
 * The handles the app sends or gates on: every `*_TRIGGER` constant referenced in app/ outside
 * triggers.ts, resolved through triggers.ts. A constant triggers.ts does not export, or a raw handle
 * string passed to the senders, fails here.
 */
function handlesTheAppUses(): Map<string, string[]> {
  const exported = triggers as unknown as Record<string, unknown>;
  const used = new Map<string, string[]>();
  for (const file of sourceFiles(join(ROOT, "app"))) {
    if (file.endsWith(join("flow", "triggers.ts"))) continue;
    const text = readFileSync(file, "utf8");
    expect(text, relative(ROOT, file)).not.toMatch(/(sendTriggerOnce|flowTriggerInUse)\([^)]*["'`]recovery-/);
    for (const [, name] of text.matchAll(/\b([A-Z][A-Z_]*_TRIGGER)\b/g)) {
      const handle = exported[name!];
      expect(typeof handle, `${name} in ${relative(ROOT, file)} is exported by triggers.ts`).toBe("string");
      used.set(handle as string, [...(used.get(handle as string) ?? []), relative(ROOT, file)]);
    }
  }
  return used;
}

function extensions(): TomlTable[] {
  const dir = join(ROOT, "extensions");
  return readdirSync(dir)
    .filter((folder) => existsSync(join(dir, folder, "shopify.extension.toml")))
    .flatMap(
      (folder) =>
        parseToml(readFileSync(join(dir, folder, "shopify.extension.toml"), "utf8")).extensions as TomlTable[],
    );
}

/** Values of each declared type, enough for flowTriggerReceive. */
function sampleValues(definition: TriggerDefinition): Record<string, unknown> {
  return Object.fromEntries(
    definition.fields.map((field) =>
      "key" in field
        ? [
            field.key,
            field.type === "number_decimal"
              ? 12.5
              : field.type === "boolean"
                ? true
                : field.type === "url"
                  ? "https://amends.example/sample"
                  : "sample",
          ]
        : [field.type.replace(/_reference$/, "_id"), 1001],
    ),
  );
}

test("every trigger the app sends has an extension, a deployed lifecycle callback, and fires once Flow enables it by handle or title", async () => {
  const used = handlesTheAppUses();
  // Every declared trigger is in use somewhere, and the app uses no other.
  expect([...used.keys()].sort()).toEqual(Object.keys(FLOW_TRIGGERS).sort());

  const all = extensions();
  const callbacks = all.filter((e) => e.type === "flow_trigger_lifecycle_callback");
  expect(callbacks).toHaveLength(1);
  // Relative in the repository, made absolute by `npm run deploy` (scripts/deploy.ts): either way the route.
  expect(new URL(callbacks[0]!.url as string, "https://app.example").pathname).toBe("/flow/lifecycle");
  expect(existsSync(join(ROOT, "app/routes/flow.lifecycle.tsx"))).toBe(true);

  const incidentId = await createIncident(SHOP);
  for (const handle of used.keys() as IterableIterator<TriggerHandle>) {
    const extension = all.find((e) => e.type === "flow_trigger" && e.handle === handle);
    expect(extension, `an extension for ${handle}`).toBeDefined();
    const title = extension!.name as string;
    expect(title.trim(), `${handle} has a title`).not.toBe("");
    const ids = [handle, title, ...(typeof extension!.uid === "string" ? [extension!.uid] : [])];
    for (const [i, id] of ids.entries()) {
      await prisma.flowTriggerUsage.deleteMany();
      const response = await sendLifecycle({
        shop: SHOP,
        trigger: id,
        enabled: true,
        timestamp: new Date(OFFERS_NOW.getTime() + i * 1000).toISOString(),
      });
      expect(response.status, `callback naming ${id}`).toBe(204);
      expect(await flowTriggerInUse(SHOP, handle), `${handle} enabled by a callback naming ${id}`).toBe(true);
    }
    // And what the senders then do goes through: the strict sandbox knows the handle.
    const values = sampleValues(FLOW_TRIGGERS[handle]) as TriggerValues<typeof handle>;
    expect(await sendTriggerOnce(SHOP, { incidentId }, `TEST_${handle}`, handle, values)).toBe(true);
  }
  expect(
    sandbox.store.shops
      .get(SHOP)!
      .flowTriggers.map((t) => t.handle)
      .sort(),
  ).toEqual(Object.keys(FLOW_TRIGGERS).sort());
});
