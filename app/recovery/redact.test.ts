import { expect, test } from "vitest";
import { redactPersonalData, redactRecord } from "./redact";

test("addresses, display names before them, quoted name fields and phone numbers are taken out of text", () => {
  expect(
    redactPersonalData(
      `550 5.1.1 <ada+x@mail.example.co.uk>: rejected; to "Ada Lovelace" <ada@example.com>, Grace Hopper <grace@navy.example>`,
    ),
  ).toBe("550 5.1.1 <[email]>: rejected; to [email], [email]");
  expect(redactPersonalData(`{"first_name":"Ada","last_name":"Lovelace","id":5}`)).toBe(
    `{"first_name":[name],"last_name":[name],"id":5}`,
  );
  expect(redactPersonalData("customerName: Ada L; call +44 20 7946 0958")).toBe("customerName: [name]; call [phone]");
  // Ids, order names and gids stay readable.
  expect(redactPersonalData("order #1001 gid://shopify/Customer/123456789 offer 6b0b6e58")).toBe(
    "order #1001 gid://shopify/Customer/123456789 offer 6b0b6e58",
  );
});

test("records: personal fields at any depth, errors reduced to their text with addresses out, cycles bounded", () => {
  const error = Object.assign(new Error("refused <ada@example.com>"), {
    code: "EENVELOPE",
    rejected: ["ada@example.com"],
  });
  const cyclic: Record<string, unknown> = { name: "job" };
  cyclic.self = cyclic;
  const out = redactRecord({ err: error, a: { b: { email: "x@y.example", firstName: "Ada" } }, cyclic }) as {
    err: Record<string, unknown>;
    a: { b: Record<string, unknown> };
    cyclic: Record<string, unknown>;
  };
  expect(out.err).toMatchObject({ type: "Error", message: "refused <[email]>", code: "EENVELOPE" });
  expect(out.err).not.toHaveProperty("rejected");
  expect(String(out.err.stack)).not.toContain("ada@");
  expect(out.a.b).toEqual({ email: "[redacted]", firstName: "[redacted]" });
  expect(out.cyclic).toEqual({ name: "job", self: "[omitted]" });
});
