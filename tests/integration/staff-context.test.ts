/** staffContext: the member behind a page request comes from the online session's token exchange. */
import { beforeEach, expect, test } from "vitest";
import { staffContext } from "../../app/staff.server";
import { adminRequest, anonymousRequest, call } from "../helpers/admin-request";
import { truncateAll } from "../helpers/db";
import { sandboxForTests } from "../helpers/sandbox";
import { TEST_SHOP } from "../helpers/webhooks";

const sandbox = sandboxForTests();
sandbox.store.addShop({ domain: TEST_SHOP, currency: "USD", plan: "Basic" });

beforeEach(async () => {
  await truncateAll();
  sandbox.admin.reset();
});

test.each([
  ["1001", { userId: "1001", accountOwner: true, name: "Olivia Owner" }],
  ["1002", { userId: "1002", accountOwner: false, name: "Sam Support" }],
])("a session token of member %s gives that member, with the shop", async (userId, staff) => {
  const context = await staffContext(adminRequest("/app", { userId }));
  expect(context.shop).toBe(TEST_SHOP);
  expect(context.staff).toEqual(staff);
});

test("no session token: no staff context (the library answers with a redirect or 401)", async () => {
  const result = await call(() => staffContext(anonymousRequest("/app")));
  expect(result).toBeInstanceOf(Response);
  expect([302, 401, 410]).toContain((result as Response).status);
});

test("a token signed with another secret is refused", async () => {
  const result = await call(() => staffContext(adminRequest("/app", { secret: "forged" })));
  expect(result).toBeInstanceOf(Response);
  expect([302, 401]).toContain((result as Response).status);
});
