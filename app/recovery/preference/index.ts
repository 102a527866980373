export type { PreferableKind, Preference, Redemption, RedemptionHistory } from "./preference";
export {
  describePreference,
  learnPreference,
  PREFERABLE_KIND_WORDS,
  PREFERABLE_KINDS,
  PREFERENCE_WINDOW,
  preferableKindOf,
} from "./preference";
