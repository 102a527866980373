/**
 * Page performance benchmark: `npm run bench:pages [-- options]`.
 *
 * Measures the app's pages in two modes, each in its own child process with its own embedded
 * PostgreSQL in a fresh temporary folder (no worker), and reports them side by side:
 *   - development: started the way the demo does (scripts/start-demo.ts: Vite middleware, unbundled
 *     client modules, the demo sign-in; pages render outside the admin, `isEmbeddedApp={false}`);
 *   - production: the production build (`remix vite:build`, then server.ts with NODE_ENV=production),
 *     no demo mode, reached the way the Shopify admin reaches it (tests/bench/pages/embedded-app.ts):
 *     the document with `embedded=1&shop&host&id_token` in its URL, data requests with a session
 *     token in `Authorization` (HS256 with the app secret, as App Bridge sends), through the real
 *     authenticate.admin. App Bridge itself comes from Shopify's CDN, which cannot be reached here:
 *     the bench serves a stand-in (tests/bench/pages/app-bridge-stand-in.ts) so the embedded pages
 *     hydrate; its load and the admin frame around the app are not in the figures.
 * Each seeds the demo shop directly in SQL with 100,000 orders, 10,000 incidents over a year with
 * their offers, events and grid versions (and other shops' rows, so every query has to be
 * shop-scoped). Chromium (playwright-core), for each page of NAV_LINKS, over N fresh page loads measures:
 *   - LCP: the last 'largest-contentful-paint' entry before any input;
 *   - CLS: the sum of 'layout-shift' values without recent input, up to and after the interaction;
 *   - INP: a real click on a control of the page (the first button of the page body), the longest
 *     'event' entry (durationThreshold 16 ms; below 16 ms nothing is reported and it shows as <16);
 * and the server time of the page's data request (`<path>.data`, Remix single fetch: every loader
 * of the page, authentication included) fetched from the page with its session, over M calls.
 * Pages that answer 404 are skipped and listed. Results: tests/bench/results/pages-latest.json.
 *
 * Options: --mode=dev|production|both (default both), --loads=5, --calls=30, --orders=100000,
 * --incidents=10000, --no-build (production: use the existing build/), --pages=/app/grid,... (only those).
 */
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromiumLaunchOptions } from "../helpers/chromium";
import { seedBenchShop } from "./pages/seed";
import { OBSERVERS, attribute, inpOf, type Attribution, type Vitals } from "./pages/vitals";
import { distribution, gitCommit, machine, round, table, type Distribution } from "./loop/report";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const RESULTS_FILE = path.join(ROOT, "tests/bench/results/pages-latest.json");
/**
 * Where the first enabled button is not the control a merchant uses first (the dashboard's is the
 * export), or the page has no button: a settings section is a form, so its interaction is a click into
 * its first field and one key typed there (a key press is an interaction; the hover before a click is not).
 */
const INTERACTIONS: Record<string, { selector: string; type?: string }> = {
  "/app": { selector: 'button[aria-label^="Date range"]' },
  "/app/settings/detection": {
    selector: '.Polaris-Page input[type="number"]:visible, .Polaris-Page input[type="text"]:visible',
    type: "1",
  },
};
const FIRST_BUTTON = '.Polaris-Page button:visible:not([disabled]):not([aria-disabled="true"])';
const TARGETS = { lcpMs: 2_500, cls: 0.1, inpMs: 200, loaderP95Ms: 300 };
/** The page binding the App Bridge stand-in asks for session tokens (production mode). */
const TOKEN_BINDING = "__amendsBenchIdToken";

type Mode = "development" | "production";

interface Options {
  loads: number;
  calls: number;
  build: boolean;
  modes: Mode[];
  orders: number;
  incidents: number;
  /** Only these page paths (--pages=/app/grid,/app/settings); all of the navigation by default. */
  pages?: string[];
  /** Set by the parent on a child: measure `modes[0]` and write the result to this file. */
  childResult?: string;
}

