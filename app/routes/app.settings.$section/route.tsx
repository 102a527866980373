/** One settings page, /app/settings/<section> (decision 0126); its data and saves are the layout's. */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { isSettingsPage, settingsPage } from "../../settings-form";
import { SectionPage } from "../app.settings/SectionPage";

export const loader = ({ params }: LoaderFunctionArgs) => {
  const slug = params.section;
  if (!isSettingsPage(slug)) throw new Response("No such settings page", { status: 404 });
  return { slug };
};

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${settingsPage(data.slug).title} · Settings · Amends` : "Settings · Amends" },
];

export default function SettingsSectionRoute() {
  const { slug } = useLoaderData<typeof loader>();
  return <SectionPage slug={slug} />;
}
