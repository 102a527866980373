/**
 * bench:pages in production mode renders the embedded pages with a stand-in for App Bridge: it must
 * do what App Bridge does for the app (a session token on the app's own requests, and only there;
 * the elements and globals the app calls), or production pages would fail to hydrate or be measured
 * without their session. In real Chromium, as the bench runs it.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { chromiumLaunchOptions } from "../../helpers/chromium";
import { APP_BRIDGE_URL, appBridgeStandIn } from "./app-bridge-stand-in";

/** Answers with the Authorization header it got (CORS open, so another origin can be asked too). */
function echoServer(html: string): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    res.setHeader("access-control-allow-origin", "*");
    res.setHeader("access-control-allow-headers", "authorization");
    if (req.url === "/") {
      res.setHeader("content-type", "text/html");
      res.end(html);
      return;
    }
    res.setHeader("content-type", "text/plain");
    res.end(req.headers.authorization ?? "(none)");
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({ server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
    ),
  );
}

let browser: Browser;
let app: { server: Server; origin: string };
let other: { server: Server; origin: string };

beforeAll(async () => {
  app = await echoServer(
    `<!doctype html><html><head><script src="${APP_BRIDGE_URL}" data-api-key="bench-key"></script></head><body><ui-save-bar id="bar"></ui-save-bar><ui-nav-menu><a href="/app">Home</a></ui-nav-menu></body></html>`,
  );
  other = await echoServer("");
  browser = await chromium.launch((await chromiumLaunchOptions()).options);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all([app, other].map((s) => new Promise((r) => s?.server.close(r))));
});

test("the stand-in gives the page session tokens on its own requests only, and what the app calls of App Bridge", async () => {
  const context = await browser.newContext();
  let minted = 0;
  await context.exposeBinding("__token", () => `token-${++minted}`);
  await context.route(APP_BRIDGE_URL, (route) =>
    route.fulfill({ status: 200, contentType: "text/javascript", body: appBridgeStandIn("__token") }),
  );
  const page = await context.newPage();
  await page.goto(`${app.origin}/`);

  const seen = await page.evaluate(async (otherOrigin) => {
    const w = window as unknown as {
      shopify: { idToken(): Promise<string>; toast: { show(m: string): void } };
    };
    const text = (r: Response) => r.text();
    const bar = document.getElementById("bar") as HTMLElement & { show(): Promise<void>; hide(): Promise<void> };
    await bar.show();
    await bar.hide();
    w.shopify.toast.show("saved");
    return {
      idToken: await w.shopify.idToken(),
      sameOrigin: await fetch("/app.data").then(text),
      sameOriginRequest: await fetch(new Request("/app.data")).then(text),
      ownHeaderKept: await fetch("/app.data", { headers: { authorization: "Bearer mine" } }).then(text),
      otherOrigin: await fetch(`${otherOrigin}/x`).then(text),
      navMenuShown: getComputedStyle(document.querySelector("ui-nav-menu") as Element).display,
    };
  }, other.origin);

  expect(seen).toEqual({
    idToken: "token-1",
    sameOrigin: "Bearer token-2",
    sameOriginRequest: "Bearer token-3",
    ownHeaderKept: "Bearer mine",
    otherOrigin: "(none)",
    // The admin draws the navigation, outside the app's frame.
    navMenuShown: "none",
  });
  await context.close();
}, 60_000);
