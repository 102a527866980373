/**
 * The sandbox Admin API tests' start: before each test a fresh fixture store (sandbox/admin/test-fixtures)
 * and an Admin API over it that grants the scopes shopify.app.toml asks for, answering through msw.
 * `fx` and `api` are live bindings, re-made before each test of a file that calls adminFixtureEachTest().
 */
import { beforeEach } from "vitest";
import { createAdminApi, type AdminApi } from "../../sandbox/admin";
import { buildFixture, type Fixture } from "../../sandbox/admin/test-fixtures";
import { appTomlScopes } from "./app-scopes";
import { mswServer } from "./msw";

export let fx: Fixture;
export let api: AdminApi;

export function adminFixtureEachTest(): void {
  beforeEach(() => {
    fx = buildFixture();
    api = createAdminApi(fx.store, { scopes: appTomlScopes() });
    mswServer.use(...api.handlers);
  });
}
