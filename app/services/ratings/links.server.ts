/**
 * Rating links (decision 0117): the key that signs them and where they point. The key is derived
 * from the app's secrets key (AMENDS_SECRETS_KEY, or SHOPIFY_API_SECRET when that is unset) with its
 * own HKDF label, so a rating token can never open a sealed secret or the other way round; rotating
 * the key ends every outstanding link (the page then says the link is not valid).
 *
 * Links point at the app's own public page (SHOPIFY_APP_URL/rate/<token>) unless
 * AMENDS_RATING_LINKS=storefront, when they go through the shop's storefront by the Shopify app
 * proxy (https://<shop>/apps/amends/rate/<token>, shopify.app.toml [app_proxy]). Both pages record
 * through the same service (ratings.server.ts).
 */
import { hkdfSync } from "node:crypto";
import { clock } from "../../clock.server";
import { env } from "../../env.server";
import { currentSecretKey } from "../../secrets.server";
import { RATING_LINK_MS, signRatingToken } from "../../recovery/ratings/token";

/** The storefront path Shopify's app proxy serves the page under (prefix "apps", subpath "amends"). */
export const APP_PROXY_PATH = "/apps/amends";
/** Where Shopify forwards app proxy requests on the app ([app_proxy] url in shopify.app.toml). */
export const APP_PROXY_ROUTE = "/proxy";

let key: Buffer | undefined;

export function ratingKey(): Buffer {
  key ??= Buffer.from(hkdfSync("sha256", currentSecretKey().bytes, Buffer.alloc(0), "amends rating links v1", 32));
  return key;
}

export type RatingLinkHome = "app" | "storefront";

export function ratingLinkHome(): RatingLinkHome {
  return env().AMENDS_RATING_LINKS;
}

export interface RatingLinks {
  /** The page with the five scores to choose from. */
  page: string;
  /** One link per score, 1 to 5: the page with that score chosen, one button to send it. */
  scores: string[];
  expiresAt: Date;
}

/** The links for an incident's rating, valid for 30 days from now. */
export function ratingLinks(shop: string, incidentId: string, home: RatingLinkHome = ratingLinkHome()): RatingLinks {
  const expiresAt = new Date(clock().now().getTime() + RATING_LINK_MS);
  const token = signRatingToken(ratingKey(), { shop, incidentId, expiresAt });
  const base =
    home === "storefront"
      ? `https://${shop}${APP_PROXY_PATH}/rate/${token}`
      : new URL(`/rate/${token}`, env().SHOPIFY_APP_URL).toString();
  return { page: base, scores: [1, 2, 3, 4, 5].map((score) => `${base}?score=${score}`), expiresAt };
}
