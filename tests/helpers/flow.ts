/** Flow's trigger lifecycle callbacks, signed like Shopify signs them, through the real route. */
import { action as flowLifecycle } from "../../app/routes/flow.lifecycle";
import {
  FLOW_TRIGGERS,
  FOLLOW_UP_TRIGGER,
  OFFER_ISSUED_TRIGGER,
  type TriggerHandle,
} from "../../app/shopify/flow/triggers";
import { sign } from "./webhooks";

export interface LifecycleCallback {
  shop: string;
  /** flow_trigger_definition_id as sent: a trigger's title (Shopify's documented example form), handle, or anything. */
  trigger: string;
  enabled: boolean;
  timestamp?: string;
  /** Override the signature: a tampered one, or null for none. */
  hmac?: string | null;
  body?: string;
}

export function lifecycleRequest(callback: LifecycleCallback): Request {
  const body =
    callback.body ??
    JSON.stringify({
      flow_trigger_definition_id: callback.trigger,
      has_enabled_flow: callback.enabled,
      shop_id: 1,
      shopify_domain: callback.shop,
      timestamp: callback.timestamp ?? new Date().toISOString(),
    });
  const headers = new Headers({ "content-type": "application/json" });
  const hmac = callback.hmac === undefined ? sign(body) : callback.hmac;
  if (hmac !== null) headers.set("x-shopify-hmac-sha256", hmac);
  return new Request("https://amends.test/flow/lifecycle", { method: "POST", headers, body });
}

/** POST a lifecycle callback; thrown Responses (400/405) come back as responses. */
export async function sendLifecycle(callback: LifecycleCallback): Promise<Response> {
  try {
    return await flowLifecycle({ request: lifecycleRequest(callback), params: {}, context: {} });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

/**
 * The merchant enabled workflows using Amends's triggers (the shop needs an offline session). Flow
 * names each trigger by its title, the form of Shopify's documented example payload.
 */
export async function enableFlowTriggers(
  shop: string,
  triggers: readonly TriggerHandle[] = [OFFER_ISSUED_TRIGGER, FOLLOW_UP_TRIGGER],
): Promise<void> {
  for (const handle of triggers) {
    const response = await sendLifecycle({ shop, trigger: FLOW_TRIGGERS[handle].name, enabled: true });
    if (response.status !== 204) throw new Error(`lifecycle callback refused: ${response.status}`);
  }
}
