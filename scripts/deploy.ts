/**
 * `npm run deploy -- --config production [other flags of shopify app deploy]`: deploys with the
 * Flow trigger lifecycle callback's URL made absolute from the deployed config's application_url,
 * then puts the repository's relative URL back (decision 0301).
 *
 * Why: the Shopify CLI pinned here (4.8.2) has no local specification for the
 * flow_trigger_lifecycle_callback extension, so it sends `url = "/flow/lifecycle"` to Shopify
 * unresolved (it resolves relative URLs itself only for webhooks, app proxy, events and Flow
 * actions). Shopify's changelog says newer CLIs resolve it against application_url; an absolute
 * HTTPS URL is accepted by every version, so this works before and after a CLI upgrade.
 *
 * The URL is `${application_url}${path}`, the CLI's own rule for relative URLs. The config must be
 * the one being deployed: `--config <name>` (shopify.app.<name>.toml) is passed on to the CLI, and
 * without it shopify.app.toml is named explicitly, so the CLI and this script never read different
 * files. A localhost, plain-HTTP or private application_url is refused (a deploy would push it),
 * and SHOPIFY_APP_URL, when set, must be the same URL. `--print` writes the rewritten extension
 * TOML to stdout and deploys nothing.
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parseToml, type TomlTable } from "../app/shopify/flow/toml";
import { deployConfigProblems } from "./deploy-config";

export const LIFECYCLE_TOML = join("extensions", "flow-trigger-lifecycle", "shopify.extension.toml");
const LIFECYCLE_TYPE = "flow_trigger_lifecycle_callback";

export class DeployConfigError extends Error {}

/** The app config file `shopify app deploy` will read for these arguments (CLI naming rules). */
export function configFileName(args: readonly string[]): string {
  let name: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--config" || arg === "-c") name = args[i + 1];
    else if (arg.startsWith("--config=")) name = arg.slice("--config=".length);
  }
  if (name === undefined) return "shopify.app.toml";
  if (name === "") throw new DeployConfigError("--config needs a name, such as --config production");
  if (/^shopify\.app(\.[\w-]+)?\.toml$/.test(name)) return name;
  if (!/^[\w-]+$/.test(name)) throw new DeployConfigError(`not a config name: ${name}`);
  return `shopify.app.${name}.toml`;
}

/** Hosts Shopify cannot reach, or that only ever name a developer's machine. */
function isPrivateHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host.includes(":")) return host === "::1" || host === "::" || /^(fc|fd|fe80)/.test(host);
  if (host === "localhost" || /\.(localhost|local|test|internal)$/.test(host)) return true;
  const ipv4 = /^(\d+)\.(\d+)\.\d+\.\d+$/.exec(host);
  if (!ipv4) return false;
  const [a, b] = [Number(ipv4[1]), Number(ipv4[2])];
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168)
  );
}

/** The deployed config's application_url, checked: public HTTPS, and the same as SHOPIFY_APP_URL when that is set. */
export function deployAppUrl(appToml: string, env: { SHOPIFY_APP_URL?: string } = {}): string {
  const value = parseToml(appToml).application_url;
  if (typeof value !== "string" || value === "") throw new DeployConfigError("the app config has no application_url");
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new DeployConfigError(`application_url is not a URL: ${value}`);
  }
  if (url.protocol !== "https:") throw new DeployConfigError(`application_url must be HTTPS: ${value}`);
  if (isPrivateHost(url.hostname))
    throw new DeployConfigError(`application_url ${value} is not reachable by Shopify; deploy a production config`);
  if (url.search || url.hash) throw new DeployConfigError(`application_url has a query or fragment: ${value}`);
  const base = value.replace(/\/+$/, "");
  const fromEnv = env.SHOPIFY_APP_URL?.replace(/\/+$/, "");
  if (fromEnv && fromEnv !== base)
    throw new DeployConfigError(`SHOPIFY_APP_URL (${fromEnv}) is not the deployed config's application_url (${base})`);
  return base;
}

