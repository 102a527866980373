/**
 * The architecture rules in eslint.config.js, checked against small sources placed in each layer:
 * a rule that silently stopped matching would let the layers (or the offer lifecycle) erode.
 */
import { ESLint } from "eslint";
import { describe, expect, test } from "vitest";

const eslint = new ESLint({ cwd: process.cwd() });

async function problems(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId?.endsWith("no-restricted-imports") || m.ruleId === "no-restricted-syntax")
    .map((m) => m.message);
}

describe("offer statuses are written by the lifecycle module alone", () => {
  const writes = [
    `await tx.offer.update({ where: { id }, data: { status: "ISSUED" } });`,
    `await tx.offer.updateMany({ where: { id }, data: { status: "SUPERSEDED", updatedAt: now } });`,
    `await tx.offer.create({ data: { id, status: "APPROVED" } });`,
    `await tx.offer.upsert({ where: { id }, create: { id, status: "HOLDOUT" }, update: {} });`,
    "await tx.$executeRaw`UPDATE \"Offer\" SET status = 'ISSUED' WHERE id = ${id}`;",
  ];
  const wrap = (line: string) => `export async function f(tx: any, id: string, now: Date) {\n  ${line}\n}\n`;

  test.each(writes)("refused in a service: %s", async (line) => {
    const found = await problems("app/services/some-service.server.ts", wrap(line));
    expect(found.length).toBeGreaterThan(0);
    for (const message of found) expect(message).toContain("createOffer/transitionOffer");
  });

  test.each(writes)("allowed in app/services/offers/transition.server.ts: %s", async (line) => {
    expect(await problems("app/services/offers/transition.server.ts", wrap(line))).toEqual([]);
  });

  test("other offer fields may be written where they are decided", async () => {
    const line = `await tx.offer.updateMany({ where: { id, wonBackAt: null }, data: { wonBackAt: now } });`;
    expect(await problems("app/services/some-service.server.ts", wrap(line))).toEqual([]);
  });
});

describe("layers", () => {
  test.each([
    ["app/services/x.server.ts", `import { runner } from "../jobs/worker.server";`],
    ["app/services/x.server.ts", `import { X } from "../routes/app.settings";`],
    ["app/services/x.server.ts", `import type { F } from "../components/approvals/QueueRow";`],
    ["app/models/x.server.ts", `import { decideIncident } from "../services/decision.server";`],
    ["app/models/x.server.ts", `import { enqueue } from "../queue/enqueue.server";`],
    ["app/shopify/x.ts", `import { prisma } from "../db.server";`],
    ["app/queue/x.server.ts", `import { decideIncident } from "../services/decision.server";`],
    ["app/db/x.server.ts", `import { taskList } from "../jobs/task-list.server";`],
    ["app/recovery/x.ts", `import { prisma } from "../db.server";`],
    ["app/recovery/x.ts", `import { json } from "@remix-run/node";`],
    ["app/components/X.tsx", `import { prisma } from "../db.server";`],
    ["app/components/X.tsx", `import { loadQueue } from "../services/approval-queue.server";`],
    ["app/services/deep/x.server.ts", `import { runner } from "../../jobs/worker.server";`],
  ])("%s may not: %s", async (file, source) => {
    expect(await problems(file, `${source}\nexport const y = 1;\n`)).not.toEqual([]);
  });

  test.each([
    ["app/routes/app.x.tsx", `import { decideIncident } from "../services/decision.server";`],
    ["app/jobs/x.server.ts", `import { decideIncident } from "../services/decision.server";`],
    ["app/services/x.server.ts", `import { enqueue } from "../queue/enqueue.server";`],
    ["app/services/x.server.ts", `import { prisma } from "../db.server";`],
    ["app/components/X.tsx", `import type { QueueRow } from "../services/approval-queue.server";`],
    ["app/models/x.server.ts", `import { decide } from "../recovery";`],
  ])("%s may: %s", async (file, source) => {
    expect(await problems(file, `${source}\nexport const y = 1;\n`)).toEqual([]);
  });

  test("nothing outside app/shopify/admin.server.ts constructs an Admin client", async () => {
    const code = `import { AdminClient } from "../shopify/admin-client.server";\nexport const c = new AdminClient({} as never);\n`;
    expect(await problems("app/services/x.server.ts", code)).toEqual([expect.stringContaining("admin.server.ts")]);
  });
});
