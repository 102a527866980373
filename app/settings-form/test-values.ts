/** The settings form's values for a shop with every default, for the settings-form tests. */
import { DEFAULT_RECOVERY_SETTINGS } from "../recovery";
import { NO_MESSAGE_OVERRIDES } from "../recovery/messages/overrides";
import { settingsValues, type OfferSettingsView } from ".";

/** The stored offer settings' defaults (offerSettingsSchema), with `changes` applied. */
export function offersView(changes: Partial<OfferSettingsView> = {}): OfferSettingsView {
  return {
    escalateAfterHours: 4,
    expireAfterHours: 48,
    followUpAfterHours: 48,
    acknowledgeWithinMinutes: 15,
    notifyStoreCredit: true,
    notifyGiftCard: true,
    email: null,
    digestEmailTo: null,
    ...changes,
  };
}

/** The form's values for default settings in `currency`, the offer settings `offers`. */
export function defaultFormValues(currency = "USD", offers: OfferSettingsView = offersView()) {
  return settingsValues(DEFAULT_RECOVERY_SETTINGS, offers, NO_MESSAGE_OVERRIDES, currency);
}
