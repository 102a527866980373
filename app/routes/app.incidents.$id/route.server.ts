/**
 * The incident page's data, and its actions (decision 0121): approve a waiting make-good (the
 * approvals page's path and authority check), approve it with a different value, retry issuing a
 * FAILED one, close the incident by hand, resend the customer's message, add a note, and reveal a
 * make-good's full code (MANAGER or OWNER, audited; everyone else sees the last four characters).
 * Every refusal comes back as { ok: false, message } with its status, for the page to show.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { formObject, parseWith } from "../../forms";
import { incidentStanding, primaryAction, STANDING_BADGES } from "../../recovery/incidents/standing";
import { approveFromQueue, type QueueOutcome } from "../../services/approval-queue.server";
import {
  addStaffNote,
  closeIncidentByHand,
  incidentPermissions,
  noteSchema,
  permissionRefusal,
  resendMessage,
  type ActionOutcome,
} from "../../services/incident-actions.server";
import { incidentDetail } from "../../services/incidents-view.server";
import { retryIssue, RetryRefusedError } from "../../services/issuing.server";
import { codeRevealAuthority, revealOfferCode } from "../../services/offer-codes.server";
import { customerIdentities } from "../../services/customer-identity.server";
import { interactiveAdmin } from "../../shopify/admin.server";
import { staffContext } from "../../staff.server";
import { readForm } from "../../http/read-form.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop, staff, admin } = await staffContext(request);
  const detail = await incidentDetail(shop, params.id ?? "");
  // Another shop's incident is as unknown as a made-up id: nothing tells them apart.
  if (!detail)
    throw new Response("Incident not found", {
      status: 404,
      statusText: "Not Found",
    });
  const { canReveal } = await codeRevealAuthority(shop, staff);
  const facts = {
    state: detail.incident.state,
    decision: detail.incident.decision,
    customerCameBack: detail.incident.customerCameBack,
    offers: detail.offers,
  };
  const { level: _level, ...may } = await incidentPermissions(shop, staff);
  // The customer's name and email, read live as the signed-in member and never stored; the id stands in.
  const customerGid = detail.incident.customerId ? `gid://shopify/Customer/${detail.incident.customerId}` : null;
  const identities = await customerIdentities(shop, interactiveAdmin(admin.admin, shop), [customerGid]);
  return {
    ...detail,
    customer: customerGid ? (identities.byGid[customerGid] ?? null) : null,
    customerNamesMissing: identities.missing,
    canRevealCodes: canReveal,
    standing: STANDING_BADGES[incidentStanding(facts)],
    primary: primaryAction(facts),
    may,
  };
};

const offerId = z.uuid("Not an offer of this incident");
const requestId = z.uuid("Reload the page and try again");

const actionSchema = z.discriminatedUnion(
  "intent",
  [
    z.object({ intent: z.literal("retryIssue"), offerId }),
    z.object({ intent: z.literal("revealCode"), offerId }),
    z.object({ intent: z.literal("approve"), offerId }),
    z.object({ intent: z.literal("differentMakeGood"), offerId, value: z.string().max(40).default("") }),
    z.object({ intent: z.literal("close") }),
    z.object({ intent: z.literal("resend"), offerId, requestId }),
    z.object({ intent: z.literal("addNote"), note: noteSchema, requestId }),
  ],
  { error: "Unknown action" },
);

export interface ActionAnswer {
  ok: boolean;
  message: string;
  /** The form field a refusal belongs to (the note, the value). */
  field?: "note" | "value";
  offerId?: string;
  /** A revealed code, in groups of four to read aloud, and as typed at checkout (to copy). */
  code?: string;
  plainCode?: string;
}

function answer(outcome: ActionOutcome | QueueOutcome) {
  if (outcome.ok) return { ok: true, message: outcome.message } satisfies ActionAnswer;
  const body: ActionAnswer = { ok: false, message: outcome.message };
  if ("field" in outcome && outcome.field === "value") body.field = "value";
  return Response.json(body, { status: outcome.status });
}

/** The offer belongs to this incident of this shop (another shop's, or another incident's, is not found). */
async function offerOfIncident(shop: string, incidentId: string, id: string) {
  const detail = await incidentDetail(shop, incidentId);
  return detail?.offers.find((o) => o.id === id) ?? null;
}

const notFound = () =>
  Response.json({ ok: false, message: "No such make-good on this incident" } satisfies ActionAnswer, { status: 404 });

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { shop, staff } = await staffContext(request);
  const incidentId = params.id ?? "";
  const parsed = parseWith(actionSchema, formObject(await readForm(request)));
  if (!parsed.ok) {
    const [field, message] = Object.entries(parsed.fieldErrors)[0] ?? [null, "Invalid request"];
    return Response.json(
      { ok: false, message: message ?? "Invalid request", ...(field === "note" ? { field: "note" } : {}) },
      { status: 400 },
    );
  }
  const input = parsed.data;
  switch (input.intent) {
    case "revealCode": {
      const revealed = await revealOfferCode(shop, incidentId, input.offerId, staff);
      return revealed.ok
        ? {
            ok: true,
            message: "Code revealed (this is recorded)",
            offerId: input.offerId,
            code: revealed.grouped,
            plainCode: revealed.code,
          }
        : Response.json({ ok: false, message: revealed.message }, { status: revealed.status });
    }
    case "approve":
    case "differentMakeGood": {
      if (!(await offerOfIncident(shop, incidentId, input.offerId))) return notFound();
      const value = input.intent === "differentMakeGood" ? input.value : undefined;
      return answer(await approveFromQueue(shop, input.offerId, staff, value));
    }
    case "close":
      return answer(await closeIncidentByHand(shop, incidentId, staff));
    case "resend":
      return answer(await resendMessage(shop, incidentId, input.offerId, staff, input.requestId));
    case "addNote":
      return answer(await addStaffNote(shop, incidentId, staff, input.note, input.requestId));
    case "retryIssue":
      return retry(shop, incidentId, input.offerId, staff);
  }
};

/** Retry issuing a FAILED make-good (its error shown above the button): back to APPROVED with an issue job. */
async function retry(shop: string, incidentId: string, id: string, staff: { userId: string; accountOwner?: boolean }) {
  const denied = await permissionRefusal(shop, staff, "retryIssue", "retry issuing");
  if (denied) return answer(denied);
  if (!(await offerOfIncident(shop, incidentId, id))) return notFound();
  let retried: boolean;
  try {
    retried = await retryIssue(shop, id, staff.userId);
  } catch (error) {
    if (error instanceof RetryRefusedError)
      return Response.json({ ok: false, message: error.message }, { status: 422 });
    throw error;
  }
  return retried
    ? { ok: true, message: "Issuing again: the make-good goes out in a moment." }
    : Response.json(
        { ok: false, message: "This make-good is not failed any more (someone retried it already)." },
        { status: 409 },
      );
}
