/**
 * One settings page, /app/settings/<section> (decision 0126). Its settings and saves are the
 * layout's; the Detection page also reads the shop's tags live for its tag pickers.
 */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData, type ShouldRevalidateFunction } from "@remix-run/react";
import { readShopTags } from "../../services/shop-tags.server";
import { isSettingsPage, settingsPage } from "../../settings-form";
import { interactiveAdmin } from "../../shopify/admin.server";
import { staffContext } from "../../staff.server";
import { SectionPage } from "../app.settings/SectionPage";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const slug = params.section;
  if (!isSettingsPage(slug)) throw new Response("No such settings page", { status: 404 });
  if (slug !== "detection") return { slug, tags: null };
  const { shop, admin } = await staffContext(request);
  return { slug, tags: await readShopTags(interactiveAdmin(admin.admin, shop)) };
};

// A save changes no tag of the shop: the tags are read again only when the page is opened.
export const shouldRevalidate: ShouldRevalidateFunction = ({ formMethod, defaultShouldRevalidate }) =>
  formMethod && formMethod.toUpperCase() !== "GET" ? false : defaultShouldRevalidate;

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${settingsPage(data.slug).title} · Settings · Amends` : "Settings · Amends" },
];

export default function SettingsSectionRoute() {
  const { slug, tags } = useLoaderData<typeof loader>();
  return <SectionPage slug={slug} tags={tags} />;
}
