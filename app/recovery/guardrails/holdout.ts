/**
 * The holdout draw: a number in [0, 1) that depends on the incident id alone,
 * so the same incident always lands in the same group, on any machine, after
 * any retry. SHA-256 spreads ids that differ in one character as well as
 * random ones. The namespace keeps this draw independent of any other use of
 * a hash of the same id. See docs/decisions/0105-decision-guardrails.md.
 */
import { MS_PER_DAY } from "../time";
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

/** An earlier incident of the same customer that went through the draw, and the group it is in. */
export interface StandingAssignment {
  incidentId: string;
  holdout: boolean;
  detectedAt: Date;
}

/**
 * The assignment still in force for a customer when a new incident is detected at `at`: their
 * latest drawn incident detected within the attribution window before it. A customer's incidents
 * then share one group for as long as one window overlaps the next (decision 0111): a held-out
 * customer never gets a make-good that would reach into a held-out incident's window, and a
 * treated one is never held out in the middle of a recovery.
 */
export function standingAssignment(
  earlier: readonly StandingAssignment[],
  at: Date,
  windowDays: number,
): StandingAssignment | null {
  const from = at.getTime() - windowDays * MS_PER_DAY;
  let latest: StandingAssignment | null = null;
  for (const e of earlier) {
    const t = e.detectedAt.getTime();
    if (t < from || t > at.getTime()) continue;
    if (!latest || t > latest.detectedAt.getTime()) latest = e;
  }
  return latest;
}

export type HoldoutAssignment =
  | { source: "DRAW"; holdout: boolean; draw: number }
  | { source: "CUSTOMER"; holdout: boolean; draw: number; standing: StandingAssignment };

/** The group of a new incident: the customer's standing assignment if one is in force, else a fresh draw. */
export function assignHoldout(
  incidentId: string,
  standing: StandingAssignment | null,
  share: number,
): HoldoutAssignment {
  const draw = holdoutDraw(incidentId);
  if (standing) return { source: "CUSTOMER", holdout: standing.holdout, draw, standing };
  return { source: "DRAW", holdout: isHeldOut(draw, share), draw };
}
