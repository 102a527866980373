/**
 * A named Admin GraphQL operation as a value: its document, the zod schema of
 * its variables (what the caller passes in) and of its `data` (what comes
 * back), where its `userErrors` are, and whether repeating it after a lost
 * response is harmless. AdminClient.run() takes one of these.
 *
 * The name and kind come from the document itself, so they cannot drift
 * apart; a document that is not exactly one operation named `Amends...` is
 * refused when the module loads.
 */
import { Kind, parse, type FieldNode, type OperationDefinitionNode } from "graphql";
import type { z } from "zod";

export type OperationKind = "query" | "mutation";

export interface Operation<VS extends z.ZodType | undefined = z.ZodType | undefined, DS extends z.ZodType = z.ZodType> {
  /** The operation's name in the document, e.g. "AmendsOrderForRecovery" (Shopify logs and the sandbox's `calls` show it). */
  readonly name: string;
  readonly kind: OperationKind;
  readonly document: string;
  readonly variables: VS;
  readonly data: DS;
  /** Where the mutation payload's userErrors list sits in `data`, e.g. ["giftCardCreate", "userErrors"]. */
  readonly userErrorsPath: readonly string[] | undefined;
  /**
   * Repeating the request after a lost response cannot do the thing twice.
   * Always true for queries; mutations declare it (default false).
   */
  readonly idempotent: boolean;
  /**
   * Protected customer fields (name, email, phone, address) the operation asks for, as field paths
   * without list indices (e.g. ["customer", "firstName"]). Shopify answers a field the app is not
   * approved for with null and an error at its path: for these paths that is not a failure, the
   * data comes back with the field null and the path reported (AdminClient.runWithDenials).
   */
  readonly protectedFields: ReadonlyArray<readonly string[]>;
}

/** What `run` takes after the operation: its variables, or nothing for an operation without any. */
export type OperationArgs<VS extends z.ZodType | undefined> = VS extends z.ZodType ? [variables: z.input<VS>] : [];
export type OperationResult<O> = O extends Operation<z.ZodType | undefined, infer DS> ? z.output<DS> : never;

export interface OperationSpec<VS extends z.ZodType | undefined, DS extends z.ZodType> {
  document: string;
  data: DS;
  variables?: VS;
  /** Defaults to the root field's `userErrors` when the mutation selects it. */
  userErrorsPath?: readonly string[];
  /** Mutations only: repeating it is harmless (e.g. adding a tag, setting a metafield to a value). */
  idempotent?: boolean;
  /** See Operation.protectedFields. */
  protectedFields?: ReadonlyArray<readonly string[]>;
}

export function defineOperation<DS extends z.ZodType, VS extends z.ZodType | undefined = undefined>(
  spec: OperationSpec<VS, DS>,
): Operation<VS, DS> {
  const definition = onlyOperation(spec.document);
  const name = definition.name?.value;
  if (!name || !/^Amends[A-Z]/.test(name))
    throw new Error(`an Admin operation must be named Amends...: got ${name ?? "an anonymous operation"}`);
  if (definition.operation === "subscription") throw new Error(`${name}: subscriptions are not Admin API operations`);
  const kind: OperationKind = definition.operation;
  if (kind === "query" && spec.idempotent === false) throw new Error(`${name}: a query is always safe to repeat`);
  const hasVariables = (definition.variableDefinitions?.length ?? 0) > 0;
  if (hasVariables !== (spec.variables !== undefined))
    throw new Error(`${name}: the document's variables and the variables schema must come together`);
  return {
    name,
    kind,
    document: spec.document,
    variables: spec.variables as VS,
    data: spec.data,
    userErrorsPath: spec.userErrorsPath ?? (kind === "mutation" ? defaultUserErrorsPath(definition) : undefined),
    idempotent: kind === "query" ? true : (spec.idempotent ?? false),
    protectedFields: spec.protectedFields ?? [],
  };
}

function onlyOperation(document: string): OperationDefinitionNode {
  const operations = parse(document).definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  if (operations.length !== 1)
    throw new Error(`an Admin operation document must hold exactly one operation, found ${operations.length}`);
  return operations[0]!;
}

function defaultUserErrorsPath(definition: OperationDefinitionNode): string[] | undefined {
  const roots = definition.selectionSet.selections.filter((s): s is FieldNode => s.kind === Kind.FIELD);
  if (roots.length !== 1) return undefined;
  const root = roots[0]!;
  const userErrors = root.selectionSet?.selections.find(
    (s): s is FieldNode => s.kind === Kind.FIELD && s.name.value === "userErrors",
  );
  if (!userErrors) return undefined;
  return [(root.alias ?? root.name).value, (userErrors.alias ?? userErrors.name).value];
}
