/**
 * Shopify's custom scalars. buildClientSchema gives every custom scalar an
 * identity parser, so "tomorrow" would pass as a DateTime; Shopify rejects it.
 * These checks run on literals (a validation rule) and on coerced variables.
 */
import {
  GraphQLError,
  getNamedType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  typeFromAST,
  valueFromASTUntyped,
  type ASTVisitor,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ValidationContext,
  type ValueNode,
} from "graphql";
import type { ShopifyError } from "./errors";

const DECIMAL = /^-?\d+(\.\d+)?$/;

const CHECKS: Record<string, (value: unknown) => boolean> = {
  DateTime: (v) => typeof v === "string" && /^\d{4}-\d{2}-\d{2}/.test(v) && !Number.isNaN(Date.parse(v)),
  Date: (v) => typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v)),
  Decimal: (v) => (typeof v === "number" && Number.isFinite(v)) || (typeof v === "string" && DECIMAL.test(v.trim())),
  Money: (v) => (typeof v === "number" && Number.isFinite(v)) || (typeof v === "string" && DECIMAL.test(v.trim())),
  UnsignedInt64: (v) =>
    (typeof v === "number" && Number.isInteger(v) && v >= 0) || (typeof v === "string" && /^\d+$/.test(v)),
  URL: (v) => typeof v === "string" && URL.canParse(v),
};

export function scalarProblem(typeName: string, value: unknown): string | undefined {
  const check = CHECKS[typeName];
  if (!check || value === null || value === undefined || check(value)) return undefined;
  return `Could not coerce value ${JSON.stringify(value)} to ${typeName}`;
}

/** Validation rule: a literal that the named custom scalar would refuse. */
export function customScalarLiteralsRule(context: ValidationContext): ASTVisitor {
  const check = (node: ValueNode) => {
    const type = context.getInputType();
    if (!type) return;
    const named = getNamedType(type);
    if (!isScalarType(named)) return;
    const problem = scalarProblem(named.name, valueFromASTUntyped(node));
    if (problem) context.reportError(new GraphQLError(problem, { nodes: node }));
  };
  return { StringValue: check, IntValue: check, FloatValue: check };
}

/** Walk coerced variable values and report custom-scalar problems the way Shopify reports bad variables. */
export function variableScalarProblems(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  values: Record<string, unknown>,
): ShopifyError[] {
  const errors: ShopifyError[] = [];
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    const type = typeFromAST(schema, definition.type) as GraphQLInputType | undefined;
    if (!type) continue;
    const problems: Array<{ path: Array<string | number>; explanation: string }> = [];
    walk(type, values[name], [], problems);
    if (problems.length) {
      const first = problems[0]!;
      errors.push({
        message: `Variable $${name} of type ${String(type)} was provided invalid value${first.path.length ? ` for ${first.path.join(".")}` : ""}`,
        locations: definition.loc
          ? [{ line: definition.loc.startToken.line, column: definition.loc.startToken.column }]
          : undefined,
        extensions: { code: "INVALID_VARIABLE", value: values[name] ?? null, problems },
      });
    }
  }
  return errors;
}

function walk(
  type: GraphQLInputType,
  value: unknown,
  path: Array<string | number>,
  problems: Array<{ path: Array<string | number>; explanation: string }>,
): void {
  if (value === null || value === undefined) return;
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner)) {
    if (Array.isArray(value)) value.forEach((item, i) => walk(inner.ofType, item, [...path, i], problems));
    return;
  }
  if (isInputObjectType(inner)) {
    if (typeof value !== "object") return;
    const record = value as Record<string, unknown>;
    for (const [key, field] of Object.entries(inner.getFields()))
      walk(field.type, record[key], [...path, key], problems);
    return;
  }
  if (isScalarType(inner)) {
    const problem = scalarProblem(inner.name, value);
    if (problem) problems.push({ path, explanation: problem });
  }
}
