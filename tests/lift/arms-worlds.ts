/**
 * Worlds for experiments with arms (issue 16 part 7, decision 0119): simulated shops whose grid
 * cell tries two make-goods of known true effect. Customers are drawn into the holdout by the
 * app's own holdout draw (sticky per customer, as standingAssignment keeps it) and into an arm by
 * the app's own arm draw; whether each incident's customer orders again is a coin with the
 * world's known probability; the app's own readout (armsExperiments) reads the result. Across many
 * shops: how often it names the truly better arm (power), the worse one, or any arm when the two
 * are equal (the false-winner rate it promises to keep at 5% or less per readout). The timing
 * world gives the same make-good at once (arm A) or the next morning (arm B), where same-day
 * recovery works better, and checks the readout answers in its "Same-day ..." sentence.
 */
import { armsExperiments, cellExperiment, assignArm, type ArmAssignmentRecord } from "../../app/recovery/experiments";
import { gridCellSchema } from "../../app/recovery/grid";
import { holdoutDraw, isHeldOut } from "../../app/recovery/guardrails";
import { Z_95 } from "../../app/recovery/metrics";
import type { IncidentRecord } from "../../app/recovery/metrics";
import { seededRandom } from "../../app/recovery/random";

export interface ArmsWorld {
  name: string;
  title: string;
  /** Incidents per shop: one readout round of exactly these many. */
  incidents: number;
  /** Customers per shop: fewer than incidents, so some customers have several incidents. */
  customers: number;
  holdoutShare: number;
  /** The held-out customers' chance to order again within the window. */
  baseline: number;
  /** Each arm's true lift over the holdout, by intent to treat. */
  armEffects: readonly number[];
  /** A timing experiment: the same make-good at once (arm A) or the next morning (arm B). */
  timing?: boolean;
}

export const ARMS_WORLDS: readonly ArmsWorld[] = [
  {
    name: "arms-better",
    title: "2 arms: arm B brings back 9 points more than arm A",
    incidents: 1_200,
    customers: 1_000,
    holdoutShare: 0.1,
    baseline: 0.2,
    armEffects: [0.03, 0.12],
  },
  {
    name: "arms-equal",
    title: "2 arms with the same true effect",
    incidents: 1_200,
    customers: 1_000,
    holdoutShare: 0.1,
    baseline: 0.2,
    armEffects: [0.06, 0.06],
  },
  {
    name: "arms-timing",
    title: "now vs next morning: same-day make-goods bring back 9 points more",
    incidents: 1_200,
    customers: 1_000,
    holdoutShare: 0.1,
    baseline: 0.2,
    armEffects: [0.12, 0.03],
    timing: true,
  },
];

const WINDOW_DAYS = 30;
const DAY = 86_400_000;
const START = Date.UTC(2026, 0, 1);

const CODE = { kind: "DISCOUNT_PERCENT", value: 15, expiryDays: 30, approval: "AUTO" };
const CREDIT = { kind: "STORE_CREDIT", value: 1_000, expiryDays: 60, approval: "AUTO" };
const EXPERIMENT = cellExperiment(
  gridCellSchema.parse({ ...CODE, arms: [{ offer: CODE }, { label: "$10 credit", offer: CREDIT }] }),
)!;
const TIMING_EXPERIMENT = cellExperiment(
  gridCellSchema.parse({ ...CREDIT, arms: [{ offer: CREDIT }, { offer: CREDIT, timing: "NEXT_MORNING" }] }),
)!;

export interface ArmsShopResult {
  /** The readout's winner (arm index), null for none; undefined when no readout could compare. */
  winner: number | null | undefined;
  /** Arm B - arm A as read, and whether its interval covered the truth. */
  difference: number | null;
  covered: boolean | null;
  /** The readout answered in the timing sentence ("Same-day make-goods brought back ..."). */
  timingSentence: boolean;
}

