/**
 * A shop's permanent domain, as Shopify names shops in webhooks (X-Shopify-Shop-Domain), session
 * tokens and job payloads: `<handle>.myshopify.com`, lower case. Anything else in that place
 * (a path such as `../`, another host, an empty or 10 KB value) is refused before it is stored.
 */
const MYSHOPIFY_DOMAIN = /^[a-z0-9][a-z0-9-]{0,62}\.myshopify\.com$/;

export function isShopDomain(value: string): boolean {
  return MYSHOPIFY_DOMAIN.test(value);
}

export const SHOP_DOMAIN_PATTERN = MYSHOPIFY_DOMAIN;
