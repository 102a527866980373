import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Outlet, useLoaderData, useRouteError } from "@remix-run/react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import { boundary } from "@shopify/shopify-app-remix/server";
import { AppNavigation } from "../components/AppNavigation";
import { FeedbackProvider } from "../components/Feedback";
import { clock } from "../clock.server";
import { env } from "../env.server";
import { waitingDataRequests } from "../services/privacy/exports.server";
import { authenticate } from "../shopify.server";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  // Data requests waiting for a download are counted in the navigation (a count only, no customer).
  const waiting = await waitingDataRequests(session.shop, clock().now());
  // The demo renders outside the Shopify admin (no App Bridge offline); authentication is the same.
  return {
    apiKey: env().SHOPIFY_API_KEY,
    embedded: !env().AMENDS_DEMO,
    shop: session.shop,
    waitingDataRequests: waiting?.count ?? 0,
  };
};

export default function AppLayout() {
  const { apiKey, embedded, shop, waitingDataRequests } = useLoaderData<typeof loader>();
  return (
    <AppProvider isEmbeddedApp={embedded} apiKey={apiKey}>
      <AppNavigation embedded={embedded} shop={shop} waitingDataRequests={waitingDataRequests} />
      <FeedbackProvider embedded={embedded}>
        <Outlet />
      </FeedbackProvider>
    </AppProvider>
  );
}

export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
