/** The grid editor's data, and its two actions: save the draft as a new version, restore an old one. */
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { formObject, jsonField, parseWith, type FieldErrors } from "../../forms";
import { draftVariantIds } from "../../recovery/grid/editing";
import { giftVariantDetails } from "../../services/gift-products.server";
import {
  loadGridEditor,
  mayEditGrid,
  NOT_ALLOWED_MESSAGE,
  restoreGridVersion,
  saveGridDraft,
} from "../../services/grid-editor.server";
import { interactiveAdmin } from "../../shopify/admin.server";
import { AdminApiError } from "../../shopify/admin-errors";
import { staffContext } from "../../staff.server";
import { readForm } from "../../http/read-form.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop, admin, staff } = await staffContext(request);
  const [editor, canEdit] = await Promise.all([loadGridEditor(shop), mayEditGrid(shop, staff)]);
  const ids = draftVariantIds(editor.draft);
  let variantTitles: Record<string, string> = {};
  if (ids.length > 0) {
    try {
      variantTitles = (await giftVariantDetails(interactiveAdmin(admin.admin, shop), ids, editor.currency)).titles;
    } catch (error) {
      // Titles are a nicety: without Shopify the cells still show the variant id.
      if (!(error instanceof AdminApiError)) throw error;
    }
  }
  return { ...editor, variantTitles, canEdit };
};

const restoreForm = z.object({
  version: z.coerce.number().int("choose a version").min(1, "choose a version"),
});

export type GridActionResult =
  | { ok: true; intent: "save"; version: number }
  | { ok: true; intent: "restore"; version: number; restored: number }
  | { ok: false; fieldErrors: FieldErrors };

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, staff } = await staffContext(request);
  const form = await readForm(request);
  const intent = form.get("intent");
  if (intent === "save") {
    const result = await saveGridDraft(shop, staff, jsonField(form));
    if (!result.ok)
      return data<GridActionResult>(
        { ok: false, fieldErrors: result.fieldErrors },
        { status: result.fieldErrors.form === NOT_ALLOWED_MESSAGE ? 403 : 400 },
      );
    return data<GridActionResult>({
      ok: true,
      intent: "save",
      version: result.version.version,
    });
  }
  if (intent === "restore") {
    const parsed = parseWith(restoreForm, formObject(form));
    if (!parsed.ok) return data<GridActionResult>({ ok: false, fieldErrors: parsed.fieldErrors }, { status: 400 });
    const result = await restoreGridVersion(shop, staff, parsed.data.version);
    if (!result.ok) {
      const message =
        result.reason === "UNKNOWN_TEMPLATE"
          ? `Version ${parsed.data.version} cannot be restored: ${result.message}`
          : result.reason === "NOT_ALLOWED"
            ? NOT_ALLOWED_MESSAGE
            : result.reason === "NOT_FOUND"
              ? `There is no version ${parsed.data.version} of this shop's grid.`
              : `Version ${parsed.data.version} is already the current grid.`;
      return data<GridActionResult>(
        { ok: false, fieldErrors: { version: message } },
        { status: result.reason === "NOT_ALLOWED" ? 403 : result.reason === "NOT_FOUND" ? 404 : 400 },
      );
    }
    return data<GridActionResult>({
      ok: true,
      intent: "restore",
      version: result.version.version,
      restored: result.restored,
    });
  }
  return data<GridActionResult>({ ok: false, fieldErrors: { form: "Unknown action." } }, { status: 400 });
};
