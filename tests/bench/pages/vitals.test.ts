/**
 * bench:pages' INP is Chrome's: only interactions (click, tap, key press) count, not the hover
 * Playwright makes before a click. The bench used to take the longest Event Timing entry of any kind,
 * so a slow hover handler became the page's "INP" (Settings, with nothing clicked, showed 352 ms).
 * In real Chromium, as the bench runs it.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { chromiumLaunchOptions } from "../../helpers/chromium";
import { OBSERVERS, attribute, inpOf, type Vitals } from "./vitals";

// Each handler keeps the main thread busy for 60 ms, so its event is long enough to be reported.
const PAGE = `<!doctype html><html><body>
<button id="hover" onpointerover="const t = performance.now(); while (performance.now() - t < 60) {}">hover me</button>
<button id="click" onclick="const t = performance.now(); while (performance.now() - t < 60) {}">click me</button>
<script>
  window.__allEvents = [];
  new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__allEvents.push({ name: e.name, duration: e.duration, interactionId: e.interactionId }); })
    .observe({ type: "event", buffered: true, durationThreshold: 16 });
</script>
</body></html>`;

let browser: Browser;
let server: Server;
let origin: string;

beforeAll(async () => {
  server = createServer((_req, res) => {
    res.setHeader("content-type", "text/html");
    res.end(PAGE);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch((await chromiumLaunchOptions()).options);
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

async function openPage(): Promise<Page> {
  const page = await browser.newPage();
  await page.addInitScript(OBSERVERS);
  await page.goto(origin);
  return page;
}

/** Until the observers have delivered what the page did (they report after the next frame). */
async function settle(page: Page, done: () => Promise<boolean>): Promise<void> {
  await expect.poll(done, { timeout: 10_000 }).toBe(true);
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
}

test("a slow hover is an event the browser reports, but not an interaction: INP stays 0", async () => {
  const page = await openPage();
  try {
    await page.hover("#hover");
    await settle(page, () =>
      page.evaluate(() =>
        (window as unknown as { __allEvents: Array<{ name: string }> }).__allEvents.some(
          (e) => e.name === "pointerover",
        ),
      ),
    );
    const all = await page.evaluate(
      () => (window as unknown as { __allEvents: Array<{ name: string; interactionId: number }> }).__allEvents,
    );
    // What the old measure took as INP: a reported event without an interaction id.
    expect(all.find((e) => e.name === "pointerover")?.interactionId).toBe(0);
    const vitals = await page.evaluate(() => (window as unknown as { __vitals: Vitals }).__vitals);
    expect(vitals.interactions).toEqual({});
    expect(inpOf(vitals)).toBe(0);
    expect(attribute(vitals)).toBeUndefined();
  } finally {
    await page.close();
  }
});

test("a slow click is an interaction: INP is its latency, attributed to the click handler's processing", async () => {
  const page = await openPage();
  try {
    await page.click("#click");
    await settle(page, () =>
      page.evaluate(() => Object.keys((window as unknown as { __vitals: Vitals }).__vitals.interactions).length > 0),
    );
    const vitals = await page.evaluate(() => (window as unknown as { __vitals: Vitals }).__vitals);
    const why = attribute(vitals);
    expect(["pointerdown", "pointerup", "click"]).toContain(why?.interaction.type);
    expect(why?.interaction.target).toContain("button");
    // The handler's 60 ms are processing time, inside the interaction's latency.
    expect(why?.interaction.processing).toBeGreaterThanOrEqual(55);
    expect(inpOf(vitals)).toBeGreaterThanOrEqual(why?.interaction.processing ?? Infinity);
  } finally {
    await page.close();
  }
});
