export { DISCOUNT_GROUP_CAPACITY, discountGroupFor, discountGroupTitle } from "./discount-groups";
export type { DiscountGroupSpec, GroupedDiscountValue } from "./discount-groups";
