/**
 * Session storage that keeps access and refresh tokens sealed at rest (decision 0019), with the
 * same AES-256-GCM sealing as the SMTP password (app/secrets.server.ts, decision 0009). The
 * associated data names the session and the field, so a sealed token copied to another shop's
 * row, or from refreshToken to accessToken, does not open.
 *
 * Rows written before this (plain text) still load: a stored value is sealed when it has the
 * sealed form (`v1.<8 hex key id>.<iv>.<tag>.<ciphertext>`; Shopify's tokens, `shpat_...`,
 * `shpua_...`, `shprt_...`, never contain a dot), else it is a plain token. A plain token is sealed
 * in place when it is loaded (only if the row still holds that same value, so a newer token stored
 * meanwhile is never overwritten) and on every store.
 *
 * A token that does not open (the key changed, the row was altered) makes the session unknown:
 * the admin gets a fresh token by token exchange, and background work asks for re-authentication.
 */
import { Session } from "@shopify/shopify-api";
import type { SessionStorage } from "@shopify/shopify-app-session-storage";
import { logger } from "../logger.server";
import { openSecret, sealSecret, SecretError } from "../secrets.server";

type TokenField = "accessToken" | "refreshToken";
const FIELDS: readonly TokenField[] = ["accessToken", "refreshToken"];

const SEALED_FORM = /^v1\.[0-9a-f]{8}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

export function isSealedToken(stored: string): boolean {
  return SEALED_FORM.test(stored);
}

/** The associated data of a session's token: which session, which field. */
export function tokenContext(sessionId: string, field: TokenField): string {
  return `session ${sessionId}/${field}`;
}

/** Writes a plain token found on load back sealed, only where the row still holds it. */
export type ResealStored = (sessionId: string, field: TokenField, plain: string, sealed: string) => Promise<void>;

export class SealedSessionStorage implements SessionStorage {
  constructor(
    private readonly inner: SessionStorage,
    private readonly resealStored?: ResealStored,
  ) {}

  storeSession(session: Session): Promise<boolean> {
    const copy = new Session(session.toObject());
    for (const field of FIELDS) {
      const value = session[field];
      if (value) copy[field] = sealSecret(value, tokenContext(session.id, field));
    }
    return this.inner.storeSession(copy);
  }

  async loadSession(id: string): Promise<Session | undefined> {
    const session = await this.inner.loadSession(id);
    return session && this.opened(session);
  }

  async findSessionsByShop(shop: string): Promise<Session[]> {
    const sessions = await Promise.all((await this.inner.findSessionsByShop(shop)).map((s) => this.opened(s)));
    return sessions.filter((s): s is Session => s !== undefined);
  }

  deleteSession(id: string): Promise<boolean> {
    return this.inner.deleteSession(id);
  }

  deleteSessions(ids: string[]): Promise<boolean> {
    return this.inner.deleteSessions(ids);
  }

  private async opened(stored: Session): Promise<Session | undefined> {
    const session = new Session(stored.toObject());
    for (const field of FIELDS) {
      const value = stored[field];
      if (!value) continue;
      if (!isSealedToken(value)) {
        await this.resealStored?.(stored.id, field, value, sealSecret(value, tokenContext(stored.id, field)));
        continue;
      }
      try {
        session[field] = openSecret(value, tokenContext(stored.id, field));
      } catch (error) {
        if (!(error instanceof SecretError)) throw error;
        logger.warn(
          { shop: stored.shop, session: stored.isOnline ? "online" : "offline", field, reason: error.reason },
          "stored token does not open; the session is treated as missing",
        );
        return undefined;
      }
    }
    return session;
  }
}
