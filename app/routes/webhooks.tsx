/**
 * /webhooks as a Remix route: a thin adapter over the same core as the lean handler server.ts
 * mounts in front of Remix (app/http/webhook-ingest.server.ts, decision 0023), which is the one
 * that answers Shopify in the running app. Kept for anything that reaches the Remix build directly
 * (`shopify app dev`'s own server, tests that post to the action); both answer the same way.
 *
 * The body is read first and awaited at once: a client that hangs up mid-body (an aborted request)
 * costs a 400, not the process.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { receiveWebhook } from "../http/webhook-ingest.server";

async function answer(request: Request): Promise<Response> {
  let rawBody = "";
  if (request.method === "POST") {
    try {
      rawBody = await request.text();
    } catch {
      return new Response(null, { status: 400 });
    }
  }
  const { status, headers } = await receiveWebhook(request.method, request.headers, rawBody);
  return new Response(null, { status, ...(headers ? { headers } : {}) });
}

export function action({ request }: ActionFunctionArgs) {
  return answer(request);
}

export function loader({ request }: LoaderFunctionArgs) {
  return answer(request);
}
