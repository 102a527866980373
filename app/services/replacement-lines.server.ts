/**
 * The lines a free replacement sends (decision 0116), read from Shopify when a decision's cell is a
 * REPLACEMENT: the order's lines, parcels and refunds (AmendsOrderLines), narrowed to the incident's
 * affected lines by the domain's rule (recovery/replacement/lines.ts).
 */
import { affectedLines, type IncidentType, type ReplacementLine } from "../recovery";
import type { AdminClient } from "../shopify/admin-client.server";
import { orderLineFacts, orderLines } from "../shopify/operations/order-lines";

export async function readAffectedLines(
  admin: AdminClient,
  incident: { type: IncidentType; orderGid: string; evidence: unknown },
  currency: string,
): Promise<ReplacementLine[]> {
  const { order } = await admin.run(orderLines, { id: incident.orderGid });
  // An order Shopify no longer has (deleted): nothing to replace.
  if (!order) return [];
  return affectedLines(incident.type, incident.evidence, orderLineFacts(order, currency));
}
