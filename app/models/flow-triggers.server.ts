/**
 * Which of Amends's Flow triggers a shop uses, from Flow's trigger lifecycle callbacks
 * (app/routes/flow.lifecycle.tsx). Flow asks apps to send triggers only to shops with an enabled
 * workflow using them: each flowTriggerReceive costs Admin API points, and the message it carries
 * needs a customer read.
 */
import { prisma, type Tx } from "../db.server";
import { FLOW_TRIGGERS, type TriggerHandle } from "../shopify/flow/triggers";

export interface TriggerLifecycle {
  shop: string;
  /** Always the handle, whatever form of id Flow's callback used (the route resolves it). */
  trigger: TriggerHandle;
  enabled: boolean;
  /** Flow's timestamp: a callback older than the stored one is ignored (they can arrive out of order). */
  at: Date;
}

/** Record a lifecycle callback; false when a newer one was already recorded. */
export async function recordTriggerLifecycle(event: TriggerLifecycle, db: Tx = prisma): Promise<boolean> {
  const rows = await db.$executeRaw`
    INSERT INTO "FlowTriggerUsage" (shop, trigger, enabled, "changedAt")
    VALUES (${event.shop}, ${event.trigger}, ${event.enabled}, ${event.at})
    ON CONFLICT (shop, trigger) DO UPDATE SET enabled = EXCLUDED.enabled, "changedAt" = EXCLUDED."changedAt"
    WHERE "FlowTriggerUsage"."changedAt" < EXCLUDED."changedAt"`;
  return rows > 0;
}

/** Every one of Amends's triggers with whether a workflow of the shop uses it, in declaration order (one read). */
export async function flowTriggersInUse(
  shop: string,
  db: Tx = prisma,
): Promise<Array<{ handle: TriggerHandle; name: string; inUse: boolean }>> {
  const rows = await db.flowTriggerUsage.findMany({ where: { shop }, select: { trigger: true, enabled: true } });
  const enabled = new Set(rows.filter((r) => r.enabled).map((r) => r.trigger));
  return (Object.keys(FLOW_TRIGGERS) as TriggerHandle[]).map((handle) => ({
    handle,
    name: FLOW_TRIGGERS[handle].name,
    inUse: enabled.has(handle),
  }));
}

export async function flowTriggerInUse(shop: string, trigger: TriggerHandle, db: Tx = prisma): Promise<boolean> {
  const row = await db.flowTriggerUsage.findUnique({ where: { shop_trigger: { shop, trigger } } });
  return row?.enabled ?? false;
}
