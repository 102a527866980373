/**
 * Settings (decision 0126): this layout loads the whole settings form once and takes every save
 * (one save path); the index (app.settings._index) lists the sections with their current values
 * and each section has its own page (app.settings.$section) with its own save bar.
 */
import type { MetaFunction } from "@remix-run/node";
import { Outlet, type ShouldRevalidateFunction } from "@remix-run/react";

export { action, loader, type SettingsActionData } from "./route.server";

export const meta: MetaFunction = () => [{ title: "Settings · Amends" }];

// A test send changes nothing the page shows; reloading would only throw away unsaved edits.
export const shouldRevalidate: ShouldRevalidateFunction = ({ formData, defaultShouldRevalidate }) =>
  formData?.get("intent") === "testEmail" ? false : defaultShouldRevalidate;

export default function SettingsLayout() {
  return <Outlet />;
}
