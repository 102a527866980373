/**
 * What `shopify app deploy` would push, checked before it is pushed. A deploy releases the toml's
 * URLs, scopes and webhook subscriptions to every shop that has the app (the pinned Shopify CLI 4.x
 * always includes the configuration: it no longer supports `include_config_on_deploy` and removes
 * the field from the file), so a development toml deployed by mistake would point a live app at
 * localhost, a placeholder or a dead tunnel. `npm run deploy` (scripts/deploy.ts) refuses a
 * configuration for which this returns problems (docs/decisions/0030-deploy-configuration.md).
 */
import { parseToml, type TomlTable, type TomlValue } from "../app/shopify/flow/toml";

/** The client_id committed in shopify.app.toml: `shopify app config link` replaces it with a real one. */
export const PLACEHOLDER_CLIENT_ID = "amends-local-client-id";

/** Hosts that only mean something on a developer's machine, or that the CLI fills in while developing. */
const LOCAL_HOSTS = /^(localhost|127(?:\.\d+){3}|0\.0\.0\.0|\[::1\]|.+\.localhost)$/i;
const PLACEHOLDER_HOSTS = /^(example\.(com|org|net)|.+\.example\.(com|org|net))$/i;
/** `shopify app dev` tunnels: a deploy carrying one breaks as soon as the dev session ends. */
const TUNNEL_HOSTS = /\.(trycloudflare\.com|ngrok(-free)?\.(io|app|dev)|loca\.lt)$/i;

function urlProblem(label: string, raw: unknown): string | undefined {
  if (typeof raw !== "string" || raw === "") return `${label} is missing`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return `${label} is not a URL: ${raw}`;
  }
  if (url.protocol !== "https:") return `${label} must be https: ${raw}`;
  if (LOCAL_HOSTS.test(url.hostname)) return `${label} points at this machine (${url.hostname}): ${raw}`;
  if (PLACEHOLDER_HOSTS.test(url.hostname)) return `${label} is a placeholder (${url.hostname}): ${raw}`;
  if (TUNNEL_HOSTS.test(url.hostname)) return `${label} is a development tunnel (${url.hostname}): ${raw}`;
  return undefined;
}

function table(value: TomlValue | undefined): TomlTable | undefined {
  return value && typeof value === "object" && !Array.isArray(value) ? value : undefined;
}

/** Every reason the app configuration in `source` must not be deployed; empty when it may. */
export function deployConfigProblems(source: string): string[] {
  const config = parseToml(source);
  const problems: string[] = [];
  const clientId = config.client_id;
  if (typeof clientId !== "string" || clientId === "" || clientId === PLACEHOLDER_CLIENT_ID) {
    problems.push("client_id is not a real app's: run `shopify app config link` to create this file for your app");
  }
  const appUrl = urlProblem("application_url", config.application_url);
  if (appUrl) problems.push(appUrl);

  const redirects = table(config.auth)?.redirect_urls;
  if (!Array.isArray(redirects) || redirects.length === 0) problems.push("auth.redirect_urls is missing");
  else
    redirects.forEach((r, i) => {
      const problem = urlProblem(`auth.redirect_urls[${i}]`, r);
      if (problem) problems.push(problem);
    });

  // Relative webhook URIs are resolved against application_url; absolute ones are pushed as written.
  const subscriptions = table(config.webhooks)?.subscriptions;
  if (Array.isArray(subscriptions)) {
    subscriptions.forEach((s, i) => {
      const uri = table(s)?.uri;
      if (typeof uri === "string" && /^[a-z]+:\/\//i.test(uri)) {
        const problem = urlProblem(`webhooks.subscriptions[${i}].uri`, uri);
        if (problem) problems.push(problem);
      }
    });
  }
  if (table(config.build)?.include_config_on_deploy === false) {
    problems.push(
      "build.include_config_on_deploy is false, but Shopify CLI 4 no longer obeys it: the deploy would push this file's URLs, scopes and webhooks anyway. Remove the line",
    );
  }
  if (table(config.build)?.automatically_update_urls_on_dev === true) {
    problems.push(
      "build.automatically_update_urls_on_dev is true: `shopify app dev` would rewrite this app's URLs to a tunnel",
    );
  }
  return problems;
}
