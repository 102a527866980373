import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";

/** Shopify opens the app with ?shop=...; send it into the embedded app. Anything else gets a short explanation. */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const url = new URL(request.url);
  if (url.searchParams.get("shop")) throw redirect(`/app?${url.searchParams.toString()}`);
  return null;
};

export default function Index() {
  return (
    <main style={{ fontFamily: "Inter, system-ui, sans-serif", maxWidth: 640, margin: "4rem auto", padding: "0 1rem" }}>
      <h1>Amends</h1>
      <p>
        Amends notices when your store lets a customer down (a late order, a lost parcel, a refund, a cancellation),
        offers a fair make-good from your compensation grid, and measures whether the customer came back.
      </p>
      <p>Install it from the Shopify App Store or open it from your store&apos;s admin.</p>
    </main>
  );
}
