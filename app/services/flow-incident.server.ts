/**
 * The "Recovery incident detected" Flow trigger, sent by the notify-incident job that opening an
 * incident enqueues (app/services/detection.server.ts, enqueueDecision). Sent at most once per
 * incident (the INCIDENT_NOTIFIED marker event, through sendTriggerOnce), only when a workflow of
 * the shop uses the trigger, and only for orders with a customer: the trigger declares a customer
 * reference, and a guest order has none to give.
 */
import type { Incident } from "@prisma/client";
import { prisma } from "../db.server";
import { flowTriggerInUse } from "../models/flow-triggers.server";
import { formatMoney } from "../recovery";
import { INCIDENT_DETECTED_TRIGGER, numericId } from "../shopify/flow/triggers";
import { sendTriggerOnce } from "./issuing/lifecycle.server";
import { shopContext } from "../models/shop-settings.server";

export type IncidentNotifyOutcome = "SENT" | "ALREADY_SENT" | "NOT_IN_USE" | "GUEST" | "NOT_FOUND";

function field(json: unknown, key: string): unknown {
  return typeof json === "object" && json !== null ? (json as Record<string, unknown>)[key] : undefined;
}

/** "major: 6 business days late": what went wrong, from the incident's measure. */
function incidentExplanation(
  incident: Pick<Incident, "type" | "severity" | "measure" | "summary">,
  currency = "USD",
): string {
  const m = incident.measure;
  const days = Number(field(m, "days"));
  let what: string;
  switch (field(m, "kind")) {
    case "BUSINESS_DAYS_LATE":
      what = `not shipped ${days} business day${days === 1 ? "" : "s"} after its deadline`;
      break;
    case "DAYS_LATE":
      what = `delivery ${days} day${days === 1 ? "" : "s"} late`;
      break;
    case "DELIVERY_FAILED":
      what = `delivery failed (${String(field(m, "cause") ?? "unknown")
        .toLowerCase()
        .replaceAll("_", " ")}, ${Number(field(m, "attempts") ?? 0)} attempt(s))`;
      break;
    case "REFUND_SHARE": {
      const refunded = Number(field(m, "refundedMinor") ?? 0);
      const total = Number(field(m, "orderTotalMinor") ?? 0);
      what = `refunded ${formatMoney(refunded, currency)}${total > 0 ? ` (${Math.round((refunded / total) * 100)}% of the order)` : ""}`;
      break;
    }
    case "CANCELLED":
      what = `cancelled by the store (${String(field(m, "reason") ?? "other")})`;
      break;
    case "STAFF_CHOSEN":
      what = `reported by staff: ${String(field(m, "category") ?? "OTHER")
        .toLowerCase()
        .replaceAll("_", " ")}`;
      break;
    default:
      what = incident.type.toLowerCase().replaceAll("_", " ");
  }
  return `${incident.severity}: ${what}`;
}

export async function notifyIncidentDetected(shop: string, incidentId: string): Promise<IncidentNotifyOutcome> {
  const incident = await prisma.incident.findFirst({ where: { id: incidentId, shop } });
  if (!incident) return "NOT_FOUND";
  if (!(await flowTriggerInUse(shop, INCIDENT_DETECTED_TRIGGER))) return "NOT_IN_USE";
  if (!incident.customerGid) return "GUEST";
  const { currency } = await shopContext(shop);
  const sent = await sendTriggerOnce(shop, { incidentId }, "INCIDENT_NOTIFIED", INCIDENT_DETECTED_TRIGGER, {
    order_id: numericId(incident.orderGid),
    customer_id: numericId(incident.customerGid),
    "Incident ID": incident.id,
    "Incident type": incident.type,
    Severity: incident.severity,
    Explanation: incidentExplanation(incident, currency),
    "Order name": incident.orderName,
  });
  return sent ? "SENT" : "ALREADY_SENT";
}
