/**
 * scripts/deploy.ts (`npm run deploy`): the Flow lifecycle callback's URL is absolute in what the
 * Shopify CLI deploys, built from the deployed config's application_url the way the CLI builds
 * relative URLs, the extension TOML stays valid and otherwise unchanged, and the repository's
 * relative URL is back afterwards. The end-to-end test runs the script as `npm run deploy` would,
 * in a copy of the app whose `shopify` executable only records what it was given (a deploy needs
 * a Partner account and the network).
 */
import { spawn, spawnSync } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, test } from "vitest";
import { parseToml, type TomlTable } from "../../app/shopify/flow/toml";
import {
  absoluteCallbackUrl,
  configFileName,
  deployAppUrl,
  DeployConfigError,
  LIFECYCLE_TOML,
  withAbsoluteLifecycleUrl,
} from "../../scripts/deploy";

const ROOT = join(import.meta.dirname, "../..");
const REPO_TOML = readFileSync(join(ROOT, LIFECYCLE_TOML), "utf8");
const extensionOf = (toml: string) => (parseToml(toml).extensions as TomlTable[])[0]!;

test("the rewritten lifecycle TOML is valid, has the absolute HTTPS URL of the route, and nothing else changed", () => {
  const rewritten = withAbsoluteLifecycleUrl(REPO_TOML, "https://amends.example.com");
  const before = extensionOf(REPO_TOML);
  const after = extensionOf(rewritten);
  expect(after.url).toBe("https://amends.example.com/flow/lifecycle");
  expect({ ...after, url: before.url }).toEqual(before);
  expect(Object.keys(parseToml(rewritten))).toEqual(Object.keys(parseToml(REPO_TOML)));
  // The CLI's rules for this URL: absolute HTTPS, no control characters.
  expect(new URL(after.url as string).protocol).toBe("https:");
  expect(after.url).not.toMatch(/[\r\n\t]/);
  // Comments and layout are kept: only the url line differs.
  const diff = REPO_TOML.split("\n").filter((line, i) => line !== rewritten.split("\n")[i]);
  expect(diff).toEqual(['url = "/flow/lifecycle"']);
});

test("a relative URL joins application_url as the CLI joins it (trailing slashes dropped, base path kept)", () => {
  expect(absoluteCallbackUrl("/flow/lifecycle", "https://amends.example.com/")).toBe(
    "https://amends.example.com/flow/lifecycle",
  );
  expect(absoluteCallbackUrl("/flow/lifecycle", "https://example.com/amends")).toBe(
    "https://example.com/amends/flow/lifecycle",
  );
  expect(absoluteCallbackUrl("https://hooks.example.com/lc", "https://amends.example.com")).toBe(
    "https://hooks.example.com/lc",
  );
  expect(() => absoluteCallbackUrl("//evil.example/lc", "https://amends.example.com")).toThrow(DeployConfigError);
  expect(() => absoluteCallbackUrl("http://amends.example.com/lc", "https://amends.example.com")).toThrow(
    DeployConfigError,
  );
});

test("the config named on the command line is the one read, as the CLI names it", () => {
  expect(configFileName([])).toBe("shopify.app.toml");
  expect(configFileName(["--config", "production"])).toBe("shopify.app.production.toml");
  expect(configFileName(["-c", "staging", "--force"])).toBe("shopify.app.staging.toml");
  expect(configFileName(["--config=shopify.app.production.toml"])).toBe("shopify.app.production.toml");
  expect(() => configFileName(["--config", "../x"])).toThrow(DeployConfigError);
});

