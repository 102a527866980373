/** Every task the worker runs; the web process's in-process worker and `npm run worker` share it. */
import type { TaskList } from "graphile-worker";
import { processWebhook } from "./process-webhook.server";

export const taskList: TaskList = {
  "process-webhook": processWebhook,
};
