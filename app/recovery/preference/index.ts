export type { PreferableKind, Preference, RedeemedOffer, RedemptionHistory } from "./preference";
export {
  describePreference,
  learnPreference,
  PREFERABLE_KIND_WORDS,
  PREFERABLE_KINDS,
  PREFERENCE_WINDOW,
  preferableKindOf,
} from "./preference";
