/** GET /app/export/offers.csv?from=YYYY-MM-DD&to=YYYY-MM-DD: the offers of the range as a CSV download. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { offersExport } from "../services/dashboard.server";
import { staffContext } from "../staff.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await staffContext(request);
  const url = new URL(request.url);
  const result = await offersExport(shop, { from: url.searchParams.get("from"), to: url.searchParams.get("to") });
  if (!result.ok)
    return new Response(result.problem, { status: 400, headers: { "content-type": "text/plain; charset=utf-8" } });
  return new Response(result.body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${result.filename}"`,
      "cache-control": "private, no-store",
    },
  });
};
