/**
 * The bench's fetch forwarder (./forwarder.ts): a Shopify URL goes to the sandbox process's
 * /shopify/<shop>/<path> with its method, headers and body (given as init or as a Request), any
 * other URL goes to the original fetch untouched, close() puts the original fetch back, and a
 * sandbox that cannot be reached is a rejected fetch, as an unreachable Shopify would be.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { http, passthrough } from "msw";
import { afterAll, beforeAll, beforeEach, expect, test } from "vitest";
import { freePort } from "../../../app/db/embedded-postgres.server";
import { mswServer } from "../../helpers/msw";
import { forwardingFetch, installForwarder } from "./forwarder";

interface Echo {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

let server: Server;
let base: string;

beforeAll(async () => {
  // A stand-in for the sandbox process's HTTP port that answers with what it received, and the
  // clock command installForwarder asks for.
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (req.url === "/control/clock") {
        const now = Date.now();
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ result: { nowMs: now, realMs: now } }));
        return;
      }
      const echo: Echo = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(echo));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  // The suite's msw server refuses unhandled requests: let the ones to the stand-in through to it.
  mswServer.use(http.all(`${base}/*`, () => passthrough()));
});

const SHOP_URL = "https://fwd-one.myshopify.com/admin/api/2026-10/graphql.json?x=1";

test("a Shopify URL goes to the sandbox's /shopify/<shop>/<path> with its method, headers and body", async () => {
  const forwarded = forwardingFetch(base);
  const response = await forwarded(SHOP_URL, {
    method: "POST",
    headers: { "content-type": "application/json", "x-shopify-access-token": "shpat_test" },
    body: JSON.stringify({ query: "{ shop { name } }" }),
  });
  const echo = (await response.json()) as Echo;
  expect(echo).toMatchObject({
    method: "POST",
    url: "/shopify/fwd-one.myshopify.com/admin/api/2026-10/graphql.json?x=1",
    body: JSON.stringify({ query: "{ shop { name } }" }),
  });
  expect(echo.headers).toMatchObject({ "content-type": "application/json", "x-shopify-access-token": "shpat_test" });
});

test("a Request for a Shopify URL keeps its method, headers and body; a URL object works too", async () => {
  const forwarded = forwardingFetch(`${base}/`);
  const request = new Request("https://fwd-two.myshopify.com/admin/oauth/access_token", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
    body: "client_id=a&grant_type=refresh_token",
  });
  const echo = (await (await forwarded(request)).json()) as Echo;
  expect(echo).toMatchObject({
    method: "POST",
    url: "/shopify/fwd-two.myshopify.com/admin/oauth/access_token",
    body: "client_id=a&grant_type=refresh_token",
  });
  expect(echo.headers).toMatchObject({
    "content-type": "application/x-www-form-urlencoded",
    accept: "application/json",
  });

  const get = (await (
    await forwarded(new URL("https://fwd-two.myshopify.com/admin/api/2026-10/shop.json"))
  ).json()) as Echo;
  expect(get).toMatchObject({
    method: "GET",
    url: "/shopify/fwd-two.myshopify.com/admin/api/2026-10/shop.json",
    body: "",
  });
});

test("any other URL goes to the original fetch untouched", async () => {
  const seen: Array<[unknown, unknown]> = [];
  const original = (async (input: unknown, init: unknown) => {
    seen.push([input, init]);
    return new Response("original");
  }) as typeof fetch;
  const forwarded = forwardingFetch(base, original);
  const init = { method: "POST", body: "x" };
  const request = new Request("https://example.com/myshopify.com/path");
  const url = new URL("http://fwd-one.myshopify.com/plain-http");
  await forwarded("https://shop.myshopify.com.evil.example/admin", init);
  await forwarded(request);
  await forwarded(url, init);
  expect(seen).toEqual([
    ["https://shop.myshopify.com.evil.example/admin", init],
    [request, undefined],
    [url, init],
  ]);
  expect(seen[1]?.[0]).toBe(request);
  expect(seen[2]?.[0]).toBe(url);
});

test("installForwarder puts the wrapper on globalThis.fetch, and close() restores the original", async () => {
  const before = globalThis.fetch;
  const forwarder = await installForwarder(base);
  try {
    expect(globalThis.fetch).not.toBe(before);
    expect(forwarder.clockOffsetMs).toBe(0);
    const echo = (await (await fetch("https://fwd-three.myshopify.com/admin/api/2026-10/graphql.json")).json()) as Echo;
    expect(echo.url).toBe("/shopify/fwd-three.myshopify.com/admin/api/2026-10/graphql.json");
  } finally {
    forwarder.close();
  }
  expect(globalThis.fetch).toBe(before);
});

test("when the sandbox cannot be reached, the forwarded fetch rejects (a network error, as from Shopify)", async () => {
  const closed = `http://127.0.0.1:${await freePort()}`;
  mswServer.use(http.all(`${closed}/*`, () => passthrough()));
  const forwarded = forwardingFetch(closed);
  await expect(forwarded(SHOP_URL, { method: "POST", body: "{}" })).rejects.toThrow(TypeError);
  await expect(forwarded(new Request(SHOP_URL, { method: "POST", body: "{}" }))).rejects.toThrow(TypeError);
});
