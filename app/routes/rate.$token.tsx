/**
 * The customer's rating page on the app's own domain (decision 0117): public, no admin session; the
 * signed token in the path is the only credential. GET shows the page, POST records the rating.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { handleRatingRequest } from "../services/ratings/handler.server";

function handle({ request, params }: LoaderFunctionArgs | ActionFunctionArgs) {
  const token = params.token ?? "";
  return handleRatingRequest({
    request,
    token,
    channel: "WEB",
    formAction: `/rate/${encodeURIComponent(token)}`,
  });
}

export const loader = (args: LoaderFunctionArgs) => handle(args);
export const action = (args: ActionFunctionArgs) => handle(args);
