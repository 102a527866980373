/** The demo's store control panel gates itself on demo mode, whatever mounts it. */
import { createServer, type Server } from "node:http";
import express from "express";
import { http, passthrough } from "msw";
import { afterAll, beforeAll, beforeEach, expect, test, vi } from "vitest";
import { mountControlPanel, type PanelOptions } from "../../sandbox/demo/panel";
import { mswServer } from "../helpers/msw";
import { sandboxForTests } from "../helpers/sandbox";

const SHOP = "demo-panel.myshopify.com";
const sandbox = sandboxForTests();
const options: PanelOptions = { sandbox, shop: SHOP, inbox: async () => [], recovery: async () => [] };
let server: Server;
let base: string;

beforeAll(async () => {
  vi.stubEnv("AMENDS_DEMO", "true");
  const app = express();
  mountControlPanel(app, options);
  app.use((_req, res) => res.status(418).send("the rest of the app"));
  server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
});

beforeEach(() => {
  sandbox.store.shops.clear();
  sandbox.store.addShop({ domain: SHOP, currency: "USD", ianaTimezone: "UTC" });
  vi.stubEnv("AMENDS_DEMO", "true");
  vi.stubEnv("NODE_ENV", "test");
  mswServer.use(http.all(`${base}/*`, () => passthrough()));
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await new Promise((resolve) => server.close(resolve));
});

const panel = () => fetch(`${base}/demo`, { redirect: "manual" });
const act = (action: string) =>
  fetch(`${base}/demo/actions/${action}`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: "",
  });

test("in demo mode the panel and its actions answer", async () => {
  const page = await panel();
  expect(page.status).toBe(200);
  expect(await page.text()).toContain("Sandbox store control panel");
  expect((await act("no-such-action")).status).toBe(303);
});

test.each([
  ["demo mode is off", { AMENDS_DEMO: "false" }],
  ["demo mode is unset", { AMENDS_DEMO: undefined }],
  ["the process runs in production", { NODE_ENV: "production" }],
])("once %s, the panel's routes answer 404 though it is mounted", async (_name, env) => {
  for (const [key, value] of Object.entries(env)) vi.stubEnv(key, value);
  const page = await panel();
  expect(page.status).toBe(404);
  expect(await page.text()).not.toContain("control panel");
  for (const action of ["cancel", "make_late", "deliver_delay"]) {
    const posted = await act(action);
    expect(posted.status).toBe(404);
    expect(posted.headers.get("location")).toBeNull();
  }
});

test("outside demo mode the panel refuses to mount", () => {
  vi.stubEnv("AMENDS_DEMO", "false");
  expect(() => mountControlPanel(express(), options)).toThrow(/AMENDS_DEMO=true outside production/);
  vi.stubEnv("AMENDS_DEMO", "true");
  vi.stubEnv("NODE_ENV", "production");
  expect(() => mountControlPanel(express(), options)).toThrow(/outside production/);
});
