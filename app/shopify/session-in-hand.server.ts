/**
 * A session the caller already holds, lent to the library for the length of one call.
 *
 * A background Admin API call first makes sure the offline token is fresh
 * (offline-token.server.ts loads, and if need be renews, the session), then asks the library for
 * its admin client with `unauthenticated.admin(shop)`, which loads the same session again: a second
 * database read and a second decryption of the sealed token on every call. Inside
 * `withSessionInHand(session, fn)` the storage answers a load of that session's id with the session
 * in hand instead. Anything else (another id, a call outside the scope, stores and deletes) goes to
 * the storage underneath unchanged.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { Session } from "@shopify/shopify-api";
import type { SessionStorage } from "@shopify/shopify-app-session-storage";

const inHand = new AsyncLocalStorage<Session>();

/** Runs `fn` with `session` answering loads of its id (see the module comment). */
export function withSessionInHand<T>(session: Session, fn: () => Promise<T>): Promise<T> {
  return inHand.run(session, fn);
}

export class InHandSessionStorage implements SessionStorage {
  constructor(private readonly inner: SessionStorage) {}

  loadSession(id: string): Promise<Session | undefined> {
    const held = inHand.getStore();
    if (held?.id === id) return Promise.resolve(held);
    return this.inner.loadSession(id);
  }

  storeSession(session: Session): Promise<boolean> {
    return this.inner.storeSession(session);
  }

  findSessionsByShop(shop: string): Promise<Session[]> {
    return this.inner.findSessionsByShop(shop);
  }

  deleteSession(id: string): Promise<boolean> {
    return this.inner.deleteSession(id);
  }

  deleteSessions(ids: string[]): Promise<boolean> {
    return this.inner.deleteSessions(ids);
  }
}
