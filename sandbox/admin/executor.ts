/**
 * From a request body to a GraphQL result: parse, validate against the real
 * schema, coerce variables, price the query, then execute with the sandbox's
 * resolvers. Each step that fails answers the way Shopify does and stops, so
 * nothing runs for a document Shopify would refuse.
 */
import {
  execute,
  getOperationAST,
  getVariableValues,
  GraphQLError,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionResult,
  type FragmentDefinitionNode,
  type GraphQLFieldResolver,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";
import type { AdminContext } from "./context";
import { actualQueryCost, MAX_SINGLE_QUERY_COST, requestedQueryCost } from "./cost";
import {
  notModelled,
  parseErrorToShopify,
  THROTTLED_DOCS,
  validationErrorsToShopify,
  variableErrorsToShopify,
  type ShopifyError,
} from "./errors";
import { accessOf, notApproved, refusesField } from "../protected-data";
import { resolvers } from "./resolvers";
import type { ResolverMap } from "./resolvers/util";
import { customScalarLiteralsRule, variableScalarProblems } from "./scalars";
import { adminSchema } from "./schema";
import { accessDenied, deniedRequirement } from "./scopes";

export interface Prepared {
  document: DocumentNode;
  operation: OperationDefinitionNode;
  operationName: string | undefined;
  rootFields: string[];
  rawVariables: Record<string, unknown>;
  costInput: Parameters<typeof requestedQueryCost>[0];
  requestedCost: number;
}

export type Preparation =
  | { ok: true; prepared: Prepared }
  | {
      ok: false;
      kind: "parse" | "invalid" | "variables" | "max-cost";
      errors: ShopifyError[];
      operationName?: string;
      rootFields: string[];
    };

const RULES = [...specifiedRules, customScalarLiteralsRule];

/** Parsing and validating the same document again is wasted work; apps send a handful of fixed operations. */
const documentCache = new Map<
  string,
  { document: DocumentNode } | { errors: ShopifyError[]; kind: "parse" | "invalid" }
>();
const CACHE_LIMIT = 500;

function parseAndValidate(
  query: string,
): { document: DocumentNode } | { errors: ShopifyError[]; kind: "parse" | "invalid" } {
  const cached = documentCache.get(query);
  if (cached) return cached;
  let result: { document: DocumentNode } | { errors: ShopifyError[]; kind: "parse" | "invalid" };
  try {
    const document = parse(query);
    const errors = validate(adminSchema(), document, RULES);
    result = errors.length
      ? { errors: validationErrorsToShopify(errors, adminSchema(), document), kind: "invalid" }
      : { document };
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    result = { errors: [parseErrorToShopify(error, query)], kind: "parse" };
  }
  if (documentCache.size >= CACHE_LIMIT) documentCache.delete(documentCache.keys().next().value as string);
  documentCache.set(query, result);
  return result;
}

export function prepare(
  query: string,
  operationName: string | undefined,
  variables: Record<string, unknown> | undefined,
): Preparation {
  const parsed = parseAndValidate(query);
  if ("errors" in parsed) return { ok: false, kind: parsed.kind, errors: parsed.errors, operationName, rootFields: [] };
  const { document } = parsed;
  const operation = getOperationAST(document, operationName);
  if (!operation) {
    const named = document.definitions.filter((d) => d.kind === "OperationDefinition").length > 1;
    const message = operationName
      ? `No operation named "${operationName}"`
      : named
        ? "An operation name is required"
        : "No operations in query document";
    return { ok: false, kind: "invalid", errors: [{ message }], operationName, rootFields: [] };
  }
  const name = operation.name?.value ?? operationName;
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of document.definitions)
    if (definition.kind === "FragmentDefinition") fragments[definition.name.value] = definition;
  const rootFields = rootFieldNames(operation.selectionSet, fragments);
  const schema = adminSchema();
  const inputs = variables ?? {};
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], inputs);
  if (coerced.errors) {
    const types = new Map((operation.variableDefinitions ?? []).map((d) => [d.variable.name.value, printType(d.type)]));
    return {
      ok: false,
      kind: "variables",
      errors: variableErrorsToShopify(coerced.errors, types, inputs),
      operationName: name,
      rootFields,
    };
  }
  const scalarErrors = variableScalarProblems(schema, operation, coerced.coerced);
  if (scalarErrors.length)
    return { ok: false, kind: "variables", errors: scalarErrors, operationName: name, rootFields };
  const costInput = { schema, operation, fragments, variables: coerced.coerced };
  const requestedCost = requestedQueryCost(costInput);
  if (requestedCost > MAX_SINGLE_QUERY_COST) {
    return { ok: false, kind: "max-cost", errors: [maxCostError(requestedCost)], operationName: name, rootFields };
  }
  return {
    ok: true,
    prepared: { document, operation, operationName: name, rootFields, rawVariables: inputs, costInput, requestedCost },
  };
}

