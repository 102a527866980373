/**
 * npm run deploy [-- --config <name>] [other `shopify app deploy` flags]
 *
 * Checks the chosen app configuration (default `production`, i.e. shopify.app.production.toml,
 * created by `shopify app config link`) with scripts/deploy-config.ts, then runs
 * `shopify app deploy --config <name>`. Refuses, with the reasons, a configuration whose URLs point
 * at this machine, a placeholder or a tunnel, or whose client_id is not a real app's.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { configFileName, deployConfigProblems } from "./deploy-config";

const args = process.argv.slice(2);
const at = args.indexOf("--config");
const name = at >= 0 ? args[at + 1] : "production";
if (at >= 0) args.splice(at, 2);
const file = configFileName(name);

if (!existsSync(file)) {
  console.error(
    `${file} does not exist. Create it for your production app with:\n  npx shopify app config link --config ${name ?? "production"}\n` +
      "then set application_url and auth.redirect_urls to the app's public https address (see README, Going live on a real store).",
  );
  process.exit(1);
}
const problems = deployConfigProblems(readFileSync(file, "utf8"));
if (problems.length > 0) {
  console.error(`${file} must not be deployed:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  process.exit(1);
}
const result = spawnSync("npx", ["shopify", "app", "deploy", "--config", file, ...args], { stdio: "inherit" });
process.exit(result.status ?? 1);
