import { accessSync, constants, existsSync } from "node:fs";
import { afterEach, expect, test, vi } from "vitest";
import { findChromium } from "./chromium";

afterEach(() => {
  vi.unstubAllEnvs();
});

test("CHROMIUM_PATH that does not exist is an error naming it, never a silent fallback", async () => {
  vi.stubEnv("CHROMIUM_PATH", "/nowhere/chromium");
  await expect(findChromium()).rejects.toThrow(/CHROMIUM_PATH is \/nowhere\/chromium, which does not exist/);
});

test("CHROMIUM_PATH wins when it exists", async () => {
  vi.stubEnv("CHROMIUM_PATH", process.execPath);
  expect(await findChromium()).toMatchObject({ executablePath: process.execPath, source: "CHROMIUM_PATH" });
});

test("without CHROMIUM_PATH: a system Chromium if there is one, else the packaged one, unpacked and executable", async () => {
  vi.stubEnv("CHROMIUM_PATH", ""); // unset for this test
  const found = await findChromium();
  const system = [
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/usr/bin/google-chrome",
    "/usr/bin/google-chrome-stable",
  ].some((p) => existsSync(p));
  expect(found.source).toBe(system ? "system" : "@sparticuz/chromium");
  accessSync(found.executablePath, constants.X_OK);
  expect(found.args).toEqual(expect.arrayContaining(["--headless", "--no-sandbox", "--disable-background-networking"]));
}, 60_000);
