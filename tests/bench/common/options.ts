/**
 * One option parser for the benches: each bench describes its options once, in a table of rows
 * (flag, value name, help, how to apply the value), and gets a typed parse with clear errors and a
 * --help generated from the same table. Options are `--flag` (a switch) or `--flag=value`.
 */

export interface OptionRow<T> {
  /** e.g. "--shops" or "--no-build". */
  flag: string;
  /** What the value is, e.g. "N" or "ms"; absent for a switch, which refuses a value. */
  value?: string;
  /** A switch that may also take a value (e.g. --cpu-prof[=DIR]). */
  optionalValue?: boolean;
  help: string;
  /** Shown as the default in --help (read from the defaults when a key is given). */
  shows?: keyof T;
  apply(options: T, value: string): void;
}

export interface OptionTable<T> {
  /** e.g. "npm run bench:loop --". */
  command: string;
  defaults: () => T;
  rows: Array<OptionRow<T>>;
  /** Checks and derived values once every argument was applied. */
  finish?: (options: T, given: ReadonlySet<string>) => void;
}

export class OptionError extends Error {}

/** An integer of at least `min`. */
export function integer(flag: string, value: string, min: number): number {
  const n = Number(value);
  if (value === "" || !Number.isInteger(n) || n < min)
    throw new OptionError(`${flag} must be an integer >= ${min}, got "${value}"`);
  return n;
}

/** A finite number above 0. */
export function positive(flag: string, value: string): number {
  const n = Number(value);
  if (value === "" || !Number.isFinite(n) || n <= 0)
    throw new OptionError(`${flag} must be a positive number, got "${value}"`);
  return n;
}

export function helpText<T>(table: OptionTable<T>): string {
  const defaults = table.defaults();
  const lines = table.rows.map((row) => {
    const usage = row.value
      ? row.optionalValue
        ? `${row.flag}[=${row.value}]`
        : `${row.flag}=${row.value}`
      : row.flag;
    const shown = row.shows === undefined ? undefined : defaults[row.shows];
    const fallback =
      shown === undefined || typeof shown === "boolean"
        ? ""
        : ` (default ${Array.isArray(shown) ? shown.map((v) => (typeof v === "object" ? JSON.stringify(v) : String(v))).join(",") : String(shown)})`;
    return { usage, text: `${row.help}${fallback}` };
  });
  const width = Math.max(...lines.map((l) => l.usage.length));
  return [
    `${table.command} [options]`,
    ...lines.map((l) => `  ${l.usage.padEnd(width)}  ${l.text}`),
    `  ${"--help".padEnd(width)}  this text`,
  ].join("\n");
}

/** Parse `argv` against the table; throws an OptionError on a bad argument. `--help` gives { help }. */
export function parseArgs<T>(table: OptionTable<T>, argv: readonly string[]): { options: T } | { help: string } {
  const options = table.defaults();
  const given = new Set<string>();
  for (const arg of argv) {
    const eq = arg.indexOf("=");
    const flag = eq < 0 ? arg : arg.slice(0, eq);
    const value = eq < 0 ? undefined : arg.slice(eq + 1);
    if (flag === "--help") return { help: helpText(table) };
    const row = table.rows.find((r) => r.flag === flag);
    if (!row) throw new OptionError(`unknown option ${arg} (try --help)`);
    if (!row.value && value !== undefined) throw new OptionError(`${flag} takes no value, got "${arg}"`);
    if (row.value && !row.optionalValue && value === undefined)
      throw new OptionError(`${flag} needs a value: ${flag}=${row.value}`);
    row.apply(options, value ?? "");
    given.add(flag);
  }
  table.finish?.(options, given);
  return { options };
}

/** For a bench's entry point: --help prints and exits 0, a bad argument prints its error and exits 2. */
export function parseOptionsOrExit<T>(table: OptionTable<T>, argv: readonly string[] = process.argv.slice(2)): T {
  try {
    const parsed = parseArgs(table, argv);
    if ("help" in parsed) {
      console.log(parsed.help);
      process.exit(0);
    }
    return parsed.options;
  } catch (error) {
    if (!(error instanceof OptionError)) throw error;
    console.error(error.message);
    process.exit(2);
  }
}

type NumberKeys<T> = { [K in keyof T]-?: T[K] extends number ? K : never }[keyof T];

/** Rows for integer options of T: `int("--shops", "shops", 1, "sandbox shops")` (value name "N" unless given). */
export function integerRows<T>() {
  return <K extends NumberKeys<T>>(flag: string, key: K, min: number, help: string, value = "N"): OptionRow<T> => ({
    flag,
    value,
    help,
    shows: key,
    apply: (o, v) => {
      o[key] = integer(flag, v, min) as T[K];
    },
  });
}
