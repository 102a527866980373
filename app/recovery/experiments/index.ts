export type { Arm, ArmAssignment, CellExperiment } from "./arms";
export { armDraw, armName, assignArm, cellExperiment } from "./arms";
export type { ArmEntry } from "./arms-field";
export { ARM_LETTERS, MAX_ARMS, MIN_ARMS } from "./arms-field";
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
