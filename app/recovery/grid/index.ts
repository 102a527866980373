export type {
  CellOf,
  Grid,
  GridCell,
  GridCellInput,
  GridFieldError,
  GridInput,
  GridParse,
  GridVersion,
} from "./schema";
export {
  gridCellSchema,
  gridSchema,
  gridVersionSchema,
  nextGridVersion,
  parseGrid,
  templateKeyIssues,
  writableGridCellSchema,
} from "./schema";
export type { ResolvedCell, ValuationContext } from "./cells";
export { describeCell, faceValue, giftVariantIds, resolveCell } from "./cells";
export { DEFAULT_GRID } from "./default-grid";
