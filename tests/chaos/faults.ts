/** The chaos suite's faults, in the order they run (a module without side effects, unlike run.ts). */
export const FAULTS = [
  "worker-kill",
  "admin-faults",
  "postgres-restart",
  "webhooks",
  "approvals",
  "clock-jump",
] as const;
export type FaultName = (typeof FAULTS)[number];
