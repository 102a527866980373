/** node(id) and nodes(ids) over every type the sandbox models. */
import type { AdminContext } from "../context";
import { findByGid } from "./lookup";
import { typed, type Args } from "./util";

function node(_root: unknown, args: Args, ctx: AdminContext) {
  const found = findByGid(ctx, args.id);
  return found ? typed(found.typename, found.source) : null;
}

function nodes(_root: unknown, args: Args, ctx: AdminContext) {
  return (args.ids as string[]).map((id) => node(undefined, { id }, ctx));
}

export const nodeQueries = { node, nodes };
