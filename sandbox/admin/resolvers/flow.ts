/**
 * flowTriggerReceive(handle, payload): records what the app sent to Flow. The
 * handle must be one of the app's deployed flow_trigger extensions (by default
 * the ones under extensions/, as `shopify app deploy` would publish them; a
 * test may name others), and the payload a JSON object under Flow's 50 KB
 * limit; the deprecated `body` form is not modelled (Amends uses handle and payload).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseToml, type TomlTable } from "../../../app/shopify/flow/toml";
import type { AdminContext } from "../context";
import { notModelled } from "../errors";
import type { Args, UserError } from "./util";

/** Flow's documented payload limit, read as 50,000 bytes of JSON (the stricter reading of "50 KB"). */
export const MAX_FLOW_PAYLOAD_BYTES = 50_000;
const MAX_HANDLE_LENGTH = 30;
const EXTENSIONS_DIR = fileURLToPath(new URL("../../../extensions", import.meta.url));

let deployedHandles: readonly string[] | undefined;

/** The handles of the app's flow_trigger extensions: what Flow knows of this app after a deploy. */
export function appFlowTriggerHandles(): readonly string[] {
  if (deployedHandles) return deployedHandles;
  const dir = EXTENSIONS_DIR;
  deployedHandles = readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, "shopify.extension.toml")))
    .flatMap((entry) => {
      const config = parseToml(readFileSync(join(dir, entry.name, "shopify.extension.toml"), "utf8"));
      return ((config.extensions ?? []) as TomlTable[])
        .filter((extension) => extension.type === "flow_trigger")
        .map((extension) => String(extension.handle));
    });
  return deployedHandles;
}

function flowTriggerReceive(_root: unknown, args: Args, ctx: AdminContext) {
  if (args.body !== undefined && args.body !== null)
    throw notModelled("flowTriggerReceive(body:), deprecated; use handle and payload");
  const errors: UserError[] = [];
  const handle = typeof args.handle === "string" ? args.handle.trim() : "";
  if (!handle) errors.push({ field: ["handle"], message: "Handle can't be blank" });
  else if (handle.length > MAX_HANDLE_LENGTH)
    errors.push({ field: ["handle"], message: `Handle is too long (maximum is ${MAX_HANDLE_LENGTH} characters)` });
  else if (!(ctx.options.flowTriggerHandles ?? appFlowTriggerHandles()).includes(handle)) {
    errors.push({ field: ["handle"], message: `No flow trigger with handle '${handle}' exists for this app` });
  }
  const payload = args.payload;
  if (payload === undefined || payload === null) errors.push({ field: ["payload"], message: "Payload can't be blank" });
  else if (typeof payload !== "object" || Array.isArray(payload))
    errors.push({ field: ["payload"], message: "Payload must be a JSON object" });
  else {
    const size = Buffer.byteLength(JSON.stringify(payload), "utf8");
    if (size > MAX_FLOW_PAYLOAD_BYTES)
      errors.push({
        field: ["payload"],
        message: `Payload is too large (${size} bytes); the maximum is ${MAX_FLOW_PAYLOAD_BYTES} bytes`,
      });
  }
  if (errors.length) return { userErrors: errors };
  ctx.shop.flowTriggers.push({ handle, payload, receivedAt: ctx.now });
  return { userErrors: [] };
}

export const flowMutations = { flowTriggerReceive };
