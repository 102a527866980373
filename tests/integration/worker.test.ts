import { afterEach, beforeEach, expect, test } from "vitest";
import { prisma } from "../../app/db.server";
import { processingHooks } from "../../app/services/webhook-processing.server";
import { jobs, truncateAll } from "../helpers/db";
import { examplePayload, sendWebhook } from "../helpers/webhooks";
import { waitFor } from "../helpers/wait";
import { startTestWorker, startWorkerProcess, type TestWorker } from "../helpers/worker";

let workers: TestWorker[] = [];

beforeEach(truncateAll);
afterEach(async () => {
  processingHooks.beforeCommit = undefined;
  await Promise.all(workers.map((w) => w.stop()));
  workers = [];
});

async function worker() {
  const w = await startTestWorker();
  workers.push(w);
  return w;
}

const deliveryStatus = (webhookId: string) =>
  prisma.webhookDelivery.findFirst({ where: { webhookId }, select: { status: true, attempts: true, lastError: true } });

test("the worker processes a stored delivery and completes its job", async () => {
  await sendWebhook({ topic: "orders/create", body: examplePayload("orders/create"), webhookId: "w1" });
  await worker();

  await waitFor(async () => (await deliveryStatus("w1"))?.status === "PROCESSED");
  await waitFor(async () => (await jobs()).length === 0);
  expect(await prisma.orderRecord.count()).toBe(1);
});

test("a malformed delivery is marked FAILED once and the worker keeps processing the rest", async () => {
  await sendWebhook({ topic: "orders/create", body: "not json at all", webhookId: "bad" });
  await sendWebhook({
    topic: "orders/create",
    body: { ...examplePayload("orders/create"), line_items: "nope" },
    webhookId: "bad2",
  });
  await sendWebhook({ topic: "orders/create", body: examplePayload("orders/create"), webhookId: "good" });
  await worker();

  await waitFor(async () => (await deliveryStatus("good"))?.status === "PROCESSED");
  await waitFor(async () => (await jobs()).length === 0);
  expect(await deliveryStatus("bad")).toMatchObject({ status: "FAILED", attempts: 1 });
  expect(await deliveryStatus("bad2")).toMatchObject({
    status: "FAILED",
    attempts: 1,
    lastError: expect.stringMatching(/line_items/),
  });
});

test("a transient failure is retried with backoff and recorded on the delivery", async () => {
  processingHooks.beforeCommit = async () => {
    throw new Error("connection reset by peer");
  };
  await sendWebhook({ topic: "orders/create", body: examplePayload("orders/create"), webhookId: "flaky" });
  await worker();

  const [job] = await waitFor(async () => {
    const pending = await jobs("process-webhook");
    return pending[0]?.attempts === 1 && pending[0].locked_at === null ? pending : undefined;
  });
  expect(job?.last_error).toMatch(/connection reset/);
  expect(job!.run_at.getTime()).toBeGreaterThan(Date.now());
  expect(await deliveryStatus("flaky")).toMatchObject({
    status: "RECEIVED",
    attempts: 1,
    lastError: "connection reset by peer",
  });
  // Nothing of the failed attempt was kept.
  expect(await prisma.orderRecord.count()).toBe(0);

  processingHooks.beforeCommit = undefined;
  await prisma.$executeRaw`UPDATE graphile_worker._private_jobs SET run_at = now()`;
  await waitFor(async () => (await deliveryStatus("flaky"))?.status === "PROCESSED");
  expect(await prisma.orderRecord.count()).toBe(1);
});

test("a delivery whose last attempt fails is marked FAILED, visible with its error", async () => {
  processingHooks.beforeCommit = async () => {
    throw new Error("database is on fire");
  };
  await sendWebhook({ topic: "orders/create", body: examplePayload("orders/create"), webhookId: "doomed" });
  // Pretend seven attempts already failed, so the next is the last of eight.
  await prisma.$executeRaw`UPDATE graphile_worker._private_jobs SET attempts = max_attempts - 1`;
  await worker();

  await waitFor(async () => (await deliveryStatus("doomed"))?.status === "FAILED");
  expect(await deliveryStatus("doomed")).toMatchObject({ status: "FAILED", lastError: "database is on fire" });
});

test("a job whose worker process is killed mid-run completes exactly once on a new worker", async () => {
  await sendWebhook({ topic: "orders/create", body: examplePayload("orders/create"), webhookId: "killed" });
  const doomed = await startWorkerProcess({ stall: true });

  // The worker has made every write of the delivery and stalls before committing: kill it outright.
  doomed.kill("SIGKILL");
  await new Promise((resolve) => doomed.once("exit", resolve));
  const [stuck] = await jobs("process-webhook");
  expect(stuck).toMatchObject({ attempts: 1, locked_at: expect.any(Date) });
  expect(await deliveryStatus("killed")).toMatchObject({ status: "RECEIVED" });
  expect(await prisma.orderRecord.count()).toBe(0);

  // graphile-worker frees a job held by a dead worker once its lock is 4 hours old; skip the wait.
  await prisma.$executeRaw`UPDATE graphile_worker._private_jobs SET locked_at = now() - interval '5 hours'`;
  await worker();
  await waitFor(async () => (await deliveryStatus("killed"))?.status === "PROCESSED", 15_000);
  await waitFor(async () => (await jobs()).length === 0);
  expect(await prisma.orderRecord.count()).toBe(1);
  expect(await prisma.webhookDelivery.count()).toBe(1);
});

test("two workers racing on the same delivery process it once", async () => {
  await sendWebhook({ topic: "orders/create", body: examplePayload("orders/create"), webhookId: "race" });
  const delivery = await prisma.webhookDelivery.findFirstOrThrow();
  // A duplicate job for the same delivery (as after a lost acknowledgement) runs alongside the first.
  await prisma.$executeRaw`SELECT graphile_worker.add_job('process-webhook', json_build_object('v', 1, 'shop', ${delivery.shop}::text, 'deliveryId', ${delivery.id}::text))`;
  await Promise.all([worker(), worker()]);

  await waitFor(async () => (await jobs()).length === 0);
  expect(await deliveryStatus("race")).toMatchObject({ status: "PROCESSED", attempts: 1 });
  expect(await prisma.orderRecord.count()).toBe(1);
});
