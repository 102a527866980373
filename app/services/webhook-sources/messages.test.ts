import { expect, test } from "vitest";
import eventBridgeFixture from "../../../tests/fixtures/webhook-sources/eventbridge-event.json";
import pubSubFixture from "../../../tests/fixtures/webhook-sources/pubsub-received-message.json";
import { parseEventBridgeEvent, parsePubSubMessage, type ParsedMessage } from "./messages.server";

const pubSubMessage = () =>
  structuredClone(pubSubFixture.message) as Record<string, unknown> & typeof pubSubFixture.message;
const eventBridgeEvent = () =>
  structuredClone(eventBridgeFixture) as Record<string, unknown> & typeof eventBridgeFixture;
const payload = eventBridgeFixture.detail.payload;

function delivered(parsed: ParsedMessage) {
  if (parsed.kind !== "DELIVERY") throw new Error(`expected a delivery, got ${JSON.stringify(parsed)}`);
  return parsed.delivery;
}

test("a Pub/Sub message of the documented shape becomes the delivery its attributes and data describe", () => {
  const delivery = delivered(parsePubSubMessage(pubSubMessage()));
  expect(delivery).toEqual({
    shop: "amends-test.myshopify.com",
    webhookId: "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043",
    eventId: "98880550-7158-44d4-b7cd-2c97c8a091b5",
    topic: "fulfillment_events/create",
    apiVersion: "2026-10",
    triggeredAt: new Date("2026-12-05T18:30:00.000Z"),
    rawBody: Buffer.from(pubSubFixture.message.data, "base64").toString("utf8"),
    source: "pubsub",
  });
  expect(JSON.parse(delivery.rawBody)).toEqual(payload);
});

test("an EventBridge event of the documented shape becomes the delivery its metadata and payload describe", () => {
  for (const event of [eventBridgeEvent(), JSON.stringify(eventBridgeFixture)]) {
    const delivery = delivered(parseEventBridgeEvent(event));
    expect(delivery).toEqual({
      shop: "amends-test.myshopify.com",
      webhookId: "0f2c7d61-3a55-4c8e-9a2b-5d1e7c3b9a40",
      eventId: "98880550-7158-44d4-b7cd-2c97c8a091b5",
      topic: "fulfillment_events/create",
      apiVersion: "2026-10",
      triggeredAt: new Date("2026-12-05T18:30:00.000Z"),
      rawBody: JSON.stringify(payload),
      source: "eventbridge",
    });
  }
});

// Each header, as Pub/Sub attributes and as EventBridge metadata: where it lands, and what its absence does.
const fields = [
  { header: "X-Shopify-Topic", field: "topic", value: "orders/create", required: true },
  { header: "X-Shopify-Shop-Domain", field: "shop", value: "other-shop.myshopify.com", required: true },
  { header: "X-Shopify-Webhook-Id", field: "webhookId", value: "wh-77", required: true },
  { header: "X-Shopify-Event-Id", field: "eventId", value: "ev-77", required: false },
  { header: "X-Shopify-API-Version", field: "apiVersion", value: "2026-07", required: false },
  {
    header: "X-Shopify-Triggered-At",
    field: "triggeredAt",
    value: "2026-11-30T08:00:00Z",
    expected: new Date("2026-11-30T08:00:00Z"),
    required: false,
  },
] as const;

const sources = [
  {
    name: "Pub/Sub",
    parse: parsePubSubMessage,
    with(headers: (h: Record<string, unknown>) => void) {
      const m = pubSubMessage();
      headers(m.attributes as Record<string, unknown>);
      return m;
    },
  },
  {
    name: "EventBridge",
    parse: parseEventBridgeEvent,
    with(headers: (h: Record<string, unknown>) => void) {
      const e = eventBridgeEvent();
      headers(e.detail.metadata as Record<string, unknown>);
      return e;
    },
  },
];

for (const source of sources) {
  for (const f of fields) {
    test(`${source.name}: ${f.header} is read into ${f.field}, whatever its case`, () => {
      const message = source.with((h) => {
        delete h[f.header];
        h[f.header.toLowerCase()] = f.value;
      });
      expect(delivered(source.parse(message))[f.field]).toEqual("expected" in f ? f.expected : f.value);
    });

    test(`${source.name}: without ${f.header} the message is ${f.required ? "dead-lettered" : "still a delivery"}`, () => {
      const parsed = source.parse(source.with((h) => delete h[f.header]));
      if (f.required) {
        expect(parsed).toEqual({ kind: "UNIDENTIFIABLE", reason: expect.stringContaining(f.header.toLowerCase()) });
      } else {
        expect(delivered(parsed)[f.field]).toBeNull();
      }
    });
  }

  test(`${source.name}: a shop header that is not a shop's domain is dead-lettered, not stored`, () => {
    for (const shop of ["../etc", "evil.example.com", "x".repeat(300)])
      expect(source.parse(source.with((h) => (h["X-Shopify-Shop-Domain"] = shop))).kind).toBe("UNIDENTIFIABLE");
  });

  test(`${source.name}: an unreadable X-Shopify-Triggered-At is left out, the delivery kept`, () => {
    const parsed = source.parse(source.with((h) => (h["X-Shopify-Triggered-At"] = "yesterday-ish")));
    expect(delivered(parsed).triggeredAt).toBeNull();
  });

  test(`${source.name}: a non-string header counts as absent`, () => {
    const parsed = source.parse(source.with((h) => (h["X-Shopify-Webhook-Id"] = 12345)));
    expect(parsed.kind).toBe("UNIDENTIFIABLE");
  });
}

test.each([
  ["no data", { data: "" }, "the message has no data"],
  ["data that is not base64", { data: "not base64!" }, "the data is not base64"],
  ["data that is not JSON", { data: Buffer.from("<xml/>").toString("base64") }, "the data is not JSON"],
])("Pub/Sub: a message with %s is kept as an unusable delivery with the reason", (_, change, reason) => {
  const parsed = parsePubSubMessage({ ...pubSubMessage(), ...change });
  expect(parsed).toMatchObject({
    kind: "UNUSABLE",
    reason: `Pub/Sub message: ${reason}`,
    delivery: { shop: "amends-test.myshopify.com", webhookId: "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043" },
  });
});

test.each([
  ["no payload", undefined, "detail.payload is missing"],
  ["a payload that is not an object", "just text", "detail.payload is not an object"],
])("EventBridge: an event with %s is kept as an unusable delivery with the reason", (_, value, reason) => {
  const event = eventBridgeEvent();
  (event.detail as Record<string, unknown>).payload = value;
  expect(parseEventBridgeEvent(event)).toMatchObject({ kind: "UNUSABLE", reason: `EventBridge event: ${reason}` });
});

test.each([
  ["a string that is not JSON", "{not json", "the message is not JSON"],
  ["an event without detail", { "detail-type": "shopifyWebhook" }, "no detail object"],
  [
    "an event of another detail-type",
    { ...eventBridgeFixture, "detail-type": "EC2 Instance State-change" },
    "detail-type",
  ],
  ["null", null, "no detail object"],
])("EventBridge: %s is dead-lettered", (_, event, reason) => {
  expect(parseEventBridgeEvent(event)).toEqual({ kind: "UNIDENTIFIABLE", reason: expect.stringContaining(reason) });
});

test.each([
  ["null", null],
  ["a string", "hello"],
  ["an array", [1, 2]],
])("Pub/Sub: %s is dead-lettered", (_, message) => {
  expect(parsePubSubMessage(message).kind).toBe("UNIDENTIFIABLE");
});
