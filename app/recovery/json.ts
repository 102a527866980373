/** Plain JSON values: what evidence may hold, so it can be stored and shown as is. */
export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export const isoOrNull = (date: Date | null): string | null => (date ? date.toISOString() : null);
