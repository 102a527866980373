/**
 * Browser tests: the demo (scripts/start-demo.ts) on a free port with this test
 * file's database, Chromium driven by playwright-core, signed in through the
 * demo sign-in. Call setUpBrowserHarness() once at the top of a test file.
 *
 * The browser talks to the app over real HTTP; the app's Shopify calls go to
 * the sandbox store through the test file's msw server, as in the demo.
 * Chromium is CHROMIUM_PATH, else a system Chromium, else the one inside the
 * npm package @sparticuz/chromium (tests/helpers/chromium.ts): a fresh machine
 * needs nothing beyond `npm install`. The tests fail, never skip, without one.
 */
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { http, passthrough } from "msw";
import { chromium, type Browser, type BrowserContext, type Page, type Response } from "playwright-core";
import { afterAll, beforeAll, vi } from "vitest";
import type { AxeResults } from "axe-core";
import { freePort, startDemo, type DemoOptions, type RunningDemo } from "../../scripts/start-demo";
import { chromiumLaunchOptions } from "../helpers/chromium";
import { mswServer } from "../helpers/msw";

export const ARTIFACTS_DIR = path.resolve("tests/browser/artifacts");

// Vite's dev middleware transforms the app's modules on the first request: the first page load and the
// start-up (seed, server, browser) take far longer than a unit test. For browser test files only.
vi.setConfig({ testTimeout: 90_000, hookTimeout: 180_000 });
const NAVIGATION_TIMEOUT_MS = 60_000;

export interface BrowserHarness {
  readonly demo: RunningDemo;
  readonly page: Page;
  /** Open a path of the app (or the demo's /demo pages); fails on an error status. */
  gotoApp(pathname: string): Promise<Response>;
  /** Sign in as the shop's first staff member (the account owner) through the demo sign-in; lands on /app. */
  signIn(): Promise<void>;
  /** A full-page PNG in tests/browser/artifacts/; returns its path. */
  screenshot(name: string): Promise<string>;
  /** Uncaught exceptions and console errors in the page since the browser started. */
  readonly browserErrors: string[];
}

export interface BrowserHarnessOptions {
  /** Size of the seeded sandbox store; smaller than the demo's by default, to start faster. */
  seed?: DemoOptions["seed"];
}

