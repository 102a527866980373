/**
 * The access scopes shopify.app.toml asks for: what a merchant grants on install, so what the
 * sandbox grants by default (tests mean something only when the sandbox refuses what Shopify would).
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const TOML = fileURLToPath(new URL("../../shopify.app.toml", import.meta.url));

export function appTomlScopes(): string {
  const section = /\[access_scopes\]([\s\S]*?)(?:\n\[|$)/.exec(readFileSync(TOML, "utf8"))?.[1] ?? "";
  const scopes = /^\s*scopes\s*=\s*"([^"]*)"/m.exec(section)?.[1];
  if (!scopes) throw new Error("shopify.app.toml has no [access_scopes] scopes line");
  return scopes;
}
