/**
 * Gift product search for the grid editor outside the admin (the demo has no App Bridge
 * resource picker): variants whose product title matches `q`, read as the signed-in member.
 */
import { interactiveAdmin } from "../shopify/admin.server";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { parseWith } from "../forms";
import { searchGiftProducts } from "../services/gift-products.server";
import { AdminApiError } from "../shopify/admin-errors";
import { staffContext } from "../staff.server";

const searchQuery = z.object({
  q: z.string().max(100, "search for at most 100 characters").default(""),
});

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop, admin } = await staffContext(request);
  const parsed = parseWith(searchQuery, Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.ok) return Response.json({ options: [], fieldErrors: parsed.fieldErrors }, { status: 400 });
  try {
    return {
      options: await searchGiftProducts(interactiveAdmin(admin.admin, shop), parsed.data.q),
      fieldErrors: null,
    };
  } catch (error) {
    // Shopify being slow or throttled should not break the editor: the picker says it and the merchant retries.
    if (error instanceof AdminApiError)
      return Response.json(
        {
          options: [],
          fieldErrors: {
            q: "Products could not be loaded from Shopify just now; try again.",
          },
        },
        { status: 503 },
      );
    throw error;
  }
};