/** Start the demo, the browser and a page before the file's tests, and stop them all after. */
export function setUpBrowserHarness(options: BrowserHarnessOptions = {}): BrowserHarness {
  let demo: RunningDemo | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let page: Page | undefined;
  const browserErrors: string[] = [];

  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined)
      throw new Error(
        `the browser harness has not started (${what}); call setUpBrowserHarness() at the top level of the file`,
      );
    return value;
  };

  beforeAll(async () => {
    const began = Date.now();
    // As `npm run demo` runs: in development mode (Vite keys its optimised-dependency cache on NODE_ENV, so
    // the demo and these tests share node_modules/.vite rather than rebuilding it for each other), its worker
    // in the web process, the app URL from its port, the scopes of shopify.app.toml. The Vite dev server's
    // HMR socket gets a free port too, so a running demo does not clash.
    process.env.NODE_ENV = "development";
    process.env.WORKER_IN_WEB = "true";
    delete process.env.SHOPIFY_APP_URL;
    delete process.env.SCOPES;
    process.env.HMR_PORT = String(await freePort());
    demo = await startDemo({
      port: 0,
      seed: options.seed ?? { customers: 60, orders: 200, weeks: 4 },
      interceptRequests: (handlers, appUrl) => {
        // The demo's handlers become this file's baseline, so the setup file's resetHandlers() after each
        // test keeps them: the app's worker calls the sandbox between tests too. Requests to the app itself
        // (webhook deliveries, the install) go over real HTTP.
        mswServer.resetHandlers(
          http.all(`${appUrl}/*`, () => passthrough()),
          ...handlers,
        );
      },
    });

    // launch() starts Chromium with a fresh temporary profile (user-data dir) each time.
    const { options: launchOptions, source } = await chromiumLaunchOptions();
    const launched = await chromium.launch(launchOptions);
    browser = launched;
    const version = launched.version();
    const appOrigin = new URL(demo.url).origin;
    const newContext = async () => {
      const created = await launched.newContext({
        // The Shopify library answers 410 to bots, "HeadlessChrome" among them: present as desktop Chrome.
        userAgent: `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${version} Safari/537.36`,
        viewport: { width: 1280, height: 900 },
      });
      // No network here: refuse anything that is not the app (Shopify's CDN fonts) at once instead of waiting on DNS.
      await created.route(
        (url) => url.origin !== appOrigin && url.protocol !== "data:",
        (route) => route.abort("blockedbyclient"),
      );
      return created;
    };

    // Warm-up in a throw-away context: the first load makes Vite transform the app's modules and may make it
    // optimise newly found dependencies and reload the page. Let that happen here rather than inside a test.
    const warmUp = await newContext();
    const warmUpPage = await warmUp.newPage();
    await warmUpPage.goto(demo.signInUrl, { timeout: NAVIGATION_TIMEOUT_MS, waitUntil: "networkidle" });
    await warmUp.close();

    context = await newContext();
    page = await context.newPage();
    page.setDefaultNavigationTimeout(NAVIGATION_TIMEOUT_MS);
    page.on("pageerror", (error) => browserErrors.push(`uncaught: ${error.message}`));
    page.on("console", (message) => {
      if (message.type() !== "error") return;
      // Blocked external resources (fonts on Shopify's CDN) are expected offline.
      if (message.text().includes("net::ERR_BLOCKED_BY_CLIENT")) return;
      browserErrors.push(`console: ${message.text()}`);
    });
    console.warn(
      `browser harness: demo, Chromium ${version} (${source}) and a warm page ready in ${Date.now() - began} ms`,
    );
  });

  afterAll(async () => {
    // Browser first (no more requests), then the app: server, worker, database connections.
    await context?.close().catch(() => {});
    await browser?.close();
    await demo?.close();
  });

  const harness: BrowserHarness = {
    get demo() {
      return started(demo, "demo");
    },
    get page() {
      return started(page, "page");
    },
    browserErrors,
    async gotoApp(pathname) {
      const response = await harness.page.goto(new URL(pathname, harness.demo.url).toString(), { waitUntil: "load" });
      if (!response) throw new Error(`no response for ${pathname}`);
      if (response.status() >= 400)
        throw new Error(`${pathname} answered ${response.status()}: ${(await response.text()).slice(0, 500)}`);
      return response;
    },
    async signIn() {
      await harness.gotoApp(harness.demo.signInUrl);
      const landed = new URL(harness.page.url());
      if (landed.pathname !== "/app") throw new Error(`signing in landed on ${landed.pathname}, not /app`);
    },
    async screenshot(name) {
      mkdirSync(ARTIFACTS_DIR, { recursive: true });
      const file = path.join(ARTIFACTS_DIR, `${name}.png`);
      await harness.page.screenshot({ path: file, fullPage: true });
      return file;
    },
  };
  return harness;
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** Run axe-core in the page; fail on any violation of impact serious or critical, naming rule, help and elements. */
export async function expectNoSeriousA11yViolations(page: Page): Promise<void> {
  // Colours are read as painted: a dialog or toast still fading in has text at part opacity, which
  // axe reports as low contrast. Wait for finite animations and transitions (not spinners) to end.
  await page.waitForFunction(
    () =>
      document
        .getAnimations()
        .every((a) => a.playState !== "running" || a.effect?.getComputedTiming().endTime === Infinity),
    undefined,
    { timeout: 10_000 },
  );
  await page.addScriptTag({ content: axeSource });
  const results = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document): Promise<AxeResults> } }).axe;
    const { violations } = await axe.run(document);
    // Only what the report needs crosses back (DOM nodes cannot).
    return violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? null,
      help: v.help,
      helpUrl: v.helpUrl,
      targets: v.nodes.map((n) => n.target.join(" ")),
    }));
  });
  const serious = results.filter((v) => v.impact === "serious" || v.impact === "critical");
  if (serious.length > 0) {
    const report = serious
      .map(
        (v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.helpUrl}\n${v.targets.map((t) => `    - ${t}`).join("\n")}`,
      )
      .join("\n");
    throw new Error(
      `axe found ${serious.length} serious or critical accessibility violation(s) on ${page.url()}:\n${report}`,
    );
  }
}
