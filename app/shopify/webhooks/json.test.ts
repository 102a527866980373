import { expect, test } from "vitest";
import { MalformedPayloadError, parseWebhookJson } from "./json";

test.each([
  ['{"id": 820982911946154508}', { id: "820982911946154508" }],
  ['{"id": 5920538968166}', { id: 5920538968166 }],
  ['{"ids": [9007199254740993, 1]}', { ids: ["9007199254740993", 1] }],
  ['{"amount": 12.5, "big": 1e21}', { amount: 12.5, big: "1e21" }],
  ['{"nested": {"order_id": 18446744073709551615}}', { nested: { order_id: "18446744073709551615" } }],
])("%s keeps every id exact", (raw, expected) => {
  expect(parseWebhookJson(raw)).toEqual(expected);
});

test.each(["", "{", '{"a":}', "undefined"])("%j is a malformed payload", (raw) => {
  expect(() => parseWebhookJson(raw)).toThrow(MalformedPayloadError);
});
