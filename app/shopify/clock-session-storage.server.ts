/**
 * Session storage whose stored expiry times are on the app clock.
 *
 * The library dates a session from `Date.now()` (expires = Date.now() +
 * expires_in) and judges it with `Date.now()` (isExpired, isActive). Shopify
 * (and the sandbox, on its clock) expires the token on its own time. In
 * production the app clock is real time and nothing changes here. In tests and
 * the demo the app clock is the sandbox's, frozen or days ahead of real time:
 * without this, a token the sandbox expired an hour ago still looks fresh to
 * the library, and it never refreshes on time.
 *
 * So: what is stored is on the app clock (`expires` is when the token really
 * expires, readable beside the sandbox's time), and what the library gets back
 * is shifted onto real time by the current skew, so its own checks (refresh
 * within 5 minutes of expiry, online session still active) agree with the app
 * clock. Both shifts are zero in production.
 */
import { Session } from "@shopify/shopify-api";
import type { SessionStorage } from "@shopify/shopify-app-session-storage";
import { clock } from "../clock.server";

/** How far the app clock is ahead of real time right now (0 in production). */
function skewMs(): number {
  return clock().now().getTime() - Date.now();
}

function shifted(session: Session, byMs: number): Session {
  if (byMs === 0 || (!session.expires && !session.refreshTokenExpires)) return session;
  const copy = new Session(session.toObject());
  if (session.expires) copy.expires = new Date(session.expires.getTime() + byMs);
  if (session.refreshTokenExpires) copy.refreshTokenExpires = new Date(session.refreshTokenExpires.getTime() + byMs);
  return copy;
}

export class AppClockSessionStorage implements SessionStorage {
  constructor(private readonly inner: SessionStorage) {}

  /** From the library (real-time dates) to storage (app-clock dates). */
  storeSession(session: Session): Promise<boolean> {
    return this.inner.storeSession(shifted(session, skewMs()));
  }

  /** From storage (app-clock dates) to the library (real-time dates). */
  async loadSession(id: string): Promise<Session | undefined> {
    const session = await this.inner.loadSession(id);
    return session && shifted(session, -skewMs());
  }

  async findSessionsByShop(shop: string): Promise<Session[]> {
    const skew = skewMs();
    return (await this.inner.findSessionsByShop(shop)).map((s) => shifted(s, -skew));
  }

  deleteSession(id: string): Promise<boolean> {
    return this.inner.deleteSession(id);
  }

  deleteSessions(ids: string[]): Promise<boolean> {
    return this.inner.deleteSessions(ids);
  }
}
