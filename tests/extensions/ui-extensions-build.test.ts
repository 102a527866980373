/**
 * The admin UI extensions bundle as `shopify app build` bundles them: every `module` named in an
 * extension's shopify.extension.toml, with its imports, into one ES module (Preact's automatic
 * JSX), and each bundle stays under Shopify's 64 KB limit for UI extensions. The Shopify CLI itself
 * is not installable here; this catches the same failures (a missing file, an unresolvable import,
 * a bundle too big) in CI.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { build } from "esbuild";
import { expect, test } from "vitest";
import { parseToml, type TomlTable } from "../../app/shopify/flow/toml";

const EXTENSIONS = path.resolve("extensions");
const LIMIT_BYTES = 64 * 1024;

const uiModules = readdirSync(EXTENSIONS, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(path.join(EXTENSIONS, d.name, "shopify.extension.toml")))
  .flatMap((d) => {
    const config = parseToml(readFileSync(path.join(EXTENSIONS, d.name, "shopify.extension.toml"), "utf8"));
    return ((config.extensions ?? []) as TomlTable[])
      .filter((extension) => extension.type === "ui_extension")
      .flatMap((extension) =>
        ((extension.targeting ?? []) as TomlTable[]).map((t) => ({
          folder: d.name,
          target: String(t.target),
          module: String(t.module),
        })),
      );
  });

test("there are admin UI extensions to build (the order page action, its should-render, the block)", () => {
  expect(uiModules.map((m) => m.target).sort()).toEqual([
    "admin.order-details.action.render",
    "admin.order-details.action.should-render",
    "admin.order-details.block.render",
  ]);
});

test.each(uiModules)("$folder: $target ($module) bundles under 64 KB", async ({ folder, module }) => {
  const result = await build({
    entryPoints: [path.join(EXTENSIONS, folder, module)],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2020",
    jsx: "automatic",
    jsxImportSource: "preact",
    minify: true,
    write: false,
    logLevel: "silent",
  });
  expect(result.errors).toEqual([]);
  const bytes = result.outputFiles.reduce((sum, file) => sum + file.contents.byteLength, 0);
  expect(bytes).toBeGreaterThan(0);
  expect(bytes).toBeLessThan(LIMIT_BYTES);
});
