export type { MinorUnits } from "./money";
export {
  assertMinorUnits,
  currencyExponent,
  formatMoney,
  fromMinorUnits,
  percentOf,
  sumMinor,
  toMinorUnits,
} from "./money";
