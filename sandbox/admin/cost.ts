/**
 * Calculated query cost, by Shopify's documented defaults:
 *   scalar or enum field 0; object field 1; interface or union field the most
 *   expensive of its possible types; connection 2 + page size x (cost of one
 *   node); mutation field 10; a single query may not exceed 1,000.
 *
 * The requested cost sizes connections by `first`/`last` before execution; the
 * actual cost walks the same selection over the data that came back, sizing
 * connections and lists by what was returned (Shopify refunds the difference).
 *
 * Choices where the docs are silent, so that tests can rely on them:
 * - a list field that is not a connection is sized by its `first` argument
 *   (or the number of `ids`) when it has one, else counts as one object;
 * - a mutation field costs 10 plus the connections inside its payload (the
 *   payload's plain objects are covered by the 10);
 * - an object field that came back null still costs 1 (the lookup happened);
 * - the actual cost never exceeds the requested cost.
 * Shopify now prices large connections lower than this linear rule (it has
 * been measured at 13 for 250 orders of scalar fields), so the sandbox's
 * requested cost is an upper bound: a query that passes here passes there.
 */
import {
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  isAbstractType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  type DirectiveNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";

export const MAX_SINGLE_QUERY_COST = 1000;
export const MUTATION_COST = 10;

interface CostInput {
  schema: GraphQLSchema;
  operation: OperationDefinitionNode;
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
}

type Data = unknown;

export function requestedQueryCost(input: CostInput): number {
  return operationCost(input, undefined);
}

export function actualQueryCost(input: CostInput, data: Data, requested = requestedQueryCost(input)): number {
  return Math.min(operationCost(input, data ?? null), requested);
}

function operationCost(input: CostInput, data: Data | undefined): number {
  const root = input.operation.operation === "mutation" ? input.schema.getMutationType() : input.schema.getQueryType();
  if (!root) return 0;
  const walker = new CostWalker(input, data !== undefined);
  return walker.selection(
    root,
    input.operation.selectionSet,
    data,
    input.operation.operation === "mutation" ? "mutation-root" : "normal",
  );
}

type Mode = "normal" | "mutation-root" | "payload";

class CostWalker {
  constructor(
    private readonly input: CostInput,
    private readonly actual: boolean,
  ) {}

  /** Cost of a selection set on a concrete object type; `data` is that object's result when computing the actual cost. */
  selection(type: GraphQLObjectType, selectionSet: SelectionSetNode, data: Data | undefined, mode: Mode): number {
    let total = 0;
    const record = isRecord(data) ? data : undefined;
    for (const [key, nodes] of this.collect(type, selectionSet)) {
      const first = nodes[0]!;
      if (first.name.value.startsWith("__")) continue;
      const field = type.getFields()[first.name.value];
      if (!field) continue;
      total += this.field(field, nodes, record?.[key], mode);
    }
    return total;
  }

  private field(field: GraphQLField<unknown, unknown>, nodes: FieldNode[], data: Data | undefined, mode: Mode): number {
    const named = getNamedType(field.type);
    if (isLeafType(named)) return 0;
    const args = this.args(field, nodes[0]!);
    const selectionSet = merge(nodes);
    if (mode === "mutation-root") {
      if (this.actual && data === null) return MUTATION_COST;
      return MUTATION_COST + this.children(named, field.type, selectionSet, data, args, "payload");
    }
    if (isConnection(named)) return this.connection(named, selectionSet, data, args, mode);
    if (mode === "payload") return this.children(named, field.type, selectionSet, data, args, "payload");
    if (this.actual && (data === null || data === undefined)) return 1;
    return this.children(named, field.type, selectionSet, data, args, mode);
  }

  /** An object, a list of objects, or an abstract type: 1 per object (0 inside a mutation payload) plus its selection. */
  private children(
    named: GraphQLNamedType,
    type: GraphQLOutputType,
    selectionSet: SelectionSetNode,
    data: Data | undefined,
    args: Record<string, unknown>,
    mode: Mode,
  ): number {
    const own = mode === "payload" ? 0 : 1;
    if (isList(type)) {
      if (this.actual) {
        const items = Array.isArray(data) ? data : [];
        return items.reduce<number>(
          (sum, item) => sum + (item === null ? 0 : own + this.object(named, selectionSet, item, mode)),
          0,
        );
      }
      const size = pageSize(args) ?? 1;
      return size * (own + this.object(named, selectionSet, undefined, mode));
    }
    if (this.actual && (data === null || data === undefined)) return mode === "payload" ? 0 : 1;
    return own + this.object(named, selectionSet, data, mode);
  }

  private connection(
    type: GraphQLNamedType,
    selectionSet: SelectionSetNode,
    data: Data | undefined,
    args: Record<string, unknown>,
    mode: Mode,
  ): number {
    if (!isObjectType(type)) return 2;
    const record = isRecord(data) ? data : undefined;
    let perItem = 0;
    let returned = 0;
    let actualItems = 0;
    for (const [key, nodes] of this.collect(type, selectionSet)) {
      const name = nodes[0]!.name.value;
      const nodeType = type.getFields()[name];
      if (!nodeType) continue;
      const inner = merge(nodes);
      const childMode: Mode = mode === "payload" ? "normal" : mode;
      if (name === "nodes") {
        const named = getNamedType(nodeType.type);
        if (this.actual) {
          const items = Array.isArray(record?.[key]) ? (record[key] as unknown[]) : [];
          returned = Math.max(returned, items.length);
          actualItems += items.reduce<number>((sum, item) => sum + 1 + this.object(named, inner, item, childMode), 0);
        } else perItem += 1 + this.object(named, inner, undefined, childMode);
      } else if (name === "edges") {
        const edgeType = getNamedType(nodeType.type);
        if (!isObjectType(edgeType)) continue;
        for (const [edgeKey, edgeNodes] of this.collect(edgeType, inner)) {
          if (edgeNodes[0]!.name.value !== "node") continue;
          const nodeField = edgeType.getFields().node;
          if (!nodeField) continue;
          const named = getNamedType(nodeField.type);
          const nodeSelection = merge(edgeNodes);
          if (this.actual) {
            const edges = Array.isArray(record?.[key]) ? (record[key] as unknown[]) : [];
            returned = Math.max(returned, edges.length);
            actualItems += edges.reduce<number>(
              (sum, edge) =>
                sum + 1 + this.object(named, nodeSelection, isRecord(edge) ? edge[edgeKey] : undefined, childMode),
              0,
            );
          } else perItem += 1 + this.object(named, nodeSelection, undefined, childMode);
        }
      }
    }
    if (this.actual) return 2 + actualItems;
    return 2 + (pageSize(args) ?? 0) * perItem;
  }

  /** The selection's cost on whichever possible type is most expensive (interfaces and unions). */
  private object(named: GraphQLNamedType, selectionSet: SelectionSetNode, data: Data | undefined, mode: Mode): number {
    if (isObjectType(named)) return this.selection(named, selectionSet, data, mode);
    if (!isAbstractType(named)) return 0;
    const typename = isRecord(data) && typeof data.__typename === "string" ? data.__typename : undefined;
    const candidates = this.input.schema.getPossibleTypes(named).filter((t) => !typename || t.name === typename);
    let max = 0;
    for (const candidate of candidates) max = Math.max(max, this.selection(candidate, selectionSet, data, mode));
    return max;
  }

  private args(field: GraphQLField<unknown, unknown>, node: FieldNode): Record<string, unknown> {
    try {
      return getArgumentValues(field, node, this.input.variables);
    } catch {
      return {};
    }
  }

  /** Fields grouped by response key, honouring @skip/@include and fragment type conditions. */
  private collect(
    type: GraphQLObjectType,
    selectionSet: SelectionSetNode,
    into = new Map<string, FieldNode[]>(),
    seen = new Set<string>(),
  ): Map<string, FieldNode[]> {
    for (const selection of selectionSet.selections) {
      if (!this.included(selection)) continue;
      if (selection.kind === "Field") {
        const key = selection.alias?.value ?? selection.name.value;
        into.set(key, [...(into.get(key) ?? []), selection]);
      } else if (selection.kind === "InlineFragment") {
        if (this.applies(selection.typeCondition?.name.value, type))
          this.collect(type, selection.selectionSet, into, seen);
      } else {
        const name = selection.name.value;
        const fragment = this.input.fragments[name];
        if (!fragment || seen.has(name) || !this.applies(fragment.typeCondition.name.value, type)) continue;
        seen.add(name);
        this.collect(type, fragment.selectionSet, into, seen);
      }
    }
    return into;
  }

  private applies(condition: string | undefined, type: GraphQLObjectType): boolean {
    if (!condition || condition === type.name) return true;
    const conditionType = this.input.schema.getType(condition);
    return !!conditionType && isAbstractType(conditionType) && this.input.schema.isSubType(conditionType, type);
  }

  private included(node: { directives?: readonly DirectiveNode[] }): boolean {
    const skip = getDirectiveValues(GraphQLSkipDirective, node, this.input.variables);
    if (skip?.if === true) return false;
    const include = getDirectiveValues(GraphQLIncludeDirective, node, this.input.variables);
    return include?.if !== false;
  }
}

function merge(nodes: FieldNode[]): SelectionSetNode {
  const selections = nodes.flatMap((n) => n.selectionSet?.selections ?? []);
  return { kind: "SelectionSet" as SelectionSetNode["kind"], selections };
}

function isConnection(type: GraphQLNamedType): boolean {
  if (!isObjectType(type) || !type.name.endsWith("Connection")) return false;
  const fields = type.getFields();
  return "pageInfo" in fields && ("edges" in fields || "nodes" in fields);
}

function isList(type: GraphQLOutputType): boolean {
  return isListType(isNonNullType(type) ? type.ofType : type);
}

function pageSize(args: Record<string, unknown>): number | undefined {
  if (Array.isArray(args.ids)) return args.ids.length;
  const size = typeof args.first === "number" ? args.first : typeof args.last === "number" ? args.last : undefined;
  return size === undefined ? undefined : Math.max(0, size);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
