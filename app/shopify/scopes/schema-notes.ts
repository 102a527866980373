/**
 * The scope notes of the bundled Admin schema, indexed by schema coordinate:
 * `Type` (the type's own `requiredAccess`), `Type.field` (the field's
 * `requiredAccess`), `Type.field(arg)` and `Input.field` (a "Requires `x`
 * access_scope." sentence in the description). Built from the same
 * introspection JSON the sandbox and the tests load.
 */

export interface ScopeNotes {
  types: ReadonlyMap<string, string>;
  fields: ReadonlyMap<string, string>;
  args: ReadonlyMap<string, string>;
  inputFields: ReadonlyMap<string, string>;
}

interface IntrospectedValue {
  name: string;
  description?: string | null;
}
interface IntrospectedField extends IntrospectedValue {
  requiredAccess?: string | null;
  args?: IntrospectedValue[] | null;
}
interface IntrospectedType {
  name: string;
  requiredAccess?: string | null;
  fields?: IntrospectedField[] | null;
  inputFields?: IntrospectedValue[] | null;
}

/** "Requires `write_customers` access_scope." inside a longer description. */
const DESCRIPTION_NOTE = /(?:^|\.\s+|\n)\s*(Requires [^.\n]*`[a-z0-9_]+`[^.\n]*scopes?\b[^.\n]*\.?)/;

export function noteInDescription(description: string | null | undefined): string | null {
  if (!description) return null;
  return DESCRIPTION_NOTE.exec(description)?.[1]?.trim() ?? null;
}

export function scopeNotesFromIntrospection(json: { __schema: { types: readonly unknown[] } }): ScopeNotes {
  const types = new Map<string, string>();
  const fields = new Map<string, string>();
  const args = new Map<string, string>();
  const inputFields = new Map<string, string>();
  for (const raw of json.__schema.types) {
    const type = raw as IntrospectedType;
    if (type.name.startsWith("__")) continue;
    if (type.requiredAccess) types.set(type.name, type.requiredAccess);
    for (const field of type.fields ?? []) {
      if (field.requiredAccess) fields.set(`${type.name}.${field.name}`, field.requiredAccess);
      for (const arg of field.args ?? []) {
        const note = noteInDescription(arg.description);
        if (note) args.set(`${type.name}.${field.name}(${arg.name})`, note);
      }
    }
    for (const field of type.inputFields ?? []) {
      const note = noteInDescription(field.description);
      if (note) inputFields.set(`${type.name}.${field.name}`, note);
    }
  }
  return { types, fields, args, inputFields };
}
