/**
 * flowTriggerReceive(handle, payload): records what the app sent to Flow. The
 * payload must be a JSON object under Flow's 50 KB limit; the deprecated
 * `body` form is not modelled (Amends uses handle and payload).
 */
import type { AdminContext } from "../context";
import { notModelled } from "../errors";
import type { Args, UserError } from "./util";

/** Flow's documented payload limit, read as 50,000 bytes of JSON (the stricter reading of "50 KB"). */
export const MAX_FLOW_PAYLOAD_BYTES = 50_000;
const MAX_HANDLE_LENGTH = 30;

function flowTriggerReceive(_root: unknown, args: Args, ctx: AdminContext) {
  if (args.body !== undefined && args.body !== null)
    throw notModelled("flowTriggerReceive(body:), deprecated; use handle and payload");
  const errors: UserError[] = [];
  const handle = typeof args.handle === "string" ? args.handle.trim() : "";
  if (!handle) errors.push({ field: ["handle"], message: "Handle can't be blank" });
  else if (handle.length > MAX_HANDLE_LENGTH)
    errors.push({ field: ["handle"], message: `Handle is too long (maximum is ${MAX_HANDLE_LENGTH} characters)` });
  else if (ctx.options.flowTriggerHandles && !ctx.options.flowTriggerHandles.includes(handle)) {
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
