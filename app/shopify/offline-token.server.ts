/**
 * The shop's expiring offline token, kept fresh for background work
 * (docs/decisions/0013-expiring-offline-tokens.md).
 *
 * - Before a call: a token within 5 minutes of expiry (the library's own
 *   margin) is refreshed with `grant_type=refresh_token` and the new pair
 *   stored, under a per-shop advisory lock so two workers never spend the same
 *   refresh token (Shopify rotates it on each use).
 * - After a 401: the refused token is refreshed once (unless another worker
 *   already replaced it) and the caller repeats its call once.
 * - Shopify refusing the refresh (`invalid_grant`: the refresh token expired,
 *   was revoked, or was replaced), a refused token with nothing to refresh it
 *   with, or no offline session at all: the shop is marked as needing
 *   re-authentication and ReauthRequiredError (not retryable) stops the work.
 *   While the mark stands no background call is made for the shop, so its jobs
 *   end at once instead of each spending its retries. The next token exchange
 *   (the merchant opening Amends) clears it (services/install.server.ts).
 * - Anything else going wrong with the refresh (network, 5xx) is
 *   AccessTokenError TOKEN_REFRESH_FAILED, retryable: the job tries again later.
 */
import { HttpResponseError, type Session } from "@shopify/shopify-api";
import { clock } from "../clock.server";
import { logger } from "../logger.server";
import { offlineAccessState, refreshOfflineAccessToken, sessionStorage } from "../shopify.server";
import { AccessTokenError } from "./admin-errors";

/** Refresh this close to expiry (the library's WITHIN_MILLISECONDS_OF_EXPIRY). */
export const REFRESH_MARGIN_MS = 5 * 60 * 1000;

export type ReauthReason =
  "NO_OFFLINE_SESSION" | "NO_REFRESH_TOKEN" | "REFRESH_TOKEN_EXPIRED" | "REFRESH_REFUSED" | "TOKEN_REFUSED";

const REASON_TEXT: Record<ReauthReason, string> = {
  NO_OFFLINE_SESSION: "Amends holds no offline access token for this store.",
  NO_REFRESH_TOKEN: "The access token expired and no refresh token was kept to renew it.",
  REFRESH_TOKEN_EXPIRED: "The refresh token expired (unused for 90 days).",
  REFRESH_REFUSED: "Shopify refused to renew Amends's access token (invalid_grant).",
  TOKEN_REFUSED: "Shopify refused Amends's access token, and there was no refresh token to renew it with.",
};

/** The reason stored on the shop: a code, then words for people. */
export function reauthReasonText(reason: ReauthReason): string {
  return `${reason}: ${REASON_TEXT[reason]}`;
}

export class ReauthRequiredError extends AccessTokenError {
  constructor(
    readonly shop: string,
    readonly reason: string,
  ) {
    super({
      code: "REAUTH_REQUIRED",
      retryable: false,
      message: `shop ${shop} must open Amends again before background work can call Shopify (${reason})`,
    });
    this.name = "ReauthRequiredError";
  }
}

const offlineSessionId = (shop: string) => `offline_${shop}`;

/** Stop before calling Shopify when the shop is already marked: no refresh attempt, no request. */
export async function assertBackgroundAccess(shop: string): Promise<void> {
  const mark = await offlineAccessState.reauthRequired(shop);
  if (mark) throw new ReauthRequiredError(shop, mark.reason);
}

async function requireReauth(shop: string, reason: ReauthReason, detail?: string): Promise<never> {
  const text = reauthReasonText(reason);
  await offlineAccessState.markReauthRequired(shop, text, clock().now());
  logger.warn(
    { shop, reason, ...(detail ? { detail } : {}) },
    "offline token cannot be renewed; shop needs re-authentication",
  );
  throw new ReauthRequiredError(shop, text);
}

/**
 * The shop's offline session with a token that is not about to expire. `refused`: the access token
 * Shopify just answered 401 to; it is replaced even if its expiry says it is still good.
 */
export async function freshOfflineSession(shop: string, options: { refused?: string } = {}): Promise<Session> {
  // Loaded through the app's storage, so the dates compare with Date.now() the way the library's do.
  const load = () => sessionStorage.loadSession(offlineSessionId(shop));
  const stale = (session: Session) =>
    options.refused !== undefined ? session.accessToken === options.refused : session.isExpired(REFRESH_MARGIN_MS);
  // The common case takes no lock: a token that is good for more than the margin.
  const current = await load();
  if (current?.accessToken && !stale(current)) return current;
  return offlineAccessState.withRefreshLock(shop, async () => {
    const session = await load();
    if (!session?.accessToken) return requireReauth(shop, "NO_OFFLINE_SESSION");
    // Not stale any more: another worker refreshed it (or replaced the refused token) while we waited.
    if (!stale(session)) return session;
    if (!session.refreshToken) {
      // A non-expiring token (installed before expiring tokens) that Shopify refused cannot be renewed.
      if (options.refused !== undefined) return requireReauth(shop, "TOKEN_REFUSED");
      return requireReauth(shop, "NO_REFRESH_TOKEN");
    }
    if (session.refreshTokenExpires && session.refreshTokenExpires.getTime() <= Date.now())
      return requireReauth(shop, "REFRESH_TOKEN_EXPIRED");
    let fresh: Session;
    try {
      ({ session: fresh } = await refreshOfflineAccessToken({ shop, refreshToken: session.refreshToken }));
    } catch (error) {
      const body =
        error instanceof HttpResponseError ? (error.response.body as { error?: unknown } | undefined) : undefined;
      if (body?.error === "invalid_grant") return requireReauth(shop, "REFRESH_REFUSED", String(body.error));
      logger.warn(
        { shop, status: error instanceof HttpResponseError ? error.response.code : undefined },
        "refreshing the offline token failed; the job will try again",
      );
      throw new AccessTokenError({
        code: "TOKEN_REFRESH_FAILED",
        retryable: true,
        message: `refreshing the offline token of ${shop} failed: ${error instanceof Error ? error.message : String(error)}`,
        cause: error,
      });
    }
    await sessionStorage.storeSession(fresh);
    logger.info({ shop, reason: options.refused !== undefined ? "refused" : "expiring" }, "offline token refreshed");
    return fresh;
  });
}
