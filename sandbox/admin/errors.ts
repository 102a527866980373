/**
 * Errors shaped like Shopify's. Shopify runs graphql-ruby, whose messages and
 * `extensions.code` values differ from graphql-js's; clients (and people
 * reading logs) see Shopify's wording, so the sandbox translates the common
 * cases. Anything not recognised keeps graphql-js's message with a generic code.
 */
import {
  GraphQLError,
  Lexer,
  Source,
  TokenKind,
  TypeInfo,
  print,
  visit,
  visitWithTypeInfo,
  type ASTNode,
  type ArgumentNode,
  type DocumentNode,
  type GraphQLSchema,
} from "graphql";

export interface ShopifyErrorLocation {
  line: number;
  column: number;
}

export interface ShopifyError {
  message: string;
  locations?: ShopifyErrorLocation[];
  path?: Array<string | number>;
  extensions?: Record<string, unknown>;
}

export const THROTTLED_DOCS = "https://shopify.dev/api/usage/rate-limits";

/** Marks an execution error as a sandbox gap, so a test can tell it from a Shopify-like error. */
export const NOT_MODELLED = "SANDBOX_NOT_MODELLED";

export function notModelled(what: string): GraphQLError {
  return new GraphQLError(`The sandbox does not model ${what}. Extend sandbox/admin if Amends needs it.`, {
    extensions: { code: NOT_MODELLED },
  });
}

const RUBY_TOKEN: Partial<Record<string, string>> = {
  [TokenKind.BRACE_L]: "LCURLY",
  [TokenKind.BRACE_R]: "RCURLY",
  [TokenKind.PAREN_L]: "LPAREN",
  [TokenKind.PAREN_R]: "RPAREN",
  [TokenKind.BRACKET_L]: "LBRACKET",
  [TokenKind.BRACKET_R]: "RBRACKET",
  [TokenKind.COLON]: "COLON",
  [TokenKind.DOLLAR]: "VAR_SIGN",
  [TokenKind.BANG]: "BANG",
  [TokenKind.EQUALS]: "EQUALS",
  [TokenKind.AT]: "DIR_SIGN",
  [TokenKind.SPREAD]: "ELLIPSIS",
  [TokenKind.PIPE]: "PIPE",
  [TokenKind.AMP]: "AMP",
  [TokenKind.NAME]: "IDENTIFIER",
  [TokenKind.INT]: "INT",
  [TokenKind.FLOAT]: "FLOAT",
  [TokenKind.STRING]: "STRING",
  [TokenKind.BLOCK_STRING]: "STRING",
};

/** graphql-ruby: `Parse error on "}" (RCURLY) at [1, 20]`, with locations and no extensions (as Shopify answers). */
export function parseErrorToShopify(error: GraphQLError, source: string): ShopifyError {
  const location = error.locations?.[0];
  if (!location) return { message: error.message };
  const locations = [{ line: location.line, column: location.column }];
  try {
    const lexer = new Lexer(new Source(source));
    let token = lexer.advance();
    while (
      token.kind !== TokenKind.EOF &&
      (token.line < location.line || (token.line === location.line && token.column < location.column))
    ) {
      token = lexer.advance();
    }
    if (token.kind === TokenKind.EOF) return { message: "Unexpected end of document", locations };
    const value = token.value ?? token.kind;
    return {
      message: `Parse error on ${JSON.stringify(value)} (${RUBY_TOKEN[token.kind] ?? token.kind}) at [${location.line}, ${location.column}]`,
      locations,
    };
  } catch {
    // The lexer itself failed (e.g. an unterminated string): keep graphql-js's description.
    return {
      message: `${error.message.replace(/^Syntax Error: /, "Parse error: ")} at [${location.line}, ${location.column}]`,
      locations,
    };
  }
}

interface ArgumentSite {
  node: ArgumentNode;
  owner: string;
  ownerKind: "Field" | "Directive";
  type: string;
}

/** Where each argument sits and what type it expects, so a bad value deep inside it can be reported on the argument, as graphql-ruby does. */
function argumentSites(schema: GraphQLSchema, document: DocumentNode): ArgumentSite[] {
  const typeInfo = new TypeInfo(schema);
  const sites: ArgumentSite[] = [];
  const stack: Array<{ name: string; kind: "Field" | "Directive" }> = [];
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field: {
        enter: (node) => void stack.push({ name: node.name.value, kind: "Field" }),
        leave: () => void stack.pop(),
      },
      Directive: {
        enter: (node) => void stack.push({ name: node.name.value, kind: "Directive" }),
        leave: () => void stack.pop(),
      },
      Argument(node) {
        const owner = stack[stack.length - 1];
        const argument = typeInfo.getArgument();
        if (owner)
          sites.push({ node, owner: owner.name, ownerKind: owner.kind, type: argument ? String(argument.type) : "?" });
      },
    }),
  );
  return sites;
}

