/**
 * Product titles for ids Amends keeps (root causes), read from the Admin API as the signed-in
 * member and cached for a few minutes per shop, so a dashboard reload does not read them again.
 * A failed read is not an error for the page: it shows the ids instead.
 */
import { clock } from "../clock.server";
import { logger } from "../logger.server";
import type { AdminClient } from "../shopify/admin-client.server";
import { productTitles } from "../shopify/operations/product-titles";

const TTL_MS = 10 * 60_000;
const MAX_SHOPS = 500;
const cache = new Map<string, Map<string, { title: string | null; at: number }>>();

export async function productNames(
  shop: string,
  ids: readonly string[],
  admin: AdminClient | undefined,
): Promise<Record<string, string>> {
  const now = clock().now().getTime();
  const known = cache.get(shop) ?? new Map<string, { title: string | null; at: number }>();
  const wanted = [...new Set(ids)].filter((id) => id.startsWith("gid://shopify/Product/"));
  const missing = wanted.filter((id) => {
    const hit = known.get(id);
    return !hit || now - hit.at >= TTL_MS;
  });
  if (missing.length > 0 && admin) {
    try {
      const { nodes } = await admin.run(productTitles, { ids: missing.slice(0, 25) });
      missing.forEach((id, index) => known.set(id, { title: nodes[index]?.title ?? null, at: now }));
      if (!cache.has(shop) && cache.size >= MAX_SHOPS) cache.delete(cache.keys().next().value!);
      cache.set(shop, known);
    } catch (error) {
      logger.warn(
        { shop, err: { message: error instanceof Error ? error.message : String(error) } },
        "product titles for the dashboard could not be read",
      );
    }
  }
  const names: Record<string, string> = {};
  for (const id of wanted) {
    const title = known.get(id)?.title;
    if (title) names[id] = title;
  }
  return names;
}

/** Tests: forget what was read. */
export function clearProductNames(): void {
  cache.clear();
}
