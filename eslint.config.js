import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

/** Everything under these app folders, however it is reached ("../x/..", "../../x/..", "~/x/.."). */
const folders = (...names) => names.map((name) => `**/${name}/**`);

const layers = (message, group) => ({ group, message });

const restrictImports = (...patterns) => ["error", { patterns }];

const PURE_BANNED_PACKAGES = [
  "@remix-run/*",
  "@shopify/*",
  "@prisma/*",
  "prisma",
  "pg",
  "graphile-worker",
  "msw",
  "msw/*",
];

const OUTER_OF_RECOVERY = folders(
  "models",
  "services",
  "shopify",
  "queue",
  "jobs",
  "routes",
  "components",
  "dashboard",
  "db",
);

const SERVICES_LAYER = [
  layers("app/services is called by routes and jobs, never the other way round.", folders("routes", "jobs")),
  layers("app/services must not depend on UI code (not even for types).", folders("components", "dashboard")),
];

const UI_BANNED = layers("UI code gets its data from loaders, not from the database or the queue.", [
  ...folders("models", "queue", "jobs", "db", "routes"),
  "**/db.server*",
  "**/shopify.server*",
]);

const uiTakesTypesFromServices = {
  group: folders("services"),
  allowTypeImports: true,
  message: "UI code may take types from services (import type), never values.",
};

const NO_NEW_ADMIN_CLIENT = {
  selector: "NewExpression[callee.name='AdminClient']",
  message: "Get an Admin client from app/shopify/admin.server.ts (backgroundAdmin or interactiveAdmin).",
};

/** Prisma writes to the offer table: `<db>.offer.create(...)`, `tx.offer.updateMany(...)`... */
const OFFER_WRITE =
  "CallExpression[callee.object.property.name='offer'][callee.property.name=/^(create|createMany|createManyAndReturn|update|updateMany|updateManyAndReturn|upsert)$/]";
const OFFER_STATUS_MESSAGE =
  "Offer statuses change only through createOffer/transitionOffer (app/services/offers/transition.server.ts), which keep the lifecycle's budget, trail and follow-up jobs.";
const NO_OFFER_STATUS_WRITES = [
  { selector: `${OFFER_WRITE}[callee.property.name=/^create/]`, message: OFFER_STATUS_MESSAGE },
  {
    selector: `${OFFER_WRITE} Property[key.name='data'] > ObjectExpression > Property[key.name='status']`,
    message: OFFER_STATUS_MESSAGE,
  },
  {
    selector: `${OFFER_WRITE} Property[key.name='create'] > ObjectExpression > Property[key.name='status']`,
    message: OFFER_STATUS_MESSAGE,
  },
  { selector: 'TemplateElement[value.raw=/(UPDATE|INSERT\\s+INTO)\\s+"Offer"/i]', message: OFFER_STATUS_MESSAGE },
];

export default tseslint.config(
  { ignores: ["build/**", "node_modules/**", ".data/**", "tests/.tmp/**", "coverage/**", "**/*.js"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-console": ["error", { allow: ["warn", "error"] }],
    },
  },
  // Layers, each importing only from those below it; nothing calls upward:
  //
  //   routes ─→ services ─→ models, queue ─→ shopify ─→ recovery (pure)
  //   jobs (task list, tasks, runner) ─→ services
  //   components, dashboard: UI; from services they take types only
  //   db (app/db) prepares the database and the queue's schema
  //   app/http and server.ts are the process edge and may import anything.
  //
  // `queue` is graphile-worker as a store: enqueue inside a transaction, payloads, terminal errors.
  // It sits below services (which enqueue) and above shopify (payloads use the shop-domain rule).
  // Patterns match relative paths at any depth ("../models/x", "../../jobs/y") and "~/" ones.
  {
    files: ["app/recovery/**/*.ts"],
    rules: {
      "no-restricted-imports": restrictImports(
        { group: PURE_BANNED_PACKAGES, message: "app/recovery is pure domain code." },
        layers("app/recovery must not depend on outer layers.", [
          ...OUTER_OF_RECOVERY,
          "**/db.server*",
          "**/*.server",
          "**/*.server.ts",
        ]),
      ),
      "no-restricted-globals": [
        "error",
        { name: "fetch", message: "app/recovery does no I/O." },
        { name: "process", message: "app/recovery does not read the environment." },
      ],
    },
  },
  {
    files: ["app/shopify/**/*.ts"],
    rules: {
      "no-restricted-imports": restrictImports(
        layers("app/shopify speaks to Shopify; it knows nothing of the app's data or use cases.", [
          ...folders("models", "services", "queue", "jobs", "routes", "components", "dashboard", "db"),
          "**/db.server*",
        ]),
      ),
    },
  },
  {
    files: ["app/models/**/*.ts"],
    rules: {
      "no-restricted-imports": restrictImports(
        layers("app/models is data access: services call it, never the other way round.", [
          ...folders("services", "queue", "jobs", "routes", "components", "dashboard"),
        ]),
      ),
    },
  },
  {
    files: ["app/queue/**/*.ts"],
    rules: {
      "no-restricted-imports": restrictImports(
        layers("app/queue stays below services: it enqueues and classifies, it runs nothing.", [
          ...folders("services", "models", "jobs", "routes", "components", "dashboard"),
        ]),
      ),
    },
  },
  {
    files: ["app/services/**/*.ts"],
    rules: {
      "no-restricted-imports": restrictImports(...SERVICES_LAYER),
    },
  },
  {
    files: ["app/components/**/*.{ts,tsx}", "app/dashboard/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": restrictImports(UI_BANNED),
      "@typescript-eslint/no-restricted-imports": restrictImports(uiTakesTypesFromServices),
    },
  },
  {
    files: ["app/db/**/*.ts"],
    rules: {
      "no-restricted-imports": restrictImports(
        layers("app/db prepares the database; it runs no use case and loads no task.", [
          ...folders("services", "models", "jobs", "routes", "components", "dashboard"),
        ]),
      ),
    },
  },
  {
    files: ["app/jobs/**/*.ts"],
    rules: {
      "no-restricted-imports": restrictImports(
        layers("app/jobs calls services; it has no UI.", [...folders("routes", "components", "dashboard")]),
      ),
    },
  },
  {
    // Admin API clients come from app/shopify/admin.server.ts (background or interactive), and offer
    // statuses are written by the lifecycle module alone; tests make their own clients and rows.
    files: ["app/**/*.{ts,tsx}"],
    ignores: ["app/**/*.test.ts"],
    rules: { "no-restricted-syntax": ["error", NO_NEW_ADMIN_CLIENT, ...NO_OFFER_STATUS_WRITES] },
  },
  {
    files: ["app/shopify/admin.server.ts"],
    rules: { "no-restricted-syntax": ["error", ...NO_OFFER_STATUS_WRITES] },
  },
  {
    files: ["app/services/offers/transition.server.ts"],
    rules: { "no-restricted-syntax": ["error", NO_NEW_ADMIN_CLIENT] },
  },
  {
    files: ["scripts/**/*.ts", "server.ts", "tests/bench/**/*.ts"],
    rules: { "no-console": "off" },
  },
);
