/** POST /app/privacy/:id/export.json: a data request's export, once (the download deletes it). */
import type { ActionFunctionArgs } from "@remix-run/node";
import { downloadExport } from "../services/privacy/exports.server";
import { staffContext } from "../staff.server";

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { shop, staff } = await staffContext(request);
  const id = params.id ?? "";
  if (request.method !== "POST" || !/^[0-9a-f-]{36}$/i.test(id)) {
    return new Response("Not found", { status: 404, headers: { "content-type": "text/plain; charset=utf-8" } });
  }
  const result = await downloadExport(shop, staff, id);
  if (!result.ok)
    return new Response(result.message, {
      status: result.status,
      headers: { "content-type": "text/plain; charset=utf-8" },
    });
  return new Response(result.body, {
    headers: {
      "content-type": "application/json; charset=utf-8",
      "content-disposition": `attachment; filename="${result.filename}"`,
      "cache-control": "private, no-store",
    },
  });
};
