export type {
  AttributableHoldout,
  AttributableIncident,
  AttributableOffer,
  Attribution,
  AttributionOrder,
  AttributionSettings,
  AttributionSettingsInput,
  Redemption,
  WonBack,
} from "./attribution";
export { DEFAULT_ATTRIBUTION_SETTINGS, attributeOrder, attributionSettingsSchema } from "./attribution";
