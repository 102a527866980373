/** Every leaf path a zod schema can hold (a record's key is `*`): for tests that keep a table of fields whole. */
import type { z } from "zod";

type Def = {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  valueType?: z.ZodType;
  in?: z.ZodType;
};

export function schemaLeaves(schema: z.ZodType, prefix: string[] = []): string[] {
  const def = (schema as unknown as { _zod: { def: Def } })._zod.def;
  switch (def.type) {
    case "object":
      return Object.entries(def.shape ?? {}).flatMap(([key, inner]) => schemaLeaves(inner, [...prefix, key]));
    case "default":
    case "prefault":
    case "nullable":
    case "optional":
      return schemaLeaves(def.innerType as z.ZodType, prefix);
    // A transform after the fields (the authority limits add the owner's none): the fields read.
    case "pipe":
      return schemaLeaves(def.in as z.ZodType, prefix);
    case "record":
      return schemaLeaves(def.valueType as z.ZodType, [...prefix, "*"]);
    default:
      return [prefix.join(".")];
  }
}
