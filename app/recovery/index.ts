/**
 * Amends's recovery domain: pure functions from facts to incidents, severity,
 * tiers, decisions, attribution and metrics. No I/O, no clock, no randomness:
 * the caller reads the world, passes it in (including `now`) and writes the
 * result. See docs/decisions/0099 for the rules and docs/decisions/01xx for the
 * choices made where it is silent.
 */
export * from "./vocabulary";
export * from "./errors";
export type { JsonObject, JsonPrimitive, JsonValue } from "./json";
export * from "./money";
export * from "./time";
export * from "./incidents";
export * from "./severity";
export * from "./tiers";
export * from "./lifecycle";
export * from "./preference";
export * from "./grid";
export * from "./guardrails";
export * from "./decide";
export * from "./attribution";
export * from "./metrics";
export * from "./messages";
export * from "./settings";
export * from "./discount-groups";
export * from "./offers";
export * from "./redact";
export * from "./replacement/lines";
export * from "./experiments";
