/**
 * Where the dashboard loader's time goes, on bench:pages' data (production build of the modules is
 * not needed: the loader's cost is its queries and the report). `npx tsx tests/bench/pages/dashboard-loader-profile.ts [--calls=20]`
 * Starts an embedded PostgreSQL in a temporary folder, seeds it as bench:pages does, then times the
 * dashboard service and each of its reads separately, in this process. Prints p50 / p95 per part.
 */
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { distribution } from "../loop/report";
import { seedBenchShop } from "./seed";

const calls = Number(/--calls=(\d+)/.exec(process.argv.join(" "))?.[1] ?? 20);
const tmp = mkdtempSync(path.join(os.tmpdir(), "amends-dash-profile-"));
chmodSync(tmp, 0o755);
delete process.env.DATABASE_URL;
Object.assign(process.env, { EMBEDDED_DB_DIR: path.join(tmp, "pg"), LOG_LEVEL: "warn", NODE_ENV: "production" });

async function main(): Promise<void> {
  const { startEmbeddedApp } = await import("./embedded-app");
  const app = await startEmbeddedApp({ customers: 60, orders: 200, weeks: 4 });
  try {
    await seedBenchShop(app.shop, { orders: 100_000, incidents: 10_000 });
    const { prisma } = await import("../../../app/db.server");
    const metricsModel = await import("../../../app/models/metrics.server");
    const { dashboard } = await import("../../../app/services/dashboard.server");
    const { recoveryMetrics } = await import("../../../app/services/metrics.server");
    const { clock } = await import("../../../app/clock.server");
    const shop = app.shop;
    const now = clock().now();
    const period = { from: new Date(now.getTime() - 30 * 86_400_000), to: now };
    const parts: Record<string, () => Promise<unknown>> = {
      "dashboard() whole": () => dashboard(shop, {}),
      "recoveryMetrics()": () => recoveryMetrics(shop, { ...period, asOf: now }),
      "loadMetricsRows()": () => metricsModel.loadMetricsRows(shop, period, now),
      "period incidents": () => prisma.$queryRaw(metricsModel.incidentsQuery(shop, period)),
      "period offers": () => prisma.$queryRaw(metricsModel.offersQuery(shop, period)),
      "experiment incidents": () => prisma.$queryRaw(metricsModel.experimentIncidentsQuery(shop, now)),
      "exp. incidents, no rootCause": () =>
        prisma.$queryRawUnsafe(
          `SELECT i.id::text AS id, i.type::text AS type, i.severity::text AS severity, i."customerGid", i."occurredAt", i."detectedAt", i.decision, i.holdout, i."returnedAt", i."returnedOrderGid", i."returnedMinor" FROM "Incident" AS i WHERE i.shop = $1 AND i."detectedAt" <= $2 AND i.decision IN ('OFFER','HOLDOUT') ORDER BY i."detectedAt", i.id`,
          shop,
          now,
        ),
      "experiment offers": () => prisma.$queryRaw(metricsModel.experimentOffersQuery(shop, now)),
      // The loader's other reads, which run beside recoveryMetrics().
      "shopContext()": async () => (await import("../../../app/models/shop-settings.server")).shopContext(shop),
      "hasAnyIncident()": () => metricsModel.hasAnyIncident(shop),
      "deliveryCounts()": async () =>
        (await import("../../../app/models/webhook-retention.server")).deliveryCounts(shop, {
          fromDay: period.from.toISOString().slice(0, 10),
          toDay: now.toISOString().slice(0, 10),
          from: period.from,
          to: null,
        }),
      "currentGridReadOnly()": async () => (await import("../../../app/models/grid.server")).currentGridReadOnly(shop),
      "waitingDataRequests()": async () =>
        (await import("../../../app/services/privacy/exports.server")).waitingDataRequests(shop, now),
      "countFailedOffers()": async () =>
        (await import("../../../app/models/approval-queue.server")).countFailedOffers(shop),
    };
    // The summary in JavaScript, on rows read once: the records, the experiment with and without its bootstrap.
    const recovery = {
      ...(await import("../../../app/recovery/metrics")),
      ...(await import("../../../app/recovery/metrics/rows")),
    };
    const rows = await metricsModel.loadMetricsRows(shop, period, now);
    const settings = { windowDays: 30, readoutIncidents: 1000, holdoutShare: 0.1 };
    const incidents = recovery.toIncidentRecords(rows.experiment.incidents);
    const offers = recovery.toOfferRecords(rows.experiment.offers);
    const kept = new Map<string, import("../../../app/recovery/metrics").Readout>();
    const memo = {
      get: (k: string) => kept.get(k),
      set: (k: string, r: import("../../../app/recovery/metrics").Readout) => void kept.set(k, r),
    };
    Object.assign(parts, {
      "records (experiment)": async () => [
        recovery.toIncidentRecords(rows.experiment.incidents),
        recovery.toOfferRecords(rows.experiment.offers),
      ],
      "experiment()": async () => recovery.experiment({ incidents, offers, asOf: now, settings }),
      "experiment(), memo": async () =>
        recovery.experiment({ incidents, offers, asOf: now, settings }, { readouts: memo }),
      "experiment() no revenue": async () =>
        recovery.experiment({ incidents, offers, asOf: now, settings }, { revenue: false }),
      "timeToOffer()": async () =>
        recovery.timeToOffer(incidents, offers, "America/New_York", (i) => recovery.isMatured(i, 30, now)),
    });
    for (const [name, run] of Object.entries(parts)) {
      for (let i = 0; i < 3; i++) await run();
      const times: number[] = [];
      let rows = "";
      for (let i = 0; i < calls; i++) {
        const t0 = performance.now();
        const out = await run();
        times.push(performance.now() - t0);
        if (Array.isArray(out)) rows = ` (${out.length} rows)`;
      }
      const d = distribution(times);
      console.log(`${name.padEnd(24)} p50 ${d.p50} ms, p95 ${d.p95} ms${rows}`);
    }
  } finally {
    await app.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
