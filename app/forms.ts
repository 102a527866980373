/**
 * Form input for actions: FormData parsed with a zod schema into either the data or one message
 * per field, named by the field's path ("cells.major.NEW.value"), so the page shows each error
 * beside its field. Shared by the client (types) and the server (parsing).
 */
import type { z } from "zod";

export type FieldErrors = Record<string, string>;

export type FormResult<T> = { ok: true; data: T } | { ok: false; fieldErrors: FieldErrors };

export function fieldErrorsOf(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const path = issue.path.map(String).join(".") || "form";
    // The first problem of a field is the one to fix first.
    errors[path] ??= issue.message;
  }
  return errors;
}

export function parseWith<S extends z.ZodType>(schema: S, input: unknown): FormResult<z.output<S>> {
  const parsed = schema.safeParse(input);
  return parsed.success ? { ok: true, data: parsed.data } : { ok: false, fieldErrors: fieldErrorsOf(parsed.error) };
}

/** FormData as a plain object; a key given several times becomes an array. */
export function formObject(form: FormData): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of form.entries()) {
    if (typeof value !== "string") continue;
    const existing = out[key];
    out[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return out;
}

/** A field of a JSON-encoded form (`payload`), the shape pages with nested state submit. */
export function jsonField(form: FormData, name = "payload"): unknown {
  const raw = form.get(name);
  if (typeof raw !== "string") return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}
