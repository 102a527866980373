import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { configDefaults, defineConfig } from "vitest/config";
import { appTomlScopes } from "./tests/helpers/app-scopes";

// Separate from vite.config.ts: the Remix Vite plugin is not meant to run under Vitest.
export default defineConfig({
  test: {
    globalSetup: ["tests/setup/global-setup.ts"],
    setupFiles: ["tests/setup/per-file.ts"],
    env: {
      // UTC unless the caller sets TZ: `npm run test:time-shifted` runs the suite in far-apart zones.
      TZ: process.env.TZ ?? "UTC",
      NODE_ENV: "test",
      LOG_LEVEL: "silent",
      SHOPIFY_API_KEY: "test-api-key",
      SHOPIFY_API_SECRET: "test-api-secret",
      SHOPIFY_APP_URL: "https://amends.test",
      // What shopify.app.toml asks for, as on a real install.
      SCOPES: appTomlScopes(),
      WORKER_IN_WEB: "false",
      // The tests' local mail servers listen on loopback with a certificate from a test CA
      // (docs/decisions/0020-smtp-safety.md); the app's default refuses loopback and knows no such CA.
      AMENDS_SMTP_ALLOW_LOOPBACK: "true",
      AMENDS_SMTP_CA_FILE: fileURLToPath(new URL("./tests/fixtures/smtp-tls/ca.pem", import.meta.url)),
    },
    pool: "forks",
    // Two files at a time at least. Vitest's default is one fewer than the machine's cores, so on these
    // 2-core machines it ran one file at a time, and a file spends much of its time waiting on
    // PostgreSQL and on the sandbox's timers: two at a time ran the core project in two thirds of the
    // time, with the same results (in the time-shifted runs too). Browser files still run one at a
    // time, after the rest (fileParallelism: false below).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // Browser tests (tests/browser) run the demo in development mode, where the Shopify library logs each
    // request at info level; keep those lines out of the test output (its warnings and errors still show).
    onConsoleLog: (log) => !/^\[shopify-(api|app)\/INFO\]/.test(log),
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: "core",
          include: ["app/**/*.test.ts", "tests/**/*.test.ts", "extensions/**/*.test.ts"],
          exclude: [...configDefaults.exclude, "tests/browser/**"],
        },
      },
      // One browser file at a time: each starts the demo with Vite's dev middleware, which shares one
      // dependency cache (node_modules/.vite) and would be re-optimised under a parallel file's feet.
      {
        extends: true,
        test: {
          name: "browser",
          include: ["tests/browser/**/*.test.ts"],
          exclude: configDefaults.exclude,
          fileParallelism: false,
          // As `npm run demo` runs (the harness sets these too): set before the file's imports, because a
          // test file that imports an app service loads app/shopify.server, which reads the app's env once
          // at import. With the core project's WORKER_IN_WEB=false read then, the demo's server started
          // without its in-process worker, and nothing a test did in the store was ever processed.
          env: { NODE_ENV: "development", WORKER_IN_WEB: "true" },
        },
      },
    ],
  },
});
