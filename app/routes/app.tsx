import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Outlet, useLoaderData, useRouteError } from "@remix-run/react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import { boundary } from "@shopify/shopify-app-remix/server";
import { AppNavigation } from "../components/AppNavigation";
import { FeedbackProvider } from "../components/Feedback";
import { env } from "../env.server";
import { authenticate } from "../shopify.server";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  // The demo renders outside the Shopify admin (no App Bridge offline); authentication is the same.
  return { apiKey: env().SHOPIFY_API_KEY, embedded: !env().AMENDS_DEMO, shop: session.shop };
};

export default function AppLayout() {
  const { apiKey, embedded, shop } = useLoaderData<typeof loader>();
  return (
    <AppProvider isEmbeddedApp={embedded} apiKey={apiKey}>
      <AppNavigation embedded={embedded} shop={shop} />
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
