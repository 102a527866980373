/**
 * The sandbox's Admin GraphQL API: a faithful local stand-in for Shopify's
 * Admin API 2026-10 over the in-memory store. See README.md in this folder
 * for what is modelled and what is not.
 */
export { createAdminApi, INVALID_TOKEN_BODY, type AdminApi, type CallOutcome, type CallRecord } from "./handlers";
export {
  setCustomerAccountsVersion,
  setCustomerStatistics,
  type AdminApiOptions,
  type CustomerAccountsVersion,
  type CustomerStatistics,
} from "./context";
export { ScopeGrants } from "./scopes";
export { Faults, DEFAULT_TIMEOUT_MS, type FaultSettings } from "./faults";
export { RateLimits, bucketForPlan, type BucketSettings, type ThrottleStatus } from "./rate-limit";
export { MAX_SINGLE_QUERY_COST, MUTATION_COST } from "./cost";
export { ADMIN_API_VERSION, adminSchema } from "./schema";
export { NOT_MODELLED } from "./errors";
