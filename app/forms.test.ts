import { expect, test } from "vitest";
import { z } from "zod";
import { formObject, jsonField, parseWith } from "./forms";

const schema = z.object({
  name: z.string().min(1, "give a name"),
  limits: z.object({ staff: z.coerce.number().min(0, "at least 0") }),
});

test.each([
  [
    { name: "Sam", limits: { staff: "5" } },
    { ok: true, data: { name: "Sam", limits: { staff: 5 } } },
  ],
  [
    { name: "", limits: { staff: "-1" } },
    { ok: false, fieldErrors: { name: "give a name", "limits.staff": "at least 0" } },
  ],
  [{ limits: {} }, { ok: false, fieldErrors: expect.objectContaining({ name: expect.any(String) }) }],
])("parseWith(%o) gives one message per field, named by its path", (input, expected) => {
  expect(parseWith(schema, input)).toEqual(expected);
});

test("formObject keeps repeated keys as arrays; jsonField reads a JSON field or gives undefined", () => {
  const form = new FormData();
  form.append("id", "a");
  form.append("id", "b");
  form.append("reason", "late");
  form.append("payload", '{"x":1}');
  expect(formObject(form)).toEqual({ id: ["a", "b"], reason: "late", payload: '{"x":1}' });
  expect(jsonField(form)).toEqual({ x: 1 });
  form.set("payload", "{not json");
  expect(jsonField(form)).toBeUndefined();
  expect(jsonField(form, "missing")).toBeUndefined();
});