function enclosingArgument(sites: ArgumentSite[], node: ASTNode | undefined): ArgumentSite | undefined {
  const loc = node?.loc;
  if (!loc) return undefined;
  let best: ArgumentSite | undefined;
  for (const site of sites) {
    const at = site.node.loc;
    if (
      at &&
      at.start <= loc.start &&
      at.end >= loc.end &&
      (!best || (best.node.loc && at.start >= best.node.loc.start))
    )
      best = site;
  }
  return best;
}

/** graphql-ruby's error path: the operation ("query Name"), then response keys, fragments and the offending name. */
function pathTo(document: DocumentNode, target: ASTNode | undefined): Array<string | number> | undefined {
  if (!target) return undefined;
  let found: Array<string | number> | undefined;
  visit(document, {
    enter(node, _key, parent, _path, ancestors) {
      if (found) return false;
      if (node !== target) return undefined;
      const path: string[] = [];
      // graphql-js leaves the parent out of `ancestors`.
      for (const ancestor of [...ancestors, parent, node]) {
        if (!ancestor) continue;
        if (Array.isArray(ancestor) || !("kind" in (ancestor as object))) continue;
        const a = ancestor as ASTNode;
        if (a.kind === "OperationDefinition") path.push(a.name ? `${a.operation} ${a.name.value}` : a.operation);
        else if (a.kind === "FragmentDefinition") path.push(`fragment ${a.name.value}`);
        else if (a.kind === "Field") path.push(a.alias?.value ?? a.name.value);
        else if (a.kind === "InlineFragment")
          path.push(a.typeCondition ? `... on ${a.typeCondition.name.value}` : "...");
        else if (a.kind === "Argument") path.push(a.name.value);
      }
      found = path;
      return false;
    },
  });
  return found;
}

const VALUE_KINDS = new Set([
  "Variable",
  "IntValue",
  "FloatValue",
  "StringValue",
  "BooleanValue",
  "NullValue",
  "EnumValue",
  "ListValue",
  "ObjectValue",
  "ObjectField",
]);

