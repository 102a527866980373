import { readdirSync, readFileSync } from "node:fs";
import { expect, test } from "vitest";
import { parseToml, type TomlTable } from "../../app/shopify/flow/toml";
import { deployConfigProblems, PLACEHOLDER_CLIENT_ID } from "../../scripts/deploy-config";

const production = readFileSync("shopify.app.production.toml.example", "utf8")
  .replace('client_id = "your-production-client-id"', 'client_id = "3f1c0a9b2e7d4c58a6b1f0e2d3c4b5a6"')
  .replaceAll("amends.your-domain.example", "amends.fly.dev");

test("a production configuration with a real client id and a public https address may be deployed", () => {
  expect(deployConfigProblems(production)).toEqual([]);
});

test("the committed development toml would push no localhost URL: the deploy check refuses it", () => {
  const committed = readFileSync("shopify.app.toml", "utf8");
  expect(committed).not.toMatch(/localhost|127\.0\.0\.1/);
  const config = parseToml(committed);
  // A plain `shopify app deploy` of it finds no app with this client id and pushes nothing; and it does
  // not claim that its configuration stays out of a deploy (Shopify CLI 4 always deploys it).
  expect(config.client_id).toBe(PLACEHOLDER_CLIENT_ID);
  expect(config.build).not.toHaveProperty("include_config_on_deploy");
  const problems = deployConfigProblems(committed);
  expect(problems).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/^client_id is not a real app's/),
      expect.stringMatching(/^application_url is a placeholder/),
      expect.stringMatching(/^auth\.redirect_urls\[0\] is a placeholder/),
      expect.stringMatching(/automatically_update_urls_on_dev is true/),
    ]),
  );
});

test.each([
  ["https://localhost:3000", /points at this machine/],
  ["https://127.0.0.1:3000", /points at this machine/],
  ["http://amends.fly.dev", /must be https/],
  ["https://quiet-fox-12.trycloudflare.com", /development tunnel/],
  ["https://example.com", /placeholder/],
  ["not a url", /not a URL/],
])("application_url %s is refused", (url, reason) => {
  const config = production.replace('application_url = "https://amends.fly.dev"', `application_url = "${url}"`);
  expect(deployConfigProblems(config)).toEqual([expect.stringMatching(reason)]);
});

test("an absolute webhook URI to this machine is refused; relative ones resolve against application_url", () => {
  const config = production.replace(
    'topics = ["refunds/create"]\nuri = "/webhooks"',
    'topics = ["refunds/create"]\nuri = "https://localhost:3000/webhooks"',
  );
  expect(deployConfigProblems(config)).toEqual([
    expect.stringMatching(/^webhooks\.subscriptions\[1\]\.uri points at this machine/),
  ]);
});

test("the production template asks for the same scopes and webhook subscriptions as shopify.app.toml", () => {
  const same = (t: TomlTable) => JSON.stringify({ scopes: t.access_scopes, webhooks: t.webhooks });
  const dev = parseToml(readFileSync("shopify.app.toml", "utf8"));
  expect(same(parseToml(production))).toBe(same(dev));
  // Every per-environment toml committed to the repository passes the same check.
  for (const file of readdirSync(".").filter((f) => /^shopify\.app\.[\w-]+\.toml$/.test(f))) {
    expect([file, deployConfigProblems(readFileSync(file, "utf8"))]).toEqual([file, []]);
  }
});

test("include_config_on_deploy = false is refused: Shopify CLI 4 ignores it and would push the configuration anyway", () => {
  expect(parseToml(production).build).not.toHaveProperty("include_config_on_deploy");
  const withField = (value: boolean) =>
    production.replace(
      "automatically_update_urls_on_dev = false",
      `automatically_update_urls_on_dev = false\ninclude_config_on_deploy = ${value}`,
    );
  expect(deployConfigProblems(withField(false))).toEqual([
    expect.stringMatching(/^build\.include_config_on_deploy is false, but Shopify CLI 4 no longer obeys it/),
  ]);
  // A freshly linked production file may carry `= true` (the CLI writes it, then removes it on deploy): it says the truth.
  expect(deployConfigProblems(withField(true))).toEqual([]);
});
