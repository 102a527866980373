/**
 * Which access scopes a GraphQL document needs, from the schema's own notes
 * (./schema-notes.ts, read by ./notes.ts). One rule for the static check of
 * the app's operations against shopify.app.toml and for the sandbox, which
 * refuses what the shop has not granted:
 *
 * - every selected field: its own note, the note of the type it returns and
 *   the note of the type it is selected on (an `... on ProductVariant` inside
 *   `nodes` needs what ProductVariant needs);
 * - every argument given: its note, and the notes of the input fields given
 *   inside it, at any depth. With the request's variables, "given" is what the
 *   variables hold (non-null); without them (the static check) every input
 *   field a variable's type allows counts, so the answer is an upper bound.
 */
import {
  getNamedType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isInterfaceType,
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ValueNode,
} from "graphql";
import { canonicalNote, parseNote, type OperationType, type ScopeRequirement } from "./notes";
import type { ScopeNotes } from "./schema-notes";

export interface Requirement extends ScopeRequirement {
  /** Schema coordinate of the note: `GiftCard`, `Mutation.giftCardCreate`, `GiftCardCreateInput.customerId`. */
  coordinate: string;
  /** The field Shopify names in "Access denied for X field." */
  field: string;
  /** False when the note names scopes in a phrasing ./notes.ts does not know (then anyOf is empty). */
  recognised: boolean;
}

export class ScopeIndex {
  private readonly parsed = new Map<string, Requirement | null>();

  constructor(
    readonly schema: GraphQLSchema,
    readonly notes: ScopeNotes,
  ) {}

  private requirement(
    coordinate: string,
    field: string,
    note: string | undefined,
    operation: OperationType,
    canonical = false,
  ): Requirement | null {
    if (!note) return null;
    const key = `${operation}|${coordinate}|${field}`;
    if (this.parsed.has(key)) return this.parsed.get(key)!;
    const parsed = parseNote(note, operation);
    const requirement: Requirement | null =
      parsed.kind === "NOT_SCOPES"
        ? null
        : parsed.kind === "UNRECOGNISED"
          ? { coordinate, field, note, anyOf: [], recognised: false }
          : {
              coordinate,
              field,
              note: canonical ? canonicalNote(parsed.anyOf) : note,
              anyOf: parsed.anyOf,
              recognised: true,
            };
    this.parsed.set(key, requirement);
    return requirement;
  }

  /** A type's own note (objects and interfaces carry them). */
  typeRequirement(typeName: string, field: string, operation: OperationType): Requirement | null {
    return this.requirement(typeName, field, this.notes.types.get(typeName), operation);
  }

  /** What selecting `parent.field` needs: the field's note and the note of the type it returns. */
  fieldRequirements(
    parentType: string,
    fieldName: string,
    returnType: string,
    operation: OperationType,
  ): Requirement[] {
    const own = this.requirement(
      `${parentType}.${fieldName}`,
      fieldName,
      this.notes.fields.get(`${parentType}.${fieldName}`),
      operation,
    );
    const returned = this.typeRequirement(returnType, fieldName, operation);
    return [own, returned].filter((r): r is Requirement => r !== null);
  }

  argumentRequirement(parentType: string, fieldName: string, argName: string, operation: OperationType) {
    return this.requirement(
      `${parentType}.${fieldName}(${argName})`,
      argName,
      this.notes.args.get(`${parentType}.${fieldName}(${argName})`),
      operation,
      true,
    );
  }

  /**
   * Notes of the input fields a value gives, at any depth. `value` undefined means "unknown" (the
   * static check): every input field the type allows counts.
   */
  inputRequirements(type: GraphQLInputType, value: unknown, operation: OperationType, out: Requirement[] = []) {
    this.walkInput(type, value, operation, out, new Set());
    return out;
  }

  private walkInput(
    type: GraphQLInputType,
    value: unknown,
    operation: OperationType,
    out: Requirement[],
    seen: Set<string>,
  ): void {
    if (value === null) return;
    if (isNonNullType(type)) return this.walkInput(type.ofType, value, operation, out, seen);
    if (isListType(type)) {
      if (value === undefined) return this.walkInput(type.ofType, undefined, operation, out, seen);
      for (const item of Array.isArray(value) ? value : [value])
        this.walkInput(type.ofType, item, operation, out, seen);
      return;
    }
    if (!isInputObjectType(type)) return;
    const unknown = value === undefined;
    if (unknown) {
      // Recursive input types (filters) are walked once per type in the static check.
      if (seen.has(type.name)) return;
      seen.add(type.name);
    }
    const given = unknown ? null : (value as Record<string, unknown>);
    for (const field of Object.values(type.getFields())) {
      if (given && (!(field.name in given) || given[field.name] === null || given[field.name] === undefined)) continue;
      const coordinate = `${type.name}.${field.name}`;
      const requirement = this.requirement(
        coordinate,
        field.name,
        this.notes.inputFields.get(coordinate),
        operation,
        true,
      );
      if (requirement) out.push(requirement);
      this.walkInput(field.type, given ? given[field.name] : undefined, operation, out, seen);
    }
  }
}

/** A literal argument value as plain data, with variables substituted (undefined when unknown). */
function literalValue(node: ValueNode, variables: Record<string, unknown> | undefined): unknown {
  switch (node.kind) {
    case Kind.VARIABLE:
      return variables ? variables[node.name.value] : undefined;
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return node.values.map((v) => literalValue(v, variables));
    case Kind.OBJECT:
      return Object.fromEntries(node.fields.map((f) => [f.name.value, literalValue(f.value, variables)]));
    default:
      return "value" in node ? node.value : true;
  }
}

/**
 * Every requirement a document states, once per coordinate (first occurrence). With `variables`,
 * the input fields the request really gives; without, every one its variables could give.
 */
export function documentRequirements(
  index: ScopeIndex,
  document: DocumentNode,
  options: { operationName?: string; variables?: Record<string, unknown> } = {},
): Requirement[] {
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  const chosen = options.operationName
    ? operations.find((o) => o.name?.value === options.operationName)
    : operations[0];
  const operation: OperationType = chosen?.operation === "mutation" ? "mutation" : "query";
  const found = new Map<string, Requirement>();
  const add = (r: Requirement | null) => {
    if (r && !found.has(r.coordinate)) found.set(r.coordinate, r);
  };
  const typeInfo = new TypeInfo(index.schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      OperationDefinition(node) {
        // Other operations of the document are not sent with this request.
        if (chosen && node !== chosen) return false;
        return undefined;
      },
      Field(node) {
        const parent = typeInfo.getParentType();
        const def = typeInfo.getFieldDef();
        if (!parent || !def || node.name.value.startsWith("__")) return;
        if (isObjectType(parent) || isInterfaceType(parent))
          add(index.typeRequirement(parent.name, node.name.value, operation));
        for (const r of index.fieldRequirements(parent.name, def.name, getNamedType(def.type).name, operation)) add(r);
        for (const argNode of node.arguments ?? []) {
          const argDef = def.args.find((a) => a.name === argNode.name.value);
          if (!argDef) continue;
          const value = literalValue(argNode.value, options.variables);
          if (value === null) continue;
          add(index.argumentRequirement(parent.name, def.name, argDef.name, operation));
          for (const r of index.inputRequirements(argDef.type, value, operation)) add(r);
        }
      },
    }),
  );
  return [...found.values()];
}
