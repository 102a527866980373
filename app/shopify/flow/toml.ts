/**
 * A small TOML reader for the subset our shopify.extension.toml files use: comments, `key = value`
 * with strings ("..." with \" \\ \n \t escapes, '...'), integers, decimals, booleans and flat
 * arrays of those, `[table]`, `[a.b]` and arrays of tables `[[a.b]]`. Anything else is an error
 * naming the line, so a TOML feature we start using fails the tests instead of being misread.
 * No dependency: it only serves tests that compare extension TOMLs with app/shopify/flow/triggers.ts.
 */

export type TomlValue = string | number | boolean | TomlValue[] | TomlTable;
export interface TomlTable {
  [key: string]: TomlValue;
}

export class TomlError extends Error {}

const BARE_KEY = /^[A-Za-z0-9_-]+$/;

function parseKey(raw: string, line: number): string[] {
  return raw.split(".").map((part) => {
    const p = part.trim();
    if (/^"[^"]*"$/.test(p)) return p.slice(1, -1);
    if (!BARE_KEY.test(p)) throw new TomlError(`line ${line}: unsupported key "${raw}"`);
    return p;
  });
}

/** Parse one value starting at text[i]; returns it and the index after it. */
function parseValue(text: string, i: number, line: number): [TomlValue, number] {
  const c = text[i];
  if (c === '"') {
    let out = "";
    for (let j = i + 1; j < text.length; j++) {
      const ch = text[j]!;
      if (ch === '"') return [out, j + 1];
      if (ch === "\\") {
        const next = text[++j];
        const escapes: Record<string, string> = { '"': '"', "\\": "\\", n: "\n", t: "\t", r: "\r" };
        if (next === undefined || escapes[next] === undefined)
          throw new TomlError(`line ${line}: unsupported escape \\${next ?? ""}`);
        out += escapes[next];
      } else out += ch;
    }
    throw new TomlError(`line ${line}: unterminated string`);
  }
  if (c === "'") {
    const end = text.indexOf("'", i + 1);
    if (end < 0) throw new TomlError(`line ${line}: unterminated string`);
    return [text.slice(i + 1, end), end + 1];
  }
  if (c === "[") {
    const items: TomlValue[] = [];
    let j = i + 1;
    for (;;) {
      while (/\s|,/.test(text[j] ?? "")) j++;
      if (text[j] === "]") return [items, j + 1];
      if (j >= text.length) throw new TomlError(`line ${line}: unterminated array`);
      const [item, next] = parseValue(text, j, line);
      items.push(item);
      j = next;
    }
  }
  const match = /^(true|false|[+-]?\d+(?:\.\d+)?)/.exec(text.slice(i));
  if (!match) throw new TomlError(`line ${line}: unsupported value "${text.slice(i, i + 20)}"`);
  const token = match[1]!;
  const value = token === "true" ? true : token === "false" ? false : Number(token);
  return [value, i + token.length];
}

function stripComment(rest: string, line: number): void {
  const trimmed = rest.trim();
  if (trimmed !== "" && !trimmed.startsWith("#")) throw new TomlError(`line ${line}: unexpected "${trimmed}"`);
}

function descend(root: TomlTable, path: string[], line: number): TomlTable {
  let table = root;
  for (const part of path) {
    const existing = table[part];
    if (existing === undefined) table = table[part] = {};
    else if (Array.isArray(existing)) {
      const last = existing[existing.length - 1];
      if (typeof last !== "object" || last === null || Array.isArray(last))
        throw new TomlError(`line ${line}: ${part} is not a table`);
      table = last;
    } else if (typeof existing === "object") table = existing;
    else throw new TomlError(`line ${line}: ${part} is not a table`);
  }
  return table;
}

export function parseToml(source: string): TomlTable {
  const root: TomlTable = {};
  let current = root;
  const lines = source.split(/\r?\n/);
  for (let n = 0; n < lines.length; n++) {
    const line = n + 1;
    const raw = lines[n]!.trim();
    if (raw === "" || raw.startsWith("#")) continue;
    const arrayTable = /^\[\[([^\]]+)\]\](.*)$/.exec(raw);
    const table = arrayTable ? null : /^\[([^\]]+)\](.*)$/.exec(raw);
    if (arrayTable) {
      stripComment(arrayTable[2]!, line);
      const path = parseKey(arrayTable[1]!, line);
      const parent = descend(root, path.slice(0, -1), line);
      const name = path[path.length - 1]!;
      const list = parent[name] ?? (parent[name] = []);
      if (!Array.isArray(list)) throw new TomlError(`line ${line}: ${name} is not an array of tables`);
      const entry: TomlTable = {};
      list.push(entry);
      current = entry;
      continue;
    }
    if (table) {
      stripComment(table[2]!, line);
      current = descend(root, parseKey(table[1]!, line), line);
      continue;
    }
    const eq = raw.indexOf("=");
    if (eq < 0) throw new TomlError(`line ${line}: expected key = value`);
    const path = parseKey(raw.slice(0, eq), line);
    let start = eq + 1;
    while (raw[start] === " " || raw[start] === "\t") start++;
    // Arrays may span lines: join the following lines until the value parses.
    let text = raw;
    let consumed = n;
    for (;;) {
      try {
        const [value, end] = parseValue(text, start, line);
        stripComment(text.slice(end), line);
        const target = descend(current, path.slice(0, -1), line);
        const key = path[path.length - 1]!;
        if (key in target) throw new TomlError(`line ${line}: duplicate key ${key}`);
        target[key] = value;
        break;
      } catch (error) {
        if (!(error instanceof TomlError) || !/unterminated array/.test(error.message) || consumed + 1 >= lines.length)
          throw error;
        consumed += 1;
        text += "\n" + lines[consumed]!.replace(/#.*$/, "");
      }
    }
    n = consumed;
  }
  return root;
}
