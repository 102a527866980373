/** /app/settings: the list of settings pages with their current values (decision 0126). */
import { SettingsIndex } from "../app.settings/SettingsIndex";

export default function SettingsIndexRoute() {
  return <SettingsIndex />;
}
