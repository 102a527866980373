export type { Arm, ArmAssignment, CellExperiment } from "./arms";
export { armDraw, armName, assignArm, cellExperiment } from "./arms";
export type { ArmEntry } from "./arms-field";
export type { ArmTiming } from "./arms-field";
export { ARM_LETTERS, ARM_TIMINGS, MAX_ARMS, MIN_ARMS } from "./arms-field";
export { NEXT_MORNING_HOUR, nextMorning } from "./timing";
export type {
  ArmAssignmentRecord,
  ArmRatingRecord,
  ArmsCsat,
  ArmComparison,
  ArmGroup,
  ArmsExperiment,
  ArmsInput,
  ArmsReadout,
  ArmsSettings,
} from "./readout";
export { armsExperiments, PAIRWISE_Z } from "./readout";
