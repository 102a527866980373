/**
 * `customers(query:)` in the sandbox (decision 0125): Shopify's search syntax over customers, with
 * `email` tokenized (quoted: a phrase), and a search of a protected field refused as a whole when
 * the shop's app is not approved for that field: never a quietly unfiltered answer.
 */
import { beforeEach, expect, test } from "vitest";
import { createAdminApi } from "../../sandbox/admin";
import { adminRequest, buildFixture, type Fixture } from "../../sandbox/admin/test-fixtures";
import { LEVEL_1_ACCESS, NO_ACCESS, type ProtectedDataAccess } from "../../sandbox/protected-data";
import { appTomlScopes } from "../helpers/app-scopes";
import { mswServer } from "../helpers/msw";

let fx: Fixture;

beforeEach(() => {
  fx = buildFixture();
  mswServer.use(...createAdminApi(fx.store, { scopes: appTomlScopes() }).handlers);
});

const SEARCH = `query AmendsCustomerSearch($query: String!) { customers(first: 25, query: $query) { nodes { id } } }`;

interface Answer {
  data: { customers: { nodes: Array<{ id: string }> } } | null;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: { code?: string } }>;
  extensions?: { search?: unknown };
}

async function search(query: string, access?: ProtectedDataAccess): Promise<Answer> {
  if (access) fx.shop.protectedData = access;
  const res = await adminRequest(SEARCH, { query });
  expect(res.status).toBe(200);
  return res.body as unknown as Answer;
}
const ids = (answer: Answer) => answer.data?.customers.nodes.map((n) => n.id.split("/").pop()) ?? null;

test("an email is tokenized: quoted it is a phrase; a bare word needs each token; email:* has one", async () => {
  const { ada, bob } = fx.customers;
  expect(ids(await search(`email:'${ada.email}'`))).toEqual([ada.id]);
  expect(ids(await search(`email:'${ada.email.toUpperCase()}'`))).toEqual([ada.id]);
  expect(ids(await search(`email:'${ada.email.replace(/\.com$/, ".org")}'`))).toEqual([]);
  expect(ids(await search("email:ada"))).toEqual([ada.id]);
  expect(ids(await search("email:*"))).toEqual([ada.id, bob.id].sort((a, b) => Number(a) - Number(b)));
});

test("names by first_name and last_name, case-insensitive; free text reads names and emails", async () => {
  const { ada } = fx.customers;
  expect(ids(await search(`(first_name:${ada.firstName.toLowerCase()} OR last_name:${ada.firstName})`))).toEqual([
    ada.id,
  ]);
  expect(ids(await search(`last_name:${ada.lastName}`))).toEqual([ada.id]);
  expect(ids(await search(ada.lastName.slice(0, 4)))).toEqual([ada.id]);
});

test.each<[string, string, ProtectedDataAccess]>([
  ["an email, approved for names only", "email:'ada@example.com'", { level: "level2", fields: ["name"] }],
  ["a name, approved for emails only", "first_name:Ada", { level: "level2", fields: ["email"] }],
  ["free text, approved for names only", "Ada", { level: "level2", fields: ["name"] }],
  ["a negated email, level 1", "-email:'ada@example.com'", LEVEL_1_ACCESS],
  ["a name, no access at all", "last_name:Lovelace", NO_ACCESS],
])("a search of a protected field the app is not approved for is refused whole: %s", async (_what, query, access) => {
  const answer = await search(query, access);
  expect(answer.data).toBeNull();
  expect(answer.errors).toEqual([
    expect.objectContaining({
      message: expect.stringMatching(/^This app is not approved to access the Customer object\./),
      path: ["customers"],
      extensions: expect.objectContaining({ code: "ACCESS_DENIED" }),
    }),
  ]);
});

test("a search of unprotected fields needs no approval of names or emails", async () => {
  const { ada, bob } = fx.customers;
  expect(ids(await search(`id:${ada.id}`, LEVEL_1_ACCESS))).toEqual([ada.id]);
  expect(ids(await search(`id:>=${Math.min(Number(ada.id), Number(bob.id))}`, LEVEL_1_ACCESS))).toHaveLength(2);
});
