// TODO(lifecycle): callers move to app/queue/enqueue.server; then delete this file.
export { cancelShopJobs, enqueue, type JobOptions } from "../queue/enqueue.server";