/** One simulated shop through the app's draws and readout. */
export function runArmsShop(world: ArmsWorld, seed: number): ArmsShopResult {
  const random = seededRandom(seed);
  const experiment = world.timing ? TIMING_EXPERIMENT : EXPERIMENT;
  const incidents: IncidentRecord[] = [];
  const assignments: ArmAssignmentRecord[] = [];
  // A customer's group is the draw of their first incident, kept for the rest (decision 0111).
  const heldOut = new Map<string, boolean>();
  for (let k = 0; k < world.incidents; k++) {
    const customerId = `gid://shopify/Customer/${seed}-${Math.floor(random() * world.customers)}`;
    const id = `${seed}-${k}`;
    const holdout = heldOut.get(customerId) ?? isHeldOut(holdoutDraw(id), world.holdoutShare);
    heldOut.set(customerId, holdout);
    const arm = holdout ? null : assignArm(experiment, customerId, id).index;
    const p = world.baseline + (arm === null ? 0 : (world.armEffects[arm] ?? 0));
    const wonBack = random() < p;
    incidents.push({
      id,
      type: "MERCHANT_CANCELLATION",
      severity: "major",
      occurredAt: new Date(START + k * 3_600_000),
      detectedAt: new Date(START + k * 3_600_000),
      customerId,
      eligible: true,
      holdout,
      wonBack,
      wonBackOrder: wonBack ? { id: `order-${id}`, totalMinor: 5_000 } : null,
      productIds: [],
      carriers: [],
      locations: [],
    });
    assignments.push({
      incidentId: id,
      experimentKey: experiment.key,
      arm,
      label: null,
      arms: 2,
      timing: arm === null ? null : (experiment.arms[arm]?.timing ?? "NOW"),
      timingOnly: experiment.timingOnly,
    });
  }
  const asOf = new Date(START + world.incidents * 3_600_000 + (WINDOW_DAYS + 2) * DAY);
  const [read] = armsExperiments(
    {
      incidents,
      offers: [],
      assignments,
      asOf,
      settings: { windowDays: WINDOW_DAYS, readoutIncidents: world.incidents },
    },
    { revenue: false },
  );
  const readout = read?.readouts[0];
  const comparison = readout?.comparisons[0];
  if (!readout || !comparison) return { winner: undefined, difference: null, covered: null, timingSentence: false };
  // Comparisons are arm A - arm B.
  const truth = (world.armEffects[0] ?? 0) - (world.armEffects[1] ?? 0);
  return {
    winner: readout.winner,
    difference: -comparison.difference,
    covered: comparison.interval.low <= truth && truth <= comparison.interval.high,
    timingSentence: readout.sentence.startsWith("Same-day make-goods brought back "),
  };
}

export interface ArmsSummary {
  world: ArmsWorld;
  shops: number;
  compared: number;
  /** Shares of compared readouts. */
  pickedBetter: number;
  pickedWorse: number;
  anyWinner: number;
  coverage: number;
  meanDifference: number;
  /** Power the plan promises for this world's difference (normal approximation). */
  plannedPower: number;
  better: number | null;
  /** Share of compared readouts that answered in the timing sentence. */
  timingSentences: number;
}

const Z_80 = 0.8416212335729143;

/** The normal CDF (Zelen and Severo 26.2.17, |error| < 7.5e-8). */
function phi(x: number): number {
  const t = 1 / (1 + 0.2316419 * Math.abs(x));
  const d = 0.3989422804014327 * Math.exp((-x * x) / 2);
  const q = d * t * (0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
  return x > 0 ? 1 - q : q;
}

export function summariseArmsWorld(world: ArmsWorld, shops: number, seed: number): ArmsSummary {
  let compared = 0;
  let better = 0;
  let worse = 0;
  let any = 0;
  let covered = 0;
  let sum = 0;
  let timingSentences = 0;
  const [ea, eb] = [world.armEffects[0] ?? 0, world.armEffects[1] ?? 0];
  const betterArm = ea === eb ? null : ea > eb ? 0 : 1;
  for (let s = 0; s < shops; s++) {
    const r = runArmsShop(world, (Math.imul(seed + 1, 0x9e3779b1) ^ Math.imul(s + 1, 0x85ebca6b)) >>> 0);
    if (r.winner === undefined) continue;
    compared++;
    if (r.winner !== null) any++;
    if (r.winner !== null && r.winner === betterArm) better++;
    if (r.winner !== null && betterArm !== null && r.winner !== betterArm) worse++;
    if (r.covered) covered++;
    if (r.timingSentence) timingSentences++;
    sum += r.difference ?? 0;
  }
  const perArm = world.incidents * (1 - world.holdoutShare) * 0.5;
  const pa = world.baseline + ea;
  const pb = world.baseline + eb;
  const se = Math.sqrt((pa * (1 - pa)) / perArm + (pb * (1 - pb)) / perArm);
  const plannedPower = betterArm === null ? 0 : phi(Math.abs(pb - pa) / se - Z_95);
  const n = Math.max(1, compared);
  return {
    world,
    shops,
    compared,
    pickedBetter: better / n,
    pickedWorse: worse / n,
    anyWinner: any / n,
    coverage: covered / n,
    meanDifference: sum / n,
    plannedPower,
    better: betterArm,
    timingSentences: timingSentences / n,
  };
}

export { Z_80 };