/** The URL the CLI would build from a relative one: application_url without trailing slashes, then the path. */
export function absoluteCallbackUrl(url: string, appUrl: string): string {
  if (url.startsWith("//")) throw new DeployConfigError(`protocol-relative URLs are not supported: ${url}`);
  if (!url.startsWith("/")) {
    if (!/^https:\/\//.test(url)) throw new DeployConfigError(`the lifecycle callback URL must be HTTPS: ${url}`);
    return url;
  }
  return `${appUrl.replace(/\/+$/, "")}${url}`;
}

function lifecycleExtension(toml: string): TomlTable {
  const extensions = (parseToml(toml).extensions ?? []) as TomlTable[];
  const found = extensions.filter((extension) => extension.type === LIFECYCLE_TYPE);
  if (found.length !== 1 || extensions.length !== 1)
    throw new DeployConfigError(`expected exactly one ${LIFECYCLE_TYPE} extension in ${LIFECYCLE_TOML}`);
  if (typeof found[0]!.url !== "string") throw new DeployConfigError(`the ${LIFECYCLE_TYPE} extension has no url`);
  return found[0]!;
}

/** The lifecycle extension TOML with its url absolute; every other line as it was. */
export function withAbsoluteLifecycleUrl(toml: string, appUrl: string): string {
  const url = lifecycleExtension(toml).url as string;
  const absolute = absoluteCallbackUrl(url, appUrl);
  const lines = toml.split("\n");
  const urlLines = lines.flatMap((line, i) => (/^\s*url\s*=/.test(line) ? [i] : []));
  if (urlLines.length !== 1) throw new DeployConfigError(`expected one url line in ${LIFECYCLE_TOML}`);
  lines[urlLines[0]!] = `url = ${JSON.stringify(absolute)}`;
  const rewritten = lines.join("\n");
  // The rewrite changed the url and nothing else.
  const before = lifecycleExtension(toml);
  const after = lifecycleExtension(rewritten);
  if (after.url !== absolute || JSON.stringify({ ...after, url }) !== JSON.stringify(before))
    throw new DeployConfigError("rewriting the lifecycle callback URL changed more than the url");
  return rewritten;
}

async function main(args: string[]): Promise<number> {
  const root = process.cwd();
  const print = args.includes("--print");
  const cliArgs = args.filter((arg) => arg !== "--print");
  const configFile = configFileName(cliArgs);
  if (!existsSync(join(root, configFile))) {
    throw new DeployConfigError(
      `${configFile} does not exist: create it with \`npx shopify app config link --config <name>\` (README, Going live on a real store)`,
    );
  }
  // The whole config, not only the callback's base: a deploy pushes its URLs, scopes and webhooks to every shop.
  const problems = deployConfigProblems(readFileSync(join(root, configFile), "utf8"));
  if (problems.length > 0) {
    throw new DeployConfigError(`${configFile} must not be deployed:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
  const appUrl = deployAppUrl(readFileSync(join(root, configFile), "utf8"), {
    SHOPIFY_APP_URL: process.env.SHOPIFY_APP_URL,
  });
  const tomlPath = join(root, LIFECYCLE_TOML);
  const original = readFileSync(tomlPath, "utf8");
  const rewritten = withAbsoluteLifecycleUrl(original, appUrl);
  if (print) {
    process.stdout.write(rewritten);
    return 0;
  }
  const namesConfig = cliArgs.some((a) => a === "--config" || a === "-c" || a.startsWith("--config="));
  const deployArgs = ["app", "deploy", ...(namesConfig ? [] : ["--config", configFile]), ...cliArgs];
  console.log(
    `Flow lifecycle callback for this deploy: ${absoluteCallbackUrl(lifecycleExtension(original).url as string, appUrl)}`,
  );
  writeFileSync(tomlPath, rewritten);
  // The CLI shares the terminal, so Ctrl-C reaches it directly; a SIGTERM sent to this process is
  // passed on. Either way this process waits for the CLI and then restores the file.
  const ignore = () => undefined;
  let forward = ignore;
  const terminate = () => forward();
  process.on("SIGINT", ignore);
  process.on("SIGTERM", terminate);
  try {
    return await new Promise<number>((resolve, reject) => {
      const child = spawn(join(root, "node_modules", ".bin", "shopify"), deployArgs, { stdio: "inherit" });
      forward = () => void child.kill("SIGTERM");
      child.on("error", reject);
      child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    });
  } finally {
    writeFileSync(tomlPath, original);
    process.off("SIGINT", ignore);
    process.off("SIGTERM", terminate);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof DeployConfigError ? `deploy: ${error.message}` : error);
      process.exit(1);
    },
  );
}
