/**
 * `npm run screenshots`: the README's screenshots, taken from a running demo (`npm run demo` in
 * another terminal, with its replayed history). Signs in through the demo sign-in and saves one PNG
 * per page into docs/screenshots/. Each entry names the page and, when only part of it is shown,
 * the card's heading: the shot is that card alone, so it stays readable in the README.
 *
 *   npm run screenshots                       # the demo at http://127.0.0.1:3000
 *   npm run screenshots -- --url=http://127.0.0.1:4000
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { chromium, type Page } from "playwright-core";
import { chromiumLaunchOptions } from "../tests/helpers/chromium";

interface Shot {
  file: string;
  path: string;
  /** The heading of the one card to capture; the whole page when absent. */
  card?: string;
  /** After the page loads: go on to the page the shot is of (the first incident, say). */
  then?: (page: Page) => Promise<void>;
}

const SHOTS: Shot[] = [
  { file: "home.png", path: "/app", card: "Needs attention" },
  { file: "dashboard.png", path: "/app" },
  { file: "experiment-result.png", path: "/app", card: "Which make-good works?" },
  { file: "csat.png", path: "/app", card: "Satisfaction after recovery" },
  { file: "root-causes.png", path: "/app", card: "Top root causes" },
  { file: "approvals.png", path: "/app/approvals" },
  { file: "incidents.png", path: "/app/incidents" },
  {
    file: "incident.png",
    path: "/app/incidents",
    // The newest incident with a make-good that went out: its page shows the checklist and the actions.
    then: async (page) => {
      await page.locator("tbody tr a[href*='/app/incidents/']").first().click();
      await page.waitForURL(/\/app\/incidents\/[0-9a-f-]{36}/, { timeout: 60_000 });
      await page.getByRole("heading", { name: "Why Amends decided this" }).waitFor({ timeout: 60_000 });
    },
  },
  { file: "approval-rules.png", path: "/app/grid", card: "Approval rules" },
  { file: "settings.png", path: "/app/settings" },
];

const OUT = path.resolve("docs/screenshots");

function demoUrl(): string {
  const flag = process.argv.find((arg) => arg.startsWith("--url="));
  return (flag ? flag.slice("--url=".length) : "http://127.0.0.1:3000").replace(/\/$/, "");
}

/** The smallest element holding the card's heading and its content: Polaris's card wrapper. */
async function cardWithHeading(page: Page, heading: string) {
  const title = page.getByRole("heading", { name: heading, exact: true }).first();
  await title.waitFor({ timeout: 30_000 });
  return title.locator("xpath=ancestor::div[contains(@class,'Polaris-ShadowBevel')][1]");
}

async function main(): Promise<void> {
  const base = demoUrl();
  mkdirSync(OUT, { recursive: true });
  const { options } = await chromiumLaunchOptions();
  const browser = await chromium.launch(options);
  try {
    const version = browser.version();
    const context = await browser.newContext({
      // The Shopify library answers 410 to "HeadlessChrome": present as desktop Chrome, as the browser tests do.
      userAgent: `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${version} Safari/537.36`,
      viewport: { width: 1280, height: 900 },
    });
    const origin = new URL(base).origin;
    await context.route(
      (url) => url.origin !== origin && url.protocol !== "data:",
      (route) => route.abort("blockedbyclient"),
    );
    const page = await context.newPage();
    await page.goto(`${base}/demo/sign-in`, { waitUntil: "networkidle", timeout: 120_000 });
    for (const shot of SHOTS) {
      await page.goto(`${base}${shot.path}`, { waitUntil: "networkidle", timeout: 120_000 });
      if (shot.then) {
        await shot.then(page);
        await page.waitForLoadState("networkidle");
      }
      const file = path.join(OUT, shot.file);
      if (shot.card) await (await cardWithHeading(page, shot.card)).screenshot({ path: file });
      else await page.screenshot({ path: file, fullPage: true });
      console.log(`saved ${path.relative(process.cwd(), file)}`);
    }
  } finally {
    await browser.close();
  }
}

await main();