/** Translate graphql-js validation errors into graphql-ruby's messages and codes. */
export function validationErrorsToShopify(
  errors: readonly GraphQLError[],
  schema: GraphQLSchema,
  document: DocumentNode,
): ShopifyError[] {
  let sites: ArgumentSite[] | undefined;
  const argumentsOf = () => (sites ??= argumentSites(schema, document));
  return errors.map((error) => {
    const node = error.nodes?.[0];
    const locations = error.locations?.map((l) => ({ line: l.line, column: l.column }));
    const base = { locations, path: pathTo(document, node) };
    const m = error.message;
    let match: RegExpExecArray | null;

    if ((match = /^Cannot query field "(\w+)" on type "(\w+)"\./.exec(m))) {
      return {
        message: `Field '${match[1]}' doesn't exist on type '${match[2]}'`,
        ...base,
        extensions: { code: "undefinedField", typeName: match[2], fieldName: match[1] },
      };
    }
    if ((match = /^Unknown argument "(\w+)" on field "\w+\.(\w+)"\./.exec(m))) {
      return {
        message: `Field '${match[2]}' doesn't accept argument '${match[1]}'`,
        ...base,
        extensions: { code: "argumentNotAccepted", name: match[2], typeName: "Field", argumentName: match[1] },
      };
    }
    if ((match = /^Unknown argument "(\w+)" on directive "@(\w+)"\./.exec(m))) {
      return {
        message: `Directive '${match[2]}' doesn't accept argument '${match[1]}'`,
        ...base,
        extensions: { code: "argumentNotAccepted", name: match[2], typeName: "Directive", argumentName: match[1] },
      };
    }
    if ((match = /^Field "(\w+)" argument "(\w+)" of type ".+" is required, but it was not provided\./.exec(m))) {
      return {
        message: `Field '${match[1]}' is missing required arguments: ${match[2]}`,
        ...base,
        extensions: { code: "missingRequiredArguments", className: "Field", name: match[1], arguments: match[2] },
      };
    }
    if ((match = /^Field "(\w+)" must not have a selection since type "(.+)" has no subfields\./.exec(m))) {
      // graphql-js points at the offending selection set itself.
      const set = node?.kind === "SelectionSet" ? node : node?.kind === "Field" ? node.selectionSet : undefined;
      const selections = (set?.selections ?? []).map((s) => (s.kind === "Field" ? s.name.value : "...")).join(", ");
      return {
        message: `Selections can't be made on scalars (field '${match[1]}' returns ${match[2]} but has selections [${selections}])`,
        ...base,
        extensions: {
          code: "selectionMismatch",
          nodeName: `field '${match[1]}'`,
          typeName: (match[2] ?? "").replace(/[![\]]/g, ""),
        },
      };
    }
    if ((match = /^Field "(\w+)" of type "(.+)" must have a selection of subfields\./.exec(m))) {
      return {
        message: `Field must have selections (field '${match[1]}' returns ${match[2]} but has no selections. Did you mean '${match[1]} { ... }'?)`,
        ...base,
        extensions: {
          code: "selectionMismatch",
          nodeName: `field '${match[1]}'`,
          typeName: (match[2] ?? "").replace(/[![\]]/g, ""),
        },
      };
    }
    if ((match = /^Variable "\$(\w+)" of type "(.+)" used in position expecting type "(.+)"\./.exec(m))) {
      const site = enclosingArgument(argumentsOf(), error.nodes?.[1]);
      const nullability = (match[2] ?? "").replace(/!/g, "") === (match[3] ?? "").replace(/!/g, "");
      const kind = nullability ? "Nullability mismatch" : "Type mismatch";
      return {
        message: `${kind} on variable $${match[1]} and argument ${site?.node.name.value ?? "?"} (${match[2]} / ${match[3]})`,
        ...base,
        extensions: {
          code: "variableMismatch",
          variableName: match[1],
          typeName: match[2],
          argumentName: site?.node.name.value,
          errorMessage: kind,
        },
      };
    }
    if ((match = /^Variable "\$(\w+)" is not defined(?: by operation "(\w+)")?\./.exec(m))) {
      return {
        message: `Variable $${match[1]} is used by ${match[2] ?? "anonymous query"} but not declared`,
        ...base,
        extensions: { code: "variableNotDefined", variableName: match[1] },
      };
    }
    if ((match = /^Variable "\$(\w+)" is never used(?: in operation "(\w+)")?\./.exec(m))) {
      return {
        message: `Variable $${match[1]} is declared by ${match[2] ?? "anonymous query"} but not used`,
        ...base,
        extensions: { code: "variableNotUsed", variableName: match[1] },
      };
    }
    if ((match = /^Unknown type "(\w+)"\./.exec(m))) {
      return {
        message: `No such type ${match[1]}, so it can't be a fragment condition`,
        ...base,
        extensions: { code: "undefinedType", typeName: match[1] },
      };
    }
    if (node && VALUE_KINDS.has(node.kind)) {
      const site = enclosingArgument(argumentsOf(), node);
      if (site) {
        return {
          message: `Argument '${site.node.name.value}' on ${site.ownerKind} '${site.owner}' has an invalid value (${print(site.node.value)}). Expected type '${site.type}'.`,
          ...base,
          extensions: {
            code: "argumentLiteralsIncompatible",
            typeName: site.ownerKind,
            argumentName: site.node.name.value,
          },
        };
      }
    }
    return { message: m, ...base, extensions: { code: "validationFailed" } };
  });
}

/**
 * graphql-ruby reports a bad variable as `Variable $x of type T was provided
 * invalid value` with the problems listed; graphql-js says `Variable "$x" got
 * invalid value ...`.
 */
export function variableErrorsToShopify(
  errors: readonly GraphQLError[],
  variableTypes: Map<string, string>,
  inputs: Record<string, unknown>,
): ShopifyError[] {
  return errors.map((error) => {
    const locations = error.locations?.map((l) => ({ line: l.line, column: l.column }));
    const name = /^Variable "\$(\w+)"/.exec(error.message)?.[1];
    if (!name) return { message: error.message, locations, extensions: { code: "INVALID_VARIABLE" } };
    const type = variableTypes.get(name) ?? "?";
    const at = /at "\w+((?:\.\w+|\[\d+\])*)"; (.*)$/s.exec(error.message);
    const problemPath = at?.[1]
      ? at[1]
          .split(/\.|\[|\]/)
          .filter(Boolean)
          .map((p) => (/^\d+$/.test(p) ? Number(p) : p))
      : [];
    const explanation =
      at?.[2] ??
      (/was not provided\.$/.test(error.message) || /must not be null\.$/.test(error.message)
        ? "Expected value to not be null"
        : error.message.replace(/^Variable "\$\w+" got invalid value [^;]*; /, ""));
    return {
      message: `Variable $${name} of type ${type} was provided invalid value${problemPath.length ? ` for ${problemPath.join(".")}` : ""}`,
      locations,
      extensions: {
        code: "INVALID_VARIABLE",
        value: inputs[name] ?? null,
        problems: [{ path: problemPath, explanation }],
      },
    };
  });
}
