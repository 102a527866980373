/** The settings layout's data, read by the index and the section pages. */
import { useRouteLoaderData } from "@remix-run/react";
import type { loader } from "./route.server";

/** The layout route's id (app/routes/app.settings/route.tsx). */
export const SETTINGS_ROUTE_ID = "routes/app.settings";
/** Where every settings form posts: the layout's action (an index route would need ?index). */
export const SETTINGS_ACTION = "/app/settings";

export function useSettingsData() {
  const data = useRouteLoaderData<typeof loader>(SETTINGS_ROUTE_ID);
  // The layout's loader ran before any child renders; without it this is not a settings page.
  if (!data) throw new Error("Settings data missing: rendered outside /app/settings");
  return data;
}
