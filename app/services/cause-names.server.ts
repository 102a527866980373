/**
 * Names for the root causes Amends keeps as ids (issue 17 item 7, decision 0124): product titles,
 * read live from the Admin API (the signed-in member's on the dashboard, the
 * shop's offline token for the digest) and cached for a few minutes per shop, so a dashboard
 * reload does not read them again. The one path for the dashboard, the incidents filter and the
 * weekly digest. A failed read is not an error for the page: the id stands in (causeLabel).
 */
import { clock } from "../clock.server";
import { logger } from "../logger.server";
import type { AdminClient } from "../shopify/admin-client.server";
import { productTitles } from "../shopify/operations/product-titles";

const TTL_MS = 10 * 60_000;
const MAX_SHOPS = 500;
/** Shopify's `nodes` takes up to 250 ids; the operations ask for 25 at a time. */
const PAGE = 25;
const cache = new Map<string, Map<string, { name: string | null; at: number }>>();

type Read = (admin: AdminClient, ids: string[]) => Promise<Array<string | null>>;

const READS: Array<{ prefix: string; what: string; read: Read }> = [
  {
    prefix: "gid://shopify/Product/",
    what: "product titles",
    read: async (admin, ids) => (await admin.run(productTitles, { ids })).nodes.map((n) => n?.title ?? null),
  },
];

/**
 * The titles Shopify knows for these product GIDs, by id. Other keys (carriers and locations,
 * which are kept by name) and ids Shopify no longer knows are absent.
 */
export async function causeNames(
  shop: string,
  ids: readonly string[],
  admin: AdminClient | undefined,
): Promise<Record<string, string>> {
  const now = clock().now().getTime();
  const known = cache.get(shop) ?? new Map<string, { name: string | null; at: number }>();
  const names: Record<string, string> = {};
  for (const { prefix, what, read } of READS) {
    const wanted = [...new Set(ids)].filter((id) => id.startsWith(prefix));
    const missing = wanted.filter((id) => {
      const hit = known.get(id);
      return !hit || now - hit.at >= TTL_MS;
    });
    if (missing.length > 0 && admin) {
      try {
        for (let start = 0; start < missing.length; start += PAGE) {
          const page = missing.slice(start, start + PAGE);
          const pageNames = await read(admin, page);
          page.forEach((id, index) => known.set(id, { name: pageNames[index] ?? null, at: now }));
        }
      } catch (error) {
        logger.warn(
          { shop, err: { message: error instanceof Error ? error.message : String(error) } },
          `${what} of root causes could not be read`,
        );
      }
    }
    for (const id of wanted) {
      const name = known.get(id)?.name;
      if (name) names[id] = name;
    }
  }
  if (known.size > 0 && !cache.has(shop)) {
    if (cache.size >= MAX_SHOPS) cache.delete(cache.keys().next().value!);
    cache.set(shop, known);
  }
  return names;
}

/** Tests: forget what was read. */
export function clearCauseNames(): void {
  cache.clear();
}
