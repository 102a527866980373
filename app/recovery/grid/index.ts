export type {
  CellOf,
  Grid,
  GridCell,
  GridCellInput,
  GridFieldError,
  GridInput,
  GridParse,
  GridVersion,
  PreferredKindOption,
} from "./schema";
export {
  gridCellSchema,
  gridSchema,
  gridVersionSchema,
  nextGridVersion,
  parseGrid,
  preferredKindSchema,
  templateKeyIssues,
  writableGridCellSchema,
} from "./schema";
export type { ResolvedCell, ValuationContext } from "./cells";
export {
  describeCell,
  describePreferredOption,
  faceValue,
  giftVariantIds,
  mayReplace,
  PREFERRED_EXPIRY_DAYS,
  preferredCell,
  resolveCell,
  withoutPreferredOption,
} from "./cells";
export { DEFAULT_GRID, INSTALL_GRID, PLAYBOOK_STAGE_CELLS } from "./default-grid";
export type { ReplacementLine } from "./schema";
export { replacementLineSchema } from "./schema";
