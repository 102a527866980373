/**
 * Page actions read a form. A body that is not one (JSON, a broken multipart body, none at all) is
 * the client's mistake: 400 with a reason, never a 500 from `formData()`, and nothing changes.
 */
import type { ActionFunctionArgs } from "@remix-run/node";
import { beforeEach, expect, test } from "vitest";
import { prisma } from "../../app/db.server";
import { action as dashboardAction } from "../../app/routes/app._index";
import { action as approvalsAction } from "../../app/routes/app.approvals";
import { action as gridPreviewAction } from "../../app/routes/app.grid.preview";
import { action as gridAction } from "../../app/routes/app.grid/route.server";
import { action as incidentAction } from "../../app/routes/app.incidents.$id/route.server";
import { action as incidentsAction } from "../../app/routes/app.incidents._index/route";
import { action as newIncidentAction } from "../../app/routes/app.incidents.new";
import { action as settingsAction } from "../../app/routes/app.settings/route.server";
import { adminRequest, call } from "../helpers/admin-request";
import { clearStoreAndDatabase, sandboxForTests } from "../helpers/sandbox";
import { TEST_SHOP } from "../helpers/webhooks";

const sandbox = sandboxForTests();

beforeEach(async () => {
  await clearStoreAndDatabase(sandbox);
  sandbox.store.addShop({ domain: TEST_SHOP, currency: "USD" });
  await prisma.shop.create({ data: { shop: TEST_SHOP } });
});

type Action = (args: ActionFunctionArgs) => unknown;

const ACTIONS: Array<[string, string, Action, Record<string, string>]> = [
  ["dashboard", "/app", dashboardAction, {}],
  ["approvals", "/app/approvals", approvalsAction, {}],
  ["grid", "/app/grid", gridAction, {}],
  ["grid preview", "/app/grid/preview", gridPreviewAction, {}],
  [
    "incident",
    "/app/incidents/0b7f7c57-4d2a-4a55-9a43-6c1c0f9a1d11",
    incidentAction,
    { id: "0b7f7c57-4d2a-4a55-9a43-6c1c0f9a1d11" },
  ],
  ["new incident", "/app/incidents/new", newIncidentAction, {}],
  ["incidents list", "/app/incidents", incidentsAction, {}],
  ["settings", "/app/settings", settingsAction, {}],
];

/** The owner's signed request to `path` with the given body and content type. */
function post(path: string, body: BodyInit | null, contentType: string | null): Request {
  const signed = adminRequest(path, { userId: "1001" });
  const headers = new Headers(signed.headers);
  if (contentType) headers.set("content-type", contentType);
  return new Request(signed.url, { method: "POST", headers, body });
}

const BODIES: Array<[string, BodyInit | null, string | null]> = [
  ["a JSON body", JSON.stringify({ intent: "save", payload: {} }), "application/json"],
  ["no body and no type", null, null],
  [
    "a multipart body cut short",
    '--xyz\r\nContent-Disposition: form-data; name="intent"\r\n\r\nsa',
    "multipart/form-data; boundary=xyz",
  ],
];

test.each(
  ACTIONS.flatMap(([name, path, run, params]) =>
    BODIES.map(([what, body, type]) => [name, what, path, run, params, body, type] as const),
  ),
)("the %s action answers %s with 400, and changes nothing", async (_name, _what, path, run, params, body, type) => {
  const state = async () => ({
    settings: (await prisma.shop.findUniqueOrThrow({ where: { shop: TEST_SHOP } })).settings,
    grids: await prisma.gridVersion.count(),
    incidents: await prisma.incident.count(),
    audit: await prisma.auditEntry.count(),
  });
  const before = await state();
  const result = await call(() => run({ request: post(path, body, type), params, context: {} }));
  expect(result).toBeInstanceOf(Response);
  const response = result as Response;
  expect(response.status).toBe(400);
  expect(await response.text()).toMatch(/form/i);
  expect(await state()).toEqual(before);
});
