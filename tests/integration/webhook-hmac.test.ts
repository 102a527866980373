/**
 * The lean handler's verification (app/shopify/webhook-hmac.server.ts) gives the same verdict as
 * the Shopify library's own `webhooks.validate` (what authenticate.webhook runs) on the same
 * requests, with the app's secret: the same HMAC helpers, the same required headers.
 */
import "@shopify/shopify-api/adapters/web-api";
import { ApiVersion, LogSeverity, shopifyApi, WebhookValidationErrorReason } from "@shopify/shopify-api";
import { expect, test } from "vitest";
import { checkWebhook } from "../../app/shopify/webhook-hmac.server";
import { examplePayload, sign, TEST_SECRET, webhookRequest } from "../helpers/webhooks";

const library = shopifyApi({
  apiKey: "k",
  apiSecretKey: TEST_SECRET,
  apiVersion: ApiVersion.October26,
  hostName: "amends.test",
  isEmbeddedApp: true,
  logger: { level: LogSeverity.Error },
});

async function libraryStatus(request: Request, rawBody: string): Promise<number> {
  const check = await library.webhooks.validate({ rawBody, rawRequest: request });
  if (check.valid) return 200;
  return check.reason === WebhookValidationErrorReason.InvalidHmac ||
    check.reason === WebhookValidationErrorReason.MissingHmac
    ? 401
    : 400;
}

const body = JSON.stringify(examplePayload("orders/create"));
const cases: Array<[string, () => { request: Request; rawBody: string }]> = [
  ["signed", () => ({ request: webhookRequest({ topic: "orders/create", body }), rawBody: body })],
  [
    "non-ASCII body",
    () => ({ request: webhookRequest({ topic: "orders/create", body: '{"n":"Zoë ✓"}' }), rawBody: '{"n":"Zoë ✓"}' }),
  ],
  ["not JSON", () => ({ request: webhookRequest({ topic: "orders/create", body: "{oops" }), rawBody: "{oops" })],
  [
    "another secret",
    () => ({ request: webhookRequest({ topic: "orders/create", body, secret: "other" }), rawBody: body }),
  ],
  [
    "tampered",
    () => ({ request: webhookRequest({ topic: "orders/create", body, hmac: sign(`${body} `) }), rawBody: body }),
  ],
  ["no signature", () => ({ request: webhookRequest({ topic: "orders/create", body, hmac: null }), rawBody: body })],
  ["empty signature", () => ({ request: webhookRequest({ topic: "orders/create", body, hmac: "" }), rawBody: body })],
  ["empty body", () => ({ request: webhookRequest({ topic: "orders/create", body: "" }), rawBody: "" })],
  ...["x-shopify-topic", "x-shopify-shop-domain", "x-shopify-api-version", "x-shopify-webhook-id"].map(
    (name): [string, () => { request: Request; rawBody: string }] => [
      `without ${name}`,
      () => {
        const request = webhookRequest({ topic: "orders/create", body });
        request.headers.delete(name);
        return { request, rawBody: body };
      },
    ],
  ),
];

test.each(cases)("%s: the same verdict as the library's webhooks.validate", async (_name, make) => {
  const { request, rawBody } = make();
  const ours = await checkWebhook(request.headers, rawBody);
  const expected = await libraryStatus(request, rawBody);
  expect(ours.valid ? 200 : ours.status).toBe(expected);
});

test("the verdicts differ between the cases (a check that accepted or refused everything would fail)", async () => {
  const statuses = await Promise.all(
    cases.map(async ([, make]) => {
      const { request, rawBody } = make();
      const ours = await checkWebhook(request.headers, rawBody);
      return ours.valid ? 200 : ours.status;
    }),
  );
  expect(statuses).toEqual([200, 200, 200, 401, 401, 401, 401, 400, 400, 400, 400, 400]);
});
