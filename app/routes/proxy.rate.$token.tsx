/**
 * The customer's rating page through the shop's storefront (decision 0117): Shopify's app proxy
 * forwards https://<shop>/apps/amends/rate/<token> here (shopify.app.toml [app_proxy]), adding
 * shop, path_prefix, timestamp and logged_in_customer_id to the query and signing it with the app
 * secret in `signature`. authenticate.public.appProxy checks that signature (HMAC-SHA256 of the
 * sorted parameters, as Shopify documents) and its timestamp, and answers 400 when either is wrong;
 * the token must then name the shop Shopify signed for. The page is the same as /rate/<token>, as
 * plain HTML (text/html, so the storefront shows it as is, not inside the theme).
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { handleRatingRequest } from "../services/ratings/handler.server";
import { APP_PROXY_PATH } from "../services/ratings/links.server";
import { authenticate } from "../shopify.server";

/** Shopify's app proxy prefixes: apps, a, community or tools, then the app's subpath. */
const PATH_PREFIX = /^\/(apps|a|community|tools)\/[A-Za-z0-9_-]{1,64}$/;

async function handle({ request, params }: LoaderFunctionArgs | ActionFunctionArgs) {
  await authenticate.public.appProxy(request);
  const query = new URL(request.url).searchParams;
  const shop = query.get("shop") ?? "";
  const given = query.get("path_prefix") ?? "";
  const prefix = PATH_PREFIX.test(given) ? given : APP_PROXY_PATH;
  const token = params.token ?? "";
  return handleRatingRequest({
    request,
    token,
    channel: "APP_PROXY",
    formAction: `${prefix}/rate/${encodeURIComponent(token)}`,
    proxyShop: shop,
  });
}

export const loader = (args: LoaderFunctionArgs) => handle(args);
export const action = (args: ActionFunctionArgs) => handle(args);
