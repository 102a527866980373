/**
 * The sandbox's tokens are Shopify's: the Admin API accepts only tokens the sandbox issued, until
 * they expire on its clock (offline 1 h, refresh 90 days) or are revoked; the token endpoint issues
 * expiring offline tokens when asked and renews them with grant_type=refresh_token, rotating the
 * refresh token as Shopify documents it.
 */
import { beforeEach, expect, test } from "vitest";
import { createSandbox, DAY, HOUR, type Sandbox } from "../../sandbox";
import { INVALID_TOKEN_BODY } from "../../sandbox/admin";
import { adminRequest } from "../../sandbox/admin/test-fixtures";
import { mintSessionToken } from "../../sandbox/session-token";
import { mswServer } from "../helpers/msw";

const SHOP = "amends-tokens.myshopify.com";
const API_KEY = "tokens-key";
const SECRET = "tokens-secret";
const NOW = new Date("2026-11-02T15:00:00Z");

let sandbox: Sandbox;

beforeEach(() => {
  sandbox = createSandbox({
    apiKey: API_KEY,
    secret: SECRET,
    scopes: "read_orders",
    deliver: async () => new Response(null, { status: 200 }),
  });
  sandbox.clock.freeze(NOW);
  sandbox.store.addShop({ domain: SHOP, currency: "USD", plan: "Basic" });
  mswServer.use(...sandbox.handlers);
});

async function tokenEndpoint(body: Record<string, string>, shop = SHOP) {
  const response = await fetch(`https://${shop}/admin/oauth/access_token`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ client_id: API_KEY, client_secret: SECRET, ...body }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

function exchange(expiring?: "0" | "1") {
  return tokenEndpoint({
    grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
    subject_token: mintSessionToken({ shop: SHOP, apiKey: API_KEY, secret: SECRET, userId: "1001" }),
    subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
    requested_token_type: "urn:shopify:params:oauth:token-type:offline-access-token",
    ...(expiring ? { expiring } : {}),
  });
}

const refresh = (refreshToken: string) => tokenEndpoint({ grant_type: "refresh_token", refresh_token: refreshToken });

const shopName = (token: string) => adminRequest("{ shop { name } }", undefined, { shop: SHOP, token });

test("an unknown token is 401 with Shopify's body; an issued one works", async () => {
  const unknown = await shopName("shpat_made_up");
  expect(unknown.status).toBe(401);
  expect(unknown.body).toEqual(INVALID_TOKEN_BODY);

  const { body } = await exchange("1");
  expect((await shopName(body.access_token as string)).status).toBe(200);
  // A token is for its shop only.
  sandbox.store.addShop({ domain: "other.myshopify.com", currency: "USD", plan: "Basic" });
  expect(
    (
      await adminRequest("{ shop { name } }", undefined, {
        shop: "other.myshopify.com",
        token: body.access_token as string,
      })
    ).status,
  ).toBe(401);
});

test("expiring=1: an access token for 3600 s and a refresh token for 90 days, expiring on the sandbox clock", async () => {
  const { status, body } = await exchange("1");

  expect(status).toBe(200);
  expect(body).toMatchObject({ scope: "read_orders", expires_in: 3600, refresh_token_expires_in: 7_776_000 });
  expect(sandbox.tokens.requests).toEqual([
    expect.objectContaining({ grant: "token-exchange", requestedTokenType: "offline", expiring: "1" }),
  ]);
  sandbox.clock.advance(HOUR - 1);
  expect((await shopName(body.access_token as string)).status).toBe(200);
  sandbox.clock.advance(1);
  const expired = await shopName(body.access_token as string);
  expect(expired.status).toBe(401);
  expect(expired.body).toEqual(INVALID_TOKEN_BODY);
});

test("without expiring=1 the offline token does not expire, but from 2027-01-01 the Admin API refuses it", async () => {
  const { body } = await exchange();
  expect(body).not.toHaveProperty("refresh_token");
  expect(body).not.toHaveProperty("expires_in");

  sandbox.clock.set(new Date("2026-12-31T23:59:59Z"));
  expect((await shopName(body.access_token as string)).status).toBe(200);
  sandbox.clock.set(new Date("2027-01-01T00:00:00Z"));
  expect((await shopName(body.access_token as string)).status).toBe(401);
});

test("a refresh returns a new pair; the old refresh token works until its replacement is used, then never", async () => {
  const first = (await exchange("1")).body;
  sandbox.clock.advance(2 * HOUR);

  const second = await refresh(first.refresh_token as string);
  expect(second.status).toBe(200);
  expect(second.body).toMatchObject({ expires_in: 3600, refresh_token_expires_in: 7_776_000 });
  expect(second.body.access_token).not.toBe(first.access_token);
  expect(second.body.refresh_token).not.toBe(first.refresh_token);
  expect((await shopName(second.body.access_token as string)).status).toBe(200);

  // The answer was lost: retrying the same refresh token still works while its replacement is unused.
  const retried = await refresh(first.refresh_token as string);
  expect(retried.status).toBe(200);

  // Using a replacement retires the token it replaced.
  expect((await refresh(retried.body.refresh_token as string)).status).toBe(200);
  const reused = await refresh(first.refresh_token as string);
  expect(reused).toEqual({
    status: 400,
    body: { error: "invalid_grant", error_description: expect.any(String) as string },
  });
});

test("a used refresh token can be retried for 30 days at most", async () => {
  const first = (await exchange("1")).body;
  expect((await refresh(first.refresh_token as string)).status).toBe(200);
  sandbox.clock.advance(30 * DAY + 1);
  expect((await refresh(first.refresh_token as string)).body).toMatchObject({ error: "invalid_grant" });
});

test("a refresh token expires after 90 days; a forged or another shop's one is invalid_grant", async () => {
  const first = (await exchange("1")).body;
  expect((await refresh("shprt_forged")).body).toMatchObject({ error: "invalid_grant" });
  sandbox.store.addShop({ domain: "other.myshopify.com", currency: "USD", plan: "Basic" });
  expect(
    (
      await tokenEndpoint(
        { grant_type: "refresh_token", refresh_token: first.refresh_token as string },
        "other.myshopify.com",
      )
    ).body,
  ).toMatchObject({ error: "invalid_grant" });

  sandbox.clock.advance(90 * DAY);
  expect((await refresh(first.refresh_token as string)).body).toMatchObject({ error: "invalid_grant" });
});

test("the client secret is checked for refreshes too", async () => {
  const first = (await exchange("1")).body;
  const wrong = await tokenEndpoint({
    grant_type: "refresh_token",
    refresh_token: first.refresh_token as string,
    client_secret: "not-the-secret",
  });
  expect(wrong.status).toBe(401);
});

test("uninstalling ends every token of the shop", async () => {
  const first = (await exchange("1")).body;
  await sandbox.activity.uninstall(SHOP);

  expect((await shopName(first.access_token as string)).status).toBe(401);
  expect((await refresh(first.refresh_token as string)).body).toMatchObject({ error: "invalid_grant" });
});
