import { createServer, type Server } from "node:http";
import express from "express";
import { http, passthrough } from "msw";
import { afterAll, beforeAll, beforeEach, expect, test, vi } from "vitest";
import { shopifyApi, ApiVersion } from "@shopify/shopify-api";
import "@shopify/shopify-api/adapters/node";
import { mountDemoSignIn } from "../../sandbox/demo/sign-in";
import { mswServer } from "../helpers/msw";

const SHOP = "demo-test.myshopify.com";
const options = {
  shop: SHOP,
  apiKey: "demo-key",
  secret: "demo-secret",
  staff: [
    { id: 7, name: "Ada" },
    { id: 8, name: "Bo" },
  ],
};
let server: Server;
let base: string;
const seen: Array<string | undefined> = [];

beforeAll(async () => {
  vi.stubEnv("AMENDS_DEMO", "true");
  const app = express();
  mountDemoSignIn(app, options);
  app.use((req, res) => {
    seen.push(req.headers.authorization);
    res.send("app");
  });
  server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
});

// Real HTTP to the local test server (msw would refuse an unhandled request).
beforeEach(() => {
  mswServer.use(http.all(`${base}/*`, () => passthrough()));
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await new Promise((resolve) => server.close(resolve));
});

const api = shopifyApi({
  apiKey: options.apiKey,
  apiSecretKey: options.secret,
  apiVersion: ApiVersion.October26,
  hostName: "amends.test",
  isEmbeddedApp: true,
  logger: { level: 0 },
});

test("outside demo mode the sign-in refuses to mount", () => {
  vi.stubEnv("AMENDS_DEMO", "false");
  expect(() => mountDemoSignIn(express(), options)).toThrow(/AMENDS_DEMO=true/);
  vi.stubEnv("AMENDS_DEMO", "true");
  vi.stubEnv("NODE_ENV", "production");
  expect(() => mountDemoSignIn(express(), options)).toThrow(/outside production/);
  vi.stubEnv("NODE_ENV", "test");
});

test("without the demo cookie, app pages send the browser to sign in and data requests get 401", async () => {
  const page = await fetch(`${base}/app/settings`, { redirect: "manual" });
  const data = await fetch(`${base}/app.data`, { redirect: "manual" });

  expect(page.status).toBe(302);
  expect(page.headers.get("location")).toBe("/demo/sign-in");
  expect(data.status).toBe(401);
});

test("signing in gives every app request a fresh session token the Shopify library accepts", async () => {
  const signIn = await fetch(`${base}/demo/sign-in?staff=8`, { redirect: "manual" });
  const cookie = signIn.headers.get("set-cookie")?.split(";")[0] ?? "";
  expect(signIn.headers.get("location")).toBe("/app");

  const page = await fetch(`${base}/app/incidents`, { headers: { cookie } });
  expect(await page.text()).toBe("app");

  const token = seen.at(-1)?.replace("Bearer ", "") ?? "";
  const payload = await api.session.decodeSessionToken(token);
  expect(payload).toMatchObject({ dest: `https://${SHOP}`, sub: "8", aud: "demo-key" });
});

test("a forged cookie is not accepted", async () => {
  const page = await fetch(`${base}/app`, { headers: { cookie: "amends_demo_staff=8.forged" }, redirect: "manual" });

  expect(page.status).toBe(302);
});

test("other paths are left alone", async () => {
  seen.length = 0;
  const response = await fetch(`${base}/application-form`);
  expect(await response.text()).toBe("app");
  expect(seen).toEqual([undefined]);
});
