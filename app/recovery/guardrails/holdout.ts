/**
 * The holdout draw: a number in [0, 1) that depends on the incident id alone,
 * so the same incident always lands in the same group, on any machine, after
 * any retry. SHA-256 spreads ids that differ in one character as well as
 * random ones. The namespace keeps this draw independent of any other use of
 * a hash of the same id. See docs/decisions/0105-decision-guardrails.md.
 */
import { sha256 } from "./sha256";

const NAMESPACE = "amends/holdout/v1:";
const TWO_POW_48 = 2 ** 48;

export function holdoutDraw(incidentId: string): number {
  const digest = sha256(new TextEncoder().encode(NAMESPACE + incidentId));
  let value = 0;
  // 48 bits fit a double exactly and leave no visible granularity.
  for (let i = 0; i < 6; i += 1) value = value * 256 + (digest[i] ?? 0);
  return value / TWO_POW_48;
}

/** A share of 0 never holds out (the draw is never below 0); 0.1 holds out about one in ten. */
export function isHeldOut(draw: number, share: number): boolean {
  return draw < share;
}
