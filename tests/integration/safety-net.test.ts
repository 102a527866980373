/**
 * The process-level backstop, in a real process (a rejection nobody handles ends a Node process by
 * default): the process lives on, and each rejection is logged once with the request it came from.
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { expect, test } from "vitest";

const run = promisify(execFile);

test("unhandled rejections are logged with their route and the process keeps running", async () => {
  const { stdout } = await run(path.resolve("node_modules/.bin/tsx"), ["tests/fixtures/unhandled-rejection.ts"], {
    env: { ...process.env, LOG_LEVEL: "error", NODE_ENV: "production" },
  });
  const lines = stdout
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  const logged = lines.filter((l) => l.msg === "unhandled promise rejection (kept serving)");
  expect(logged).toHaveLength(3);
  expect(logged.map((l) => l.route)).toEqual(expect.arrayContaining(["POST /webhooks", null, null]));
  expect(logged.find((l) => l.route === "POST /webhooks")?.err).toMatchObject({ message: "aborted" });
  expect(logged.map((l) => (l.err as { message: string }).message)).toContain("10n");
  expect(lines.at(-1)).toEqual({ alive: true, counted: 3 });
});
