import { Link } from "@shopify/polaris";

/** Inside the admin, App Bridge resolves shopify:admin links; in the demo the store admin opens in a new tab. */
export function AdminLink({
  embedded,
  shop,
  path,
  children,
}: {
  embedded: boolean;
  shop: string;
  path: string;
  children: string;
}) {
  return embedded ? (
    <Link url={`shopify:admin/${path}`}>{children}</Link>
  ) : (
    <Link url={`https://${shop}/admin/${path}`} target="_blank">
      {children}
    </Link>
  );
}
