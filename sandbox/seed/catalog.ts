/** A small catalogue with a long tail of popularity: a few products sell most. */
import { createProduct } from "../activity/catalog";
import { money, type SandboxStore } from "../store";
import { PRODUCT_ADJECTIVES, PRODUCT_NOUNS, VARIANT_SETS, VENDORS } from "./names";
import type { Catalogue } from "./plan";
import type { Random } from "./prng";

/** More than a seeded history sells of any one variant (at most 100,000 orders in all). */
const SEEDED_STOCK = 1_000_000;

export function seedCatalogue(store: SandboxStore, domain: string, random: Random, count: number): Catalogue {
  const variants: Catalogue["variants"] = [];
  const cumulative: number[] = [];
  let total = 0;
  const used = new Set<string>();
  for (let i = 0; i < count; i++) {
    let title = `${random.pick(PRODUCT_ADJECTIVES)} ${random.pick(PRODUCT_NOUNS)}`;
    if (used.has(title)) title = `${title} ${i + 1}`;
    used.add(title);
    // Prices between about 8 and 250, most around 30.
    const price = Math.min(250, Math.max(8, Math.round(random.logNormal(Math.log(30), 0.6)))) - 0.01;
    const names = random.pick(VARIANT_SETS);
    const product = createProduct(store, domain, {
      title,
      vendor: random.pick(VENDORS),
      // Stocked for every order a seeded history can place (Amends's gifts take from it too).
      variants: names.map((name) => ({
        title: name,
        price: money.fromCents(Math.round(price * 100)),
        inventory: { quantity: SEEDED_STOCK },
      })),
    });
    // Zipf-like: the i-th product is 1/(i+1) as popular as the first.
    const popularity = 1 / (i + 1);
    for (const variant of product.variants) {
      total += popularity / product.variants.length;
      variants.push({ id: variant.id, priceCents: money.cents(variant.price) });
      cumulative.push(total);
    }
  }
  return { variants, cumulative };
}
