/**
 * The "Recovery incident detected" Flow trigger and the customer's acknowledgement (decision 0113),
 * sent by the notify-incident job that opening an incident enqueues (app/services/detection.server.ts,
 * enqueueDecision) when a workflow uses the trigger or the shop's mail server is on. Each channel
 * at most once per incident (the INCIDENT_NOTIFIED and INCIDENT_ACK_EMAILED marker events), and only
 * for orders with a customer: the trigger declares a customer reference, and a guest order has
 * nobody to acknowledge.
 */
import type { Incident } from "@prisma/client";
import { prisma } from "../db.server";
import { formatMoney, renderAcknowledgement } from "../recovery";
import { catalogWithOverrides } from "../recovery/messages/overrides";
import { INCIDENT_DETECTED_TRIGGER, numericId } from "../shopify/flow/triggers";
import { messageCustomer, type NotifyOutcome } from "./issuing/lifecycle.server";

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

/**
 * What the job did on each channel. `skipped`: nothing was read or sent (no such incident, or a
 * guest order: no customer to acknowledge).
 */
export type IncidentNotifyOutcome = NotifyOutcome & { skipped?: "GUEST" | "NOT_FOUND" };

/** The SMTP acknowledgement's once-only marker; with INCIDENT_NOTIFIED it dates the first contact. */
export const ACK_EMAILED = "INCIDENT_ACK_EMAILED";
/** The marker of the "Recovery incident detected" trigger, which carries the acknowledgement. */
export const INCIDENT_NOTIFIED = "INCIDENT_NOTIFIED";

/**
 * The incident announced and the customer acknowledged (decision 0113): the "Recovery incident
 * detected" trigger with the acknowledgement text, and the optional SMTP mail, each at most once.
 * It looks at nothing the decision produced, so a held-out customer and a treated one get the same
 * words at the same time, whether or not an offer waits for approval. As with the apology, the
 * name and email are read now and never stored; where Shopify refuses them the note goes without a
 * name and SMTP stays off.
 */
export async function notifyIncidentDetected(shop: string, incidentId: string): Promise<IncidentNotifyOutcome> {
  const incident = await prisma.incident.findFirst({ where: { id: incidentId, shop } });
  if (!incident) return { flow: "NOT_IN_USE", email: "OFF", named: false, skipped: "NOT_FOUND" };
  if (!incident.customerGid) return { flow: "NOT_IN_USE", email: "OFF", named: false, skipped: "GUEST" };
  const customerGid = incident.customerGid;
  return messageCustomer(shop, {
    customerGid,
    subject: { incidentId },
    trigger: INCIDENT_DETECTED_TRIGGER,
    markers: { flow: INCIDENT_NOTIFIED, email: ACK_EMAILED },
    compose: (customer, ctx) => {
      const message = renderAcknowledgement(
        {
          locale: customer?.locale ?? null,
          incidentType: incident.type,
          firstName: customer?.firstName ?? null,
          orderName: incident.orderName,
        },
        catalogWithOverrides(ctx.messages),
      );
      return {
        message,
        values: {
          order_id: numericId(incident.orderGid),
          customer_id: numericId(customerGid),
          "Incident ID": incident.id,
          "Incident type": incident.type,
          Severity: incident.severity,
          Explanation: incidentExplanation(incident, ctx.currency),
          "Order name": incident.orderName,
          "Acknowledgement subject": message.subject,
          Acknowledgement: message.body,
        },
      };
    },
  });
}
