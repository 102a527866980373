/**
 * tagsAdd for the tagged objects the store holds (orders, customers, draft
 * orders). Tags may come as a list or as one comma-separated string; they are
 * trimmed, and a tag already present in any letter case is not added again.
 */
import type { AdminContext } from "../context";
import { findByGid } from "./lookup";
import { parseGid, typed, type Args } from "./util";

const TAGGABLE = new Set(["Order", "Customer", "DraftOrder"]);
const MAX_TAG_LENGTH = 255;

function tagsAdd(_root: unknown, args: Args, ctx: AdminContext) {
  const { type } = parseGid(args.id);
  const found = TAGGABLE.has(type) ? findByGid(ctx, args.id) : null;
  if (!found) return { node: null, userErrors: [{ field: ["id"], message: "Resource not found" }] };
  const target = found.source as { tags: string[]; updatedAt: Date };
  const requested = (args.tags as string[])
    .flatMap((t) => t.split(","))
    .map((t) => t.trim())
    .filter(Boolean);
  const tooLong = requested.find((t) => t.length > MAX_TAG_LENGTH);
  if (tooLong)
    return {
      node: null,
      userErrors: [
        {
          field: ["tags"],
          message: `Tag '${tooLong.slice(0, 20)}…' is too long (maximum is ${MAX_TAG_LENGTH} characters)`,
        },
      ],
    };
  let changed = false;
  for (const tag of requested) {
    if (!target.tags.some((existing) => existing.toLowerCase() === tag.toLowerCase())) {
      target.tags.push(tag);
      changed = true;
    }
  }
  if (changed) target.updatedAt = ctx.now;
  return { node: typed(found.typename, found.source), userErrors: [] };
}

export const tagMutations = { tagsAdd };