/** Shopify's wording, measured on a live shop; no top-level cost extension accompanies it. */
function maxCostError(cost: number): ShopifyError {
  return {
    message:
      `Query cost is ${cost}, which exceeds the single query max cost limit (${MAX_SINGLE_QUERY_COST}).\n\n` +
      "See https://shopify.dev/docs/api/usage/rate-limits for more information on how the\ncost of a query is calculated.\n\n" +
      "To query larger amounts of data with fewer limits, bulk operations should be used instead.\n" +
      "See https://shopify.dev/docs/api/usage/bulk-operations/queries for usage details.\n",
    extensions: { code: "MAX_COST_EXCEEDED", cost, maxCost: MAX_SINGLE_QUERY_COST, documentation: THROTTLED_DOCS },
  };
}

function printType(node: NonNullable<OperationDefinitionNode["variableDefinitions"]>[number]["type"]): string {
  if (node.kind === "NonNullType") return `${printType(node.type)}!`;
  if (node.kind === "ListType") return `[${printType(node.type)}]`;
  return node.name.value;
}

function rootFieldNames(
  selectionSet: SelectionSetNode,
  fragments: Record<string, FragmentDefinitionNode>,
  seen = new Set<string>(),
): string[] {
  const names: string[] = [];
  for (const selection of selectionSet.selections) {
    if (selection.kind === "Field") names.push(selection.name.value);
    else if (selection.kind === "InlineFragment")
      names.push(...rootFieldNames(selection.selectionSet, fragments, seen));
    else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      const fragment = fragments[selection.name.value];
      if (fragment) names.push(...rootFieldNames(fragment.selectionSet, fragments, seen));
    }
  }
  return [...new Set(names)];
}

/**
 * Fields of types with a resolver map go through it, and a field missing
 * from the map is reported as not modelled. Plain value objects (MoneyV2,
 * PageInfo, edges…) answer from their properties; a property that is not
 * there is equally reported, never a silent null.
 */
function fieldResolverFor(map: ResolverMap): GraphQLFieldResolver<unknown, AdminContext> {
  return (source, args, ctx, info) => {
    if (ctx.grantedScopes) {
      const denied = deniedRequirement(info, args, ctx.grantedScopes);
      if (denied) throw accessDenied(denied);
    }
    // Protected customer data the app is not approved for on this shop: null with an error at the path.
    if (refusesField(accessOf(ctx.shop), info.parentType.name, info.fieldName, info.returnType)) throw notApproved();
    const typeResolvers = map[info.parentType.name];
    if (typeResolvers) {
      const resolve = typeResolvers[info.fieldName];
      if (resolve) return resolve(source as never, args, ctx, info);
      throw notModelled(`${info.parentType.name}.${info.fieldName}`);
    }
    if (typeof source === "object" && source !== null && info.fieldName in source)
      return (source as Record<string, unknown>)[info.fieldName];
    throw notModelled(`${info.parentType.name}.${info.fieldName}`);
  };
}

const fieldResolver = fieldResolverFor(resolvers);

export interface Execution {
  result: ExecutionResult;
  actualCost: number;
}

export async function run(prepared: Prepared, ctx: AdminContext): Promise<Execution> {
  const result = await execute({
    schema: prepared.costInput.schema,
    document: prepared.document,
    operationName: prepared.operationName,
    rootValue: {},
    contextValue: ctx,
    variableValues: prepared.rawVariables,
    fieldResolver,
  });
  return { result, actualCost: actualQueryCost(prepared.costInput, result.data ?? null, prepared.requestedCost) };
}
