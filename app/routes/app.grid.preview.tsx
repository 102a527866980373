/**
 * The grid editor's preview: the draft grid (JSON in `payload`) replayed against the last
 * 90 days of this shop's incidents, next to the current grid. Loaded on demand by a button,
 * never on every keystroke: it reads up to PREVIEW_CAP incidents. An optional `stage` (a lifecycle
 * stage, decision 0115) replays only the incidents of that stage's customers; any other value is
 * refused with a 400, never silently widened to every incident.
 */
import { interactiveAdmin } from "../shopify/admin.server";
import type { ActionFunctionArgs } from "@remix-run/node";
import { jsonField } from "../forms";
import { parseDraft } from "../services/grid-editor.server";
import { giftVariantPrices } from "../services/gift-products.server";
import { previewGrid } from "../services/grid-preview.server";
import { AdminApiError } from "../shopify/admin-errors";
import { staffContext } from "../staff.server";
import { readForm } from "../http/read-form.server";
import { LIFECYCLE_STAGES, type LifecycleStage } from "../recovery/lifecycle";

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, admin } = await staffContext(request);
  const form = await readForm(request);
  const rawStage = form.get("stage");
  const stage = typeof rawStage === "string" && rawStage !== "" ? rawStage : null;
  if (stage !== null && !(LIFECYCLE_STAGES as readonly string[]).includes(stage))
    return Response.json(
      { preview: null, fieldErrors: { stage: `Unknown lifecycle stage "${stage.slice(0, 40)}"` } },
      { status: 400 },
    );
  const parsed = await parseDraft(shop, jsonField(form));
  if (!parsed.ok) return Response.json({ preview: null, fieldErrors: parsed.fieldErrors }, { status: 400 });
  const client = interactiveAdmin(admin.admin, shop);
  const preview = await previewGrid(
    shop,
    parsed.grid,
    async (ids, currency) => {
      try {
        return await giftVariantPrices(client, ids, currency);
      } catch (error) {
        // Without prices the gifts count at 0 and the preview says how many it could not price.
        if (error instanceof AdminApiError) return {};
        throw error;
      }
    },
    { stage: stage as LifecycleStage | null },
  );
  return { preview, fieldErrors: null };
};
