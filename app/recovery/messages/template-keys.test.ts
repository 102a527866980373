import { expect, test } from "vitest";
import { RecoveryError } from "../errors";
import { DEFAULT_GRID } from "../grid/default-grid";
import { cellDraftSchema, draftFromGrid } from "../grid/editing";
import { gridCellSchema, templateKeyIssues, writableGridCellSchema, type Grid } from "../grid/schema";
import { isTemplateKey, unknownTemplateMessage } from "./catalog";
import { TEMPLATE_KEYS, TEMPLATE_LABELS } from "./overrides";
import { renderMessage } from "./render";

const PROTOTYPE_KEYS = ["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf"];

test("template keys are a closed set of the catalog's own keys", () => {
  expect(isTemplateKey("standard")).toBe(true);
  expect(isTemplateKey("personal")).toBe(true);
  for (const key of [...PROTOTYPE_KEYS, "apology", ""]) expect(isTemplateKey(key)).toBe(false);
});

test.each(PROTOTYPE_KEYS)("a grid cell naming %s is refused beside its template field", (key) => {
  const cell = { kind: "NONE", messageTemplateKey: key };
  const parsed = writableGridCellSchema.safeParse(cell);
  expect(parsed.success).toBe(false);
  expect(parsed.error?.issues.map((i) => i.path.join("."))).toContain("messageTemplateKey");

  const draft = { ...draftFromGrid(DEFAULT_GRID, "USD").cells.minor.NEW, messageTemplateKey: key };
  const fromEditor = cellDraftSchema("USD").safeParse(draft);
  expect(fromEditor.success).toBe(false);
  expect(fromEditor.error?.issues).toContainEqual(expect.objectContaining({ path: ["messageTemplateKey"] }));
});

test("the refusal names the key and the templates to choose from", () => {
  const parsed = writableGridCellSchema.safeParse({ kind: "NONE", messageTemplateKey: "constructor" });
  expect(parsed.error?.issues[0]?.message).toBe(
    'There is no message template "constructor": choose standard, personal, welcome_back or loyal_perk',
  );
  expect(unknownTemplateMessage("x")).toMatch(/standard, personal/);
});

test("a stored grid with an unknown key still reads, and templateKeyIssues finds it in cells and overrides", () => {
  const cell = gridCellSchema.parse({ kind: "NONE", messageTemplateKey: "constructor" });
  const grid: Grid = structuredClone(DEFAULT_GRID);
  grid.cells.major.VIP = cell;
  grid.overrides = { REFUND: { minor: { NEW: cell } } };
  expect(templateKeyIssues(DEFAULT_GRID)).toEqual([]);
  expect(templateKeyIssues(grid).map((i) => i.path.join("."))).toEqual([
    "cells.major.VIP.messageTemplateKey",
    "overrides.REFUND.minor.NEW.messageTemplateKey",
  ]);
});

test.each(PROTOTYPE_KEYS)("rendering a message for template %s is UNKNOWN_TEMPLATE, not a crash", (key) => {
  const render = () =>
    renderMessage({
      locale: "en",
      templateKey: key,
      incidentType: "REFUND",
      firstName: "Ana",
      orderName: "#1001",
      offer: {
        cell: { kind: "NONE", value: null, expiryDays: null, approval: "AUTO", messageTemplateKey: key },
        code: null,
        expiresAt: null,
      },
      shop: { currency: "USD", timeZone: "UTC" },
    });
  expect(render).toThrow(RecoveryError);
  try {
    render();
  } catch (error) {
    expect((error as RecoveryError).code).toBe("UNKNOWN_TEMPLATE");
  }
});

test("every template the grid's picker offers has a name in words, not its key", () => {
  for (const key of TEMPLATE_KEYS) {
    expect(TEMPLATE_LABELS[key], key).toBeTypeOf("string");
    expect(TEMPLATE_LABELS[key]).not.toBe(key);
  }
});
