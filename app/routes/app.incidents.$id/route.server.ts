/**
 * The incident page's data, and its actions: retry issuing a FAILED make-good; reveal a
 * make-good's full code (MANAGER or OWNER, audited; everyone else sees the last four characters).
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { formObject, parseWith } from "../../forms";
import { incidentDetail } from "../../services/incidents-view.server";
import { retryIssue, RetryRefusedError } from "../../services/issuing.server";
import { codeRevealAuthority, revealOfferCode } from "../../services/offer-codes.server";
import { staffContext } from "../../staff.server";
import { readForm } from "../../http/read-form.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop, staff } = await staffContext(request);
  const detail = await incidentDetail(shop, params.id ?? "");
  // Another shop's incident is as unknown as a made-up id: nothing tells them apart.
  if (!detail)
    throw new Response("Incident not found", {
      status: 404,
      statusText: "Not Found",
    });
  const { canReveal } = await codeRevealAuthority(shop, staff);
  return { ...detail, canRevealCodes: canReveal };
};

const actionSchema = z.object({
  intent: z.enum(["retryIssue", "revealCode"]),
  offerId: z.uuid("Not an offer of this incident"),
});

/** Retry issuing a FAILED make-good (its error shown above the button): back to APPROVED with an issue job. */
export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { shop, staff } = await staffContext(request);
  const input = parseWith(actionSchema, formObject(await readForm(request)));
  if (!input.ok)
    return Response.json(
      { ok: false, message: Object.values(input.fieldErrors)[0] ?? "Invalid request" },
      { status: 400 },
    );
  if (input.data.intent === "revealCode") {
    const revealed = await revealOfferCode(shop, params.id ?? "", input.data.offerId, staff);
    return revealed.ok
      ? { ok: true, message: "Code revealed (this is recorded)", offerId: input.data.offerId, code: revealed.grouped }
      : Response.json({ ok: false, message: revealed.message }, { status: revealed.status });
  }
  const detail = await incidentDetail(shop, params.id ?? "");
  if (!detail || !detail.offers.some((o) => o.id === input.data.offerId))
    return Response.json({ ok: false, message: "No such make-good on this incident" }, { status: 404 });
  let retried: boolean;
  try {
    retried = await retryIssue(shop, input.data.offerId, staff.userId);
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
};
