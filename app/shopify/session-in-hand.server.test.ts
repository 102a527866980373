import { Session } from "@shopify/shopify-api";
import type { SessionStorage } from "@shopify/shopify-app-session-storage";
import { describe, expect, test } from "vitest";
import { InHandSessionStorage, withSessionInHand } from "./session-in-hand.server";

function memoryStorage() {
  const rows = new Map<string, Session>();
  const loads: string[] = [];
  const storage: SessionStorage = {
    storeSession: async (s) => (rows.set(s.id, s), true),
    loadSession: async (id) => (loads.push(id), rows.get(id)),
    deleteSession: async (id) => rows.delete(id),
    deleteSessions: async (ids) => (ids.forEach((id) => rows.delete(id)), true),
    findSessionsByShop: async (shop) => [...rows.values()].filter((s) => s.shop === shop),
  };
  return { storage, loads };
}

const session = (id: string, accessToken: string) =>
  new Session({ id, shop: "a.myshopify.com", state: "", isOnline: false, accessToken });

describe("InHandSessionStorage", () => {
  test("inside the scope, a load of the session in hand is answered without the storage", async () => {
    const { storage, loads } = memoryStorage();
    const store = new InHandSessionStorage(storage);
    await store.storeSession(session("offline_a", "stored"));
    const held = session("offline_a", "in-hand");

    const loaded = await withSessionInHand(held, () => store.loadSession("offline_a"));

    expect(loaded).toBe(held);
    expect(loads).toEqual([]);
  });

  test.each([
    ["another id inside the scope", true, "offline_b", "b"],
    ["the same id outside the scope", false, "offline_a", "stored"],
  ])("%s goes to the storage", async (_name, inside, id, expected) => {
    const { storage, loads } = memoryStorage();
    const store = new InHandSessionStorage(storage);
    await store.storeSession(session("offline_a", "stored"));
    await store.storeSession(session("offline_b", "b"));
    const load = () => store.loadSession(id);

    const loaded = inside ? await withSessionInHand(session("offline_a", "in-hand"), load) : await load();

    expect(loaded?.accessToken).toBe(expected);
    expect(loads).toEqual([id]);
  });

  test("the scope ends with its call, also when calls overlap", async () => {
    const { storage } = memoryStorage();
    const store = new InHandSessionStorage(storage);
    await store.storeSession(session("offline_a", "stored"));
    const [one, two] = await Promise.all([
      withSessionInHand(session("offline_a", "one"), async () => {
        await new Promise((r) => setTimeout(r, 5));
        return store.loadSession("offline_a");
      }),
      withSessionInHand(session("offline_a", "two"), () => store.loadSession("offline_a")),
    ]);
    expect([one?.accessToken, two?.accessToken]).toEqual(["one", "two"]);
    expect((await store.loadSession("offline_a"))?.accessToken).toBe("stored");
  });
});