function parseOptions(argv: string[]): Options {
  const options: Options = {
    loads: 5,
    calls: 30,
    build: true,
    modes: ["development", "production"],
    orders: 100_000,
    incidents: 10_000,
  };
  for (const arg of argv) {
    const [flag, value = ""] = arg.split("=");
    const count = () => {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} needs a positive integer, got "${value}"`);
      return n;
    };
    if (flag === "--loads") options.loads = count();
    else if (flag === "--calls") options.calls = count();
    else if (flag === "--orders") options.orders = count();
    else if (flag === "--incidents") options.incidents = count();
    else if (flag === "--no-build") options.build = false;
    else if (flag === "--pages") options.pages = value.split(",").filter(Boolean);
    else if (flag === "--mode") {
      const modes: Record<string, Mode[]> = {
        dev: ["development"],
        development: ["development"],
        production: ["production"],
        both: ["development", "production"],
      };
      const chosen = modes[value];
      if (!chosen) throw new Error(`--mode is dev, production or both, got "${value}"`);
      options.modes = chosen;
    } else if (flag === "--child-result") options.childResult = value;
    else throw new Error(`unknown option ${arg}`);
  }
  return options;
}

const options = parseOptions(process.argv.slice(2));
const loadAverage = () => os.loadavg().map((l) => round(l, 2));

let seeded: Record<string, number> = {};
let baseline: Distribution | undefined;

// ---------------------------------------------------------------- measurement in the page

interface PageResult {
  page: string;
  path: string;
  status: "measured" | "skipped";
  note?: string;
  interaction?: string;
  lcpMs?: Distribution;
  cls?: { p50: number; p95: number; max: number };
  inpMs?: Distribution;
  /** Per load: the slowest interaction, its phases and the long frames around it. */
  inpAttribution?: Attribution[];
  loaderMs?: Distribution;
}

/**
 * `calls` sequential fetches of a data URL from inside the page (its cookie, its connection). With
 * `bearer`, each carries a fresh session token, fetched before its timer starts (App Bridge's
 * idToken() answers from the admin frame; here the bench mints it).
 */
async function timeDataRequests(
  page: import("playwright-core").Page,
  dataPath: string,
  calls: number,
  bearer: boolean,
): Promise<{ times: number[]; status: number }> {
  return page.evaluate(
    async ({ dataPath, calls, bearer, binding }) => {
      const times: number[] = [];
      let status = 0;
      for (let i = 0; i < calls; i++) {
        const headers: Record<string, string> = {};
        if (bearer)
          headers.authorization = `Bearer ${await (window as unknown as Record<string, () => Promise<string>>)[binding]?.()}`;
        const t0 = performance.now();
        const r = await fetch(dataPath, { credentials: "same-origin", headers });
        await r.arrayBuffer();
        times.push(performance.now() - t0);
        status = r.status;
      }
      return { times, status };
    },
    { dataPath, calls, bearer, binding: TOKEN_BINDING },
  );
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One mode's figures, as a child process writes them for the parent. */
interface ModeResult {
  mode: Mode;
  /** How pages were reached in this mode. */
  access: string;
  seeded: Record<string, number>;
  baselineLoaderMs?: Distribution;
  pages: PageResult[];
}

/** The app running in one mode, and how a browser reaches its pages there. */
interface RunningApp {
  shop: string;
  origin: string;
  access: string;
  /** Prepare the browser context (a sign-in, or the App Bridge stand-in) before any page loads. */
  prepare(context: import("playwright-core").BrowserContext): Promise<void>;
  /** The URL a page is loaded from. */
  pageUrl(path: string): string;
  /** Data requests carry a session token (production) rather than the demo's cookie. */
  bearer: boolean;
  close(): Promise<void>;
}

async function startApp(mode: Mode): Promise<RunningApp> {
  const seed = { customers: 60, orders: 200, weeks: 4 };
  if (mode === "development") {
    const { startDemo } = await import("../../scripts/start-demo");
    const demo = await startDemo({ port: 0, seed });
    return {
      shop: demo.shop,
      origin: new URL(demo.url).origin,
      access: "demo sign-in (cookie; the server adds a session token per request), rendered outside the admin",
      async prepare(context) {
        const signIn = await context.newPage();
        await signIn.goto(demo.signInUrl, { waitUntil: "load" });
        await signIn.close();
      },
      pageUrl: (p) => new URL(p, demo.url).toString(),
      bearer: false,
      close: () => demo.close(),
    };
  }
  const { startEmbeddedApp } = await import("./pages/embedded-app");
  const { APP_BRIDGE_URL, appBridgeStandIn } = await import("./pages/app-bridge-stand-in");
  const app = await startEmbeddedApp(seed);
  return {
    shop: app.shop,
    origin: new URL(app.url).origin,
    access:
      "embedded: document with id_token in its URL, data requests with a Bearer session token; App Bridge replaced by a stand-in",
    async prepare(context) {
      await context.exposeBinding(TOKEN_BINDING, () => app.sessionToken());
      // Registered after the route that blocks other origins, so it is asked first.
      await context.route(APP_BRIDGE_URL, (route) =>
        route.fulfill({ status: 200, contentType: "text/javascript", body: appBridgeStandIn(TOKEN_BINDING) }),
      );
    },
    pageUrl: (p) => app.documentUrl(p),
    bearer: true,
    close: () => app.close(),
  };
}

/** Measure one mode in this process (a child of the parent run). */
async function measure(mode: Mode, resultFile: string): Promise<void> {
  const tmpParent = mkdtempSync(path.join(os.tmpdir(), "amends-pages-"));
  chmodSync(tmpParent, 0o755); // embedded PostgreSQL runs as `postgres` when we are root
  process.env.NODE_ENV = mode;
  delete process.env.DATABASE_URL;
  Object.assign(process.env, {
    EMBEDDED_DB_DIR: path.join(tmpParent, "pg"),
    WORKER_IN_WEB: "false",
    LOG_LEVEL: "warn",
    HOST: "127.0.0.1",
  });
  const { NAV_LINKS: NAVIGATION } = await import("../../app/components/AppNavigation");
  // Settings is an index of sections (decision 0126): its form is measured on the first section's page.
  const NAV_LINKS = [...NAVIGATION, { to: "/app/settings/detection", label: "Settings, Detection" }];
  const { chromium } = await import("playwright-core");
  let app: RunningApp | undefined;
  let browser: Awaited<ReturnType<typeof chromium.launch>> | undefined;
  const results: PageResult[] = [];
  try {
    app = await startApp(mode);
    const running = app;
    seeded = await seedBenchShop(running.shop, options);
    browser = await chromium.launch((await chromiumLaunchOptions()).options);
    const context = await browser.newContext({
      userAgent: `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${browser.version()} Safari/537.36`,
      viewport: { width: 1280, height: 900 },
    });
    await context.route(
      (url) => url.origin !== running.origin && url.protocol !== "data:",
      (route) => route.abort("blockedbyclient"),
    );
    await context.addInitScript(OBSERVERS);
    await running.prepare(context);
    const warm = await context.newPage();
    const errors: string[] = [];
    // Vite's HMR client (development) finds no socket in middleware mode: expected, not the page's error.
    warm.on("pageerror", (e) => {
      if (!e.message.includes("WebSocket closed without opened")) errors.push(e.message);
    });
    // Warm the server (first render of each route, connection pool) before measuring.
    for (const link of NAV_LINKS) await warm.goto(running.pageUrl(link.to), { waitUntil: "load" }).catch(() => null);
    if (errors.length > 0) console.warn(`${mode}: errors in the page while warming up: ${errors.join("; ")}`);
    // Baseline, same run: the app layout's loader alone (session check and the framework, no page
    // data), the floor every page's data request stands on.
    const floor = await timeDataRequests(warm, "/app.data?_routes=routes%2Fapp", options.calls, running.bearer);
    if (floor.status !== 200) throw new Error(`the baseline data request answered ${floor.status}`);
    baseline = distribution(floor.times);
    await warm.close();

    for (const link of NAV_LINKS.filter((l) => !options.pages || options.pages.includes(l.to))) {
      const lcp: number[] = [];
      const cls: number[] = [];
      const inp: number[] = [];
      const attribution: Attribution[] = [];
      let lcpMissing = 0;
      let interaction = "";
      let skipped: string | undefined;
      for (let i = 0; i < options.loads; i++) {
        const page = await context.newPage();
        const response = await page.goto(running.pageUrl(link.to), { waitUntil: "load", timeout: 60_000 });
        const status = response?.status() ?? 0;
        if (status >= 400) {
          skipped = status === 404 ? "answers 404 (page not built yet)" : `answers ${status}`;
          await page.close();
          break;
        }
        await page.waitForLoadState("networkidle").catch(() => {});
        await sleep(300);
        const loaded = await page.evaluate(() => ({
          ...(window as unknown as { __vitals: { lcp: number; cls: number } }).__vitals,
        }));
        // Nothing the load itself did counts as the interaction's.
        await page.evaluate(() => {
          const v = (window as unknown as { __vitals: Vitals }).__vitals;
          v.interactions = {};
        });
        // No entry at all (0) is a load whose LCP the browser did not report, not a 0 ms paint.
        if (loaded.lcp > 0) lcp.push(loaded.lcp);
        else lcpMissing++;
        // A real interaction: the first button in the page body (not the app navigation).
        const how = INTERACTIONS[link.to] ?? { selector: FIRST_BUTTON };
        const target = page.locator(how.selector).first();
        if ((await target.count()) > 0) {
          const label = await target
            .evaluate(
              (el) =>
                el.closest(".Polaris-TextField, .Polaris-Labelled__LabelWrapper")?.parentElement?.querySelector("label")
                  ?.textContent ?? "",
            )
            .catch(() => "");
          const name =
            (how.type ? `${label || "field"}, typed "${how.type}"` : "") ||
            (await target.innerText().catch(() => "")).trim().split("\n")[0] ||
            (await target.getAttribute("aria-label")) ||
            "button";
          const clicked = await target.click({ timeout: 5_000 }).then(
            () => true,
            () => false,
          );
          if (clicked) {
            interaction = name;
            await sleep(500);
            if (how.type) await page.keyboard.type(how.type);
            else await page.keyboard.press("Escape").catch(() => {});
            await sleep(500);
          }
        }
        const after = await page.evaluate(() => (window as unknown as { __vitals: Vitals }).__vitals);
        cls.push(after.cls);
        // INP over one or two interactions is the longest one (web-vitals); none slower than 16 ms is 0.
        inp.push(inpOf(after));
        const why = attribute(after);
        if (why) attribution.push(why);
        await page.close();
      }
      if (skipped) {
        results.push({ page: link.label, path: link.to, status: "skipped", note: skipped });
        console.log(`${mode} ${link.label}: skipped, ${skipped}`);
        continue;
      }
      // The page's data request, as a client-side navigation makes it, with the page's session.
      const page = await context.newPage();
      await page.goto(running.pageUrl(link.to), { waitUntil: "load" });
      const loader = await timeDataRequests(page, `${link.to.replace(/\/$/, "")}.data`, options.calls, running.bearer);
      await page.close();
      const clsSorted = [...cls].sort((a, b) => a - b);
      const notes = [
        ...(lcpMissing > 0 ? [`no LCP reported in ${lcpMissing} of ${options.loads} loads`] : []),
        ...(loader.status === 200 ? [] : [`data request answered ${loader.status}`]),
      ];
      results.push({
        page: link.label,
        path: link.to,
        status: "measured",
        interaction,
        ...(lcp.length > 0 ? { lcpMs: distribution(lcp) } : {}),
        cls: {
          p50: round(clsSorted[Math.floor((clsSorted.length - 1) / 2)] ?? 0, 3),
          p95: round(clsSorted[Math.ceil(0.95 * clsSorted.length) - 1] ?? 0, 3),
          max: round(Math.max(...cls), 3),
        },
        inpMs: distribution(inp),
        inpAttribution: attribution,
        loaderMs: loader.status === 200 ? distribution(loader.times) : undefined,
        ...(notes.length > 0 ? { note: notes.join("; ") } : {}),
      });
      console.log(`${mode} ${link.label}: measured; INP ${inp.map((x) => round(x, 0)).join(", ")} ms`);
      for (const a of attribution.slice(0, 3)) {
        const x = a.interaction;
        console.log(
          `  ${x.type} on ${x.target}: ${x.duration} ms = input delay ${x.inputDelay} + processing ${x.processing} + presentation ${x.presentation}`,
        );
        for (const f of a.frames)
          console.log(
            `    frame ${f.duration} ms (script ${f.scriptMs}, style/layout/paint ${f.styleLayoutMs}): ${f.scripts.join("; ")}`,
          );
      }
    }
  } finally {
    await browser?.close().catch(() => {});
    await app?.close().catch((e: unknown) => console.error("stopping the app failed:", e));
    rmSync(tmpParent, { recursive: true, force: true });
  }
  const result: ModeResult = {
    mode,
    access: app.access,
    seeded,
    ...(baseline ? { baselineLoaderMs: baseline } : {}),
    pages: results,
  };
  writeFileSync(resultFile, JSON.stringify(result));
}

// ---------------------------------------------------------------- the parent run: both modes, side by side

const pass = (ok: boolean) => (ok ? "yes" : "**no**");
const fmtInp = (d?: Distribution) => (!d ? "-" : d.p50 < 16 ? "<16" : String(d.p50));
const meetsTargets = (r: PageResult) =>
  (r.lcpMs?.p95 ?? Infinity) < TARGETS.lcpMs &&
  (r.cls?.p95 ?? Infinity) < TARGETS.cls &&
  (r.inpMs?.p95 ?? Infinity) < TARGETS.inpMs &&
  (r.loaderMs?.p95 ?? Infinity) < TARGETS.loaderP95Ms;

function modeTable(result: ModeResult): string {
  const rows = result.pages.map((r) =>
    r.status === "skipped"
      ? [r.page, "skipped", "", "", "", "", "", "", "", r.note ?? ""]
      : [
          r.page,
          String(r.lcpMs?.p50 ?? "-"),
          String(r.lcpMs?.p95 ?? "-"),
          String(r.cls?.p95 ?? "-"),
          `${fmtInp(r.inpMs)} / ${r.inpMs && r.inpMs.p95 >= 16 ? r.inpMs.p95 : "<16"}`,
          String(r.loaderMs?.p50 ?? "-"),
          String(r.loaderMs?.p95 ?? "-"),
          r.loaderMs && result.baselineLoaderMs ? `${round(r.loaderMs.p95 / result.baselineLoaderMs.p95, 1)}×` : "-",
          pass(meetsTargets(r)),
          `${r.interaction ? `clicked "${r.interaction}"` : "no button to click"}${r.note ? `; ${r.note}` : ""}`,
        ],
  );
  return table(
    [
      "page",
      "LCP p50 ms",
      "LCP p95 ms",
      "CLS p95",
      "INP p50 / p95 ms",
      "loader p50 ms",
      "loader p95 ms",
      "p95 vs baseline",
      "all targets",
      "notes",
    ],
    rows,
  );
}

/** Development and production next to each other, per page: p50 / p95 and production ÷ development. */
function sideBySide(dev: ModeResult, prod: ModeResult): string {
  const ratio = (a?: number, b?: number) => (a && b ? `${round(b / a, 2)}×` : "-");
  const rows = dev.pages.map((d) => {
    const p = prod.pages.find((x) => x.path === d.path);
    return [
      d.page,
      `${d.lcpMs?.p50 ?? "-"} / ${d.lcpMs?.p95 ?? "-"}`,
      `${p?.lcpMs?.p50 ?? "-"} / ${p?.lcpMs?.p95 ?? "-"}`,
      ratio(d.lcpMs?.p50, p?.lcpMs?.p50),
      `${fmtInp(d.inpMs)} / ${fmtInp(p?.inpMs)}`,
      `${d.loaderMs?.p50 ?? "-"} / ${d.loaderMs?.p95 ?? "-"}`,
      `${p?.loaderMs?.p50 ?? "-"} / ${p?.loaderMs?.p95 ?? "-"}`,
      ratio(d.loaderMs?.p95, p?.loaderMs?.p95),
    ];
  });
  rows.push([
    "baseline (layout loader)",
    "",
    "",
    "",
    "",
    `${dev.baselineLoaderMs?.p50 ?? "-"} / ${dev.baselineLoaderMs?.p95 ?? "-"}`,
    `${prod.baselineLoaderMs?.p50 ?? "-"} / ${prod.baselineLoaderMs?.p95 ?? "-"}`,
    ratio(dev.baselineLoaderMs?.p95, prod.baselineLoaderMs?.p95),
  ]);
  return table(
    [
      "page",
      "dev LCP p50/p95",
      "prod LCP p50/p95",
      "LCP p50 prod÷dev",
      "INP p50 dev / prod",
      "dev loader p50/p95",
      "prod loader p50/p95",
      "loader p95 prod÷dev",
    ],
    rows,
  );
}

async function main(): Promise<void> {
  if (options.childResult) {
    const mode = options.modes[0];
    if (!mode || options.modes.length !== 1) throw new Error("a child measures exactly one mode");
    await measure(mode, options.childResult);
    return;
  }
  const before = loadAverage();
  if (options.modes.includes("production")) {
    if (options.build) {
      console.log("building the app (remix vite:build)...");
      execFileSync(path.join(ROOT, "node_modules/.bin/remix"), ["vite:build"], {
        cwd: ROOT,
        stdio: ["ignore", "ignore", "inherit"],
      });
    }
    if (!existsSync(path.join(ROOT, "build/server/index.js")))
      throw new Error("no build/server/index.js: run without --no-build");
  }
  const scratch = mkdtempSync(path.join(os.tmpdir(), "amends-pages-results-"));
  const results: ModeResult[] = [];
  try {
    for (const mode of options.modes) {
      console.log(`\nmeasuring ${mode} mode...`);
      const file = path.join(scratch, `${mode}.json`);
      // Each mode in its own process: the environment is read once per process, and the two modes
      // must not share a database, a module cache or a warmed-up server.
      execFileSync(
        path.join(ROOT, "node_modules/.bin/tsx"),
        [
          fileURLToPath(import.meta.url),
          `--mode=${mode}`,
          `--child-result=${file}`,
          `--loads=${options.loads}`,
          `--calls=${options.calls}`,
          `--orders=${options.orders}`,
          `--incidents=${options.incidents}`,
          ...(options.pages ? [`--pages=${options.pages.join(",")}`] : []),
        ],
        { cwd: ROOT, stdio: "inherit", env: { ...process.env } },
      );
      results.push(JSON.parse(readFileSync(file, "utf8")) as ModeResult);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }

  const { childResult: _child, ...shownOptions } = options;
  const output = {
    when: new Date().toISOString(),
    commit: gitCommit(ROOT),
    machine: { ...machine(), loadAverageBefore: before, loadAverageAfter: loadAverage() },
    options: shownOptions,
    targets: TARGETS,
    modes: Object.fromEntries(results.map((r) => [r.mode, r])),
  };
  mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
  writeFileSync(RESULTS_FILE, `${JSON.stringify(output, null, 2)}\n`);
  const m = output.machine;
  console.log(
    `\n${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}; load average before ${before.join(" ")}, after ${m.loadAverageAfter.join(" ")}`,
  );
  console.log(
    `${options.loads} loads per page, ${options.calls} data requests per page; targets: LCP < 2.5 s, CLS < 0.1, INP < 200 ms, loader p95 < 300 ms`,
  );
  for (const result of results) {
    console.log(`\n${result.mode} mode (${result.access})`);
    console.log(
      `baseline (the app layout's loader alone, /app.data?_routes=routes/app): p50 ${result.baselineLoaderMs?.p50} ms, p95 ${result.baselineLoaderMs?.p95} ms over ${options.calls} calls\n`,
    );
    console.log(modeTable(result));
  }
  const dev = results.find((r) => r.mode === "development");
  const prod = results.find((r) => r.mode === "production");
  if (dev && prod) {
    console.log("\nside by side, same run (ms)\n");
    console.log(sideBySide(dev, prod));
  }
  console.log(`\nwritten to ${path.relative(ROOT, RESULTS_FILE)}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
