/**
 * The settings page's form, shared by the page (its state and preview) and the settings service
 * (turning a submitted form into the stored document).
 */
export * from "./values";
export { formToDocument, friendlyMessage, type SubmittedSections } from "./to-document";
export { previewMessage } from "./preview";
export { protectedDataNote, type ProtectedDataNote } from "./protected-data";
export {
  isSettingsPage,
  SETTINGS_PAGES,
  settingsHref,
  settingsPage,
  settingsPageOf,
  settingsPageSummary,
  type SettingsPageSlug,
} from "./pages";