test("application_url must be public HTTPS, and SHOPIFY_APP_URL, when set, the same", () => {
  const app = (url: string) => `client_id = "x"\napplication_url = "${url}"\n`;
  expect(deployAppUrl(app("https://amends.example.com/"))).toBe("https://amends.example.com");
  for (const bad of [
    "https://localhost:3000",
    "http://amends.example.com",
    "https://127.0.0.1:3000",
    "https://192.168.1.20",
    "https://amends.test",
    "https://[::1]:3000",
  ])
    expect(() => deployAppUrl(app(bad)), bad).toThrow(DeployConfigError);
  expect(() => deployAppUrl(`client_id = "x"\n`)).toThrow(/no application_url/);
  expect(deployAppUrl(app("https://amends.example.com"), { SHOPIFY_APP_URL: "https://amends.example.com/" })).toBe(
    "https://amends.example.com",
  );
  expect(() =>
    deployAppUrl(app("https://amends.example.com"), { SHOPIFY_APP_URL: "https://staging.example.com" }),
  ).toThrow(/SHOPIFY_APP_URL/);
});

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function appCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), "amends-deploy-"));
  dirs.push(dir);
  mkdirSync(join(dir, "extensions", "flow-trigger-lifecycle"), { recursive: true });
  copyFileSync(join(ROOT, LIFECYCLE_TOML), join(dir, LIFECYCLE_TOML));
  // A production config as `shopify app config link` leaves it, and a development one left pointing at localhost.
  const template = readFileSync(join(ROOT, "shopify.app.production.toml.example"), "utf8").replace(
    'client_id = "your-production-client-id"',
    'client_id = "3f1c0a9b2e7d4c58a6b1f0e2d3c4b5a6"',
  );
  writeFileSync(
    join(dir, "shopify.app.production.toml"),
    template.replaceAll("amends.your-domain.example", "amends.fly.dev"),
  );
  writeFileSync(
    join(dir, "shopify.app.toml"),
    template.replaceAll("https://amends.your-domain.example", "https://localhost:3000"),
  );
  mkdirSync(join(dir, "node_modules", ".bin"), { recursive: true });
  // Records its arguments and the lifecycle TOML as it was when the CLI ran.
  const cli = join(dir, "node_modules", ".bin", "shopify");
  writeFileSync(
    cli,
    `#!/bin/sh\nprintf '%s\\n' "$@" > "${dir}/cli-args"\ncp "${join(dir, LIFECYCLE_TOML)}" "${dir}/toml-seen-by-cli"\n[ -n "$FAKE_CLI_SLEEP" ] && exec sleep "$FAKE_CLI_SLEEP"\nexit "\${FAKE_CLI_EXIT:-0}"\n`,
  );
  chmodSync(cli, 0o755);
  return dir;
}

function runDeploy(dir: string, args: string[], env: Record<string, string> = {}) {
  const { SHOPIFY_APP_URL: _ignored, ...base } = process.env;
  return spawnSync(join(ROOT, "node_modules", ".bin", "tsx"), [join(ROOT, "scripts", "deploy.ts"), ...args], {
    cwd: dir,
    env: { ...base, ...env },
    encoding: "utf8",
  });
}

test("npm run deploy: the CLI deploys the named config with the absolute URL, and the relative one is back after", () => {
  const dir = appCopy();
  const result = runDeploy(dir, ["--config", "production", "--force"]);
  expect(result.stderr).toBe("");
  expect(result.status).toBe(0);
  expect(readFileSync(join(dir, "cli-args"), "utf8").trim().split("\n")).toEqual([
    "app",
    "deploy",
    "--config",
    "production",
    "--force",
  ]);
  expect(extensionOf(readFileSync(join(dir, "toml-seen-by-cli"), "utf8")).url).toBe(
    "https://amends.fly.dev/flow/lifecycle",
  );
  expect(readFileSync(join(dir, LIFECYCLE_TOML), "utf8")).toBe(REPO_TOML);
});

test("npm run deploy: a failed deploy still restores the TOML and reports the CLI's exit code", () => {
  const dir = appCopy();
  const result = runDeploy(dir, ["--config", "production"], { FAKE_CLI_EXIT: "3" });
  expect(result.status).toBe(3);
  expect(readFileSync(join(dir, LIFECYCLE_TOML), "utf8")).toBe(REPO_TOML);
});

test("npm run deploy without --config refuses a localhost shopify.app.toml before the CLI runs", () => {
  const dir = appCopy();
  const result = runDeploy(dir, []);
  expect(result.status).toBe(1);
  expect(result.stderr).toMatch(
    /shopify\.app\.toml must not be deployed:\n.*application_url points at this machine \(localhost\)/,
  );
  expect(() => readFileSync(join(dir, "cli-args"))).toThrow();
  expect(readFileSync(join(dir, LIFECYCLE_TOML), "utf8")).toBe(REPO_TOML);
});

test("npm run deploy stopped with SIGTERM mid-deploy stops the CLI and still restores the TOML", async () => {
  const dir = appCopy();
  const { SHOPIFY_APP_URL: _ignored, ...base } = process.env;
  const child = spawn(
    join(ROOT, "node_modules", ".bin", "tsx"),
    [join(ROOT, "scripts", "deploy.ts"), "--config", "production"],
    { cwd: dir, env: { ...base, FAKE_CLI_SLEEP: "20" }, stdio: "ignore" },
  );
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const started = Date.now();
  while (!existsSync(join(dir, "toml-seen-by-cli"))) {
    if (Date.now() - started > 15_000) throw new Error("the stand-in CLI never ran");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  expect(extensionOf(readFileSync(join(dir, LIFECYCLE_TOML), "utf8")).url).toBe(
    "https://amends.fly.dev/flow/lifecycle",
  );
  child.kill("SIGTERM");
  expect(await exited).not.toBe(0);
  expect(Date.now() - started).toBeLessThan(15_000);
  expect(readFileSync(join(dir, LIFECYCLE_TOML), "utf8")).toBe(REPO_TOML);
});
