export type { LifecycleAssessment, LifecycleFacts, LifecycleSettings, LifecycleStage } from "./lifecycle";
export {
  classifyLifecycle,
  DEFAULT_LIFECYCLE_SETTINGS,
  describeLifecycle,
  LIFECYCLE_STAGE_LABELS,
  LIFECYCLE_STAGES,
  lifecycleSettingsSchema,
} from "./lifecycle";
