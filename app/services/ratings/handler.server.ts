/**
 * One handler for both rating pages (decision 0117): the app's own (/rate/<token>, channel WEB) and
 * the storefront's app proxy (/proxy/rate/<token>, channel APP_PROXY, after Shopify's signature is
 * checked by the route). GET shows the page with the link's score chosen and records nothing; POST
 * records the rating once.
 */
import type { RatingChannel } from "@prisma/client";
import { readForm } from "../../http/read-form.server";
import { parseScore } from "../../recovery/ratings/token";
import { ratingPageResponse } from "./page";
import { ratingPage, recordRating } from "./ratings.server";

export interface RatingRequest {
  request: Request;
  token: string;
  channel: RatingChannel;
  /** Where the page's form posts (the same page, as the customer's browser sees it). */
  formAction: string;
  /** Through the app proxy: the shop Shopify signed for (the token must name the same shop). */
  proxyShop?: string;
}

export async function handleRatingRequest(input: RatingRequest): Promise<Response> {
  const proxyShop = input.proxyShop ?? null;
  if (input.request.method === "GET" || input.request.method === "HEAD") {
    const page = await ratingPage(input.token, proxyShop);
    const chosen = parseScore(new URL(input.request.url).searchParams.get("score"));
    if (page.kind === "READY") return ratingPageResponse({ ...page, formAction: input.formAction, chosen });
    // Opening a rated link again is not an error: the page says what was recorded (409 only for a second POST).
    return ratingPageResponse(page, page.kind === "USED" ? 200 : undefined);
  }
  if (input.request.method !== "POST")
    return new Response("Method not allowed", { status: 405, headers: { Allow: "GET, POST" } });
  const score = parseScore((await readForm(input.request)).get("score"));
  if (score === null) {
    const page = await ratingPage(input.token, proxyShop);
    return page.kind === "READY"
      ? ratingPageResponse(
          { ...page, formAction: input.formAction, chosen: null, problem: "Choose a score from 1 to 5, then send it." },
          400,
        )
      : ratingPageResponse(page);
  }
  const outcome = await recordRating({ token: input.token, score, channel: input.channel, proxyShop });
  return ratingPageResponse(outcome);
}
