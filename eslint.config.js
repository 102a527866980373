import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

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
  {
    // The domain core stays pure: no framework, database, Shopify, network or environment access.
    files: ["app/recovery/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@remix-run/*", "@shopify/*", "@prisma/*", "prisma", "pg", "graphile-worker", "msw", "msw/*"],
              message: "app/recovery is pure domain code.",
            },
            {
              group: [
                "**/models/**",
                "**/services/**",
                "**/shopify/**",
                "**/jobs/**",
                "**/routes/**",
                "**/db.server*",
                "**/*.server",
                "**/*.server.ts",
              ],
              message: "app/recovery must not depend on outer layers.",
            },
          ],
        },
      ],
      "no-restricted-globals": [
        "error",
        { name: "fetch", message: "app/recovery does no I/O." },
        { name: "process", message: "app/recovery does not read the environment." },
      ],
    },
  },
  {
    files: ["scripts/**/*.ts", "server.ts", "tests/bench/**/*.ts"],
    rules: { "no-console": "off" },
  },
);
