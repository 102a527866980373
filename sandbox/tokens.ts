/**
 * The sandbox's access tokens: every token the Admin API accepts was issued
 * here (token exchange, a refresh, or a test's explicit grant), and each one
 * expires on the sandbox clock, as Shopify's do:
 *
 * - Expiring offline tokens (token exchange with `expiring=1`): the access
 *   token lives 3600 s, its refresh token 90 days (Shopify's
 *   "offline access tokens" page and changelog, December 2025).
 * - A refresh (`grant_type=refresh_token`) returns a new pair. The refresh
 *   token it used stays usable until the app uses the replacement, for at most
 *   30 days after its first use and never past its own 90 days (changelog
 *   "More resilient refreshes for expiring offline access tokens", August
 *   2026); once the replacement is used, the one before it is retired.
 *   Anything else is `invalid_grant`.
 * - Non-expiring offline tokens (`expiring` absent or 0) are still issued,
 *   but from 2027-01-01 the Admin API refuses them for public apps.
 * - Online tokens live 24 h.
 * - Uninstalling (or a test's `revoke`) ends every token of the shop.
 *
 * The registry belongs to the store (one per sandbox), so the Admin API, the
 * OAuth endpoint and test helpers all see the same tokens.
 */
import { randomBytes } from "node:crypto";
import type { SandboxStore } from "./store";

export const ACCESS_TOKEN_TTL_S = 3_600;
export const ONLINE_TOKEN_TTL_S = 86_400;
export const REFRESH_TOKEN_TTL_S = 90 * 86_400;
/** How long a used refresh token can be retried while its replacement is unused. */
export const REFRESH_RETRY_WINDOW_S = 30 * 86_400;
/** Shopify rejects Admin API requests with non-expiring offline tokens from public apps from then on. */
export const NON_EXPIRING_REJECTED_FROM = new Date("2027-01-01T00:00:00Z");

type Kind = "offline-expiring" | "offline-non-expiring" | "online" | "granted";

interface AccessToken {
  shop: string;
  kind: Kind;
  scope: string;
  /** Null: never expires. */
  expiresAt: Date | null;
  revoked: boolean;
}

interface RefreshToken {
  shop: string;
  scope: string;
  expiresAt: Date;
  /** The refresh token whose use issued this one (retired when this one is used). */
  parent: string | null;
  firstUsedAt: Date | null;
  retired: boolean;
}

export interface OfflineTokenResponse {
  access_token: string;
  scope: string;
  expires_in?: number;
  refresh_token?: string;
  refresh_token_expires_in?: number;
}

export type TokenCheck = "ok" | "unknown" | "expired" | "revoked" | "non-expiring-rejected" | "other-shop";

export type RefreshResult =
  { ok: true; body: OfflineTokenResponse } | { ok: false; error: "invalid_grant"; description: string };

/** A token exchange or refresh the app made, for tests to assert on (no secrets kept). */
export interface TokenRequestRecord {
  at: Date;
  shop: string;
  grant: "token-exchange" | "refresh_token";
  requestedTokenType: "offline" | "online" | null;
  /** The `expiring` parameter as sent ("1", "0") or null when absent. */
  expiring: string | null;
  outcome: "issued" | "refused";
}

export class TokenRegistry {
  private readonly access = new Map<string, AccessToken>();
  private readonly refresh = new Map<string, RefreshToken>();
  /** Every token request, oldest first. */
  readonly requests: TokenRequestRecord[] = [];
  /** Strict by default; a test that needs pre-2027 leniency after the cutoff has no switch: it should use expiring tokens. */
  rejectNonExpiringFrom: Date | null = NON_EXPIRING_REJECTED_FROM;

  constructor(private readonly now: () => Date) {}

  private mint(prefix: string): string {
    return `${prefix}${randomBytes(16).toString("hex")}`;
  }

  private at(seconds: number): Date {
    return new Date(this.now().getTime() + seconds * 1000);
  }

  /** An offline token from token exchange (or an install), expiring when asked. */
  issueOffline(shop: string, scope: string, options: { expiring: boolean }): OfflineTokenResponse {
    if (!options.expiring) {
      const token = this.mint("shpat_");
      this.access.set(token, { shop, kind: "offline-non-expiring", scope, expiresAt: null, revoked: false });
      return { access_token: token, scope };
    }
    return this.issuePair(shop, scope, null);
  }

  private issuePair(shop: string, scope: string, parent: string | null): OfflineTokenResponse {
    const token = this.mint("shpat_");
    const refreshToken = this.mint("shprt_");
    this.access.set(token, {
      shop,
      kind: "offline-expiring",
      scope,
      expiresAt: this.at(ACCESS_TOKEN_TTL_S),
      revoked: false,
    });
    this.refresh.set(refreshToken, {
      shop,
      scope,
      expiresAt: this.at(REFRESH_TOKEN_TTL_S),
      parent,
      firstUsedAt: null,
      retired: false,
    });
    return {
      access_token: token,
      scope,
      expires_in: ACCESS_TOKEN_TTL_S,
      refresh_token: refreshToken,
      refresh_token_expires_in: REFRESH_TOKEN_TTL_S,
    };
  }

  issueOnline(shop: string, scope: string): { access_token: string; expires_in: number } {
    const token = this.mint("shpua_");
    this.access.set(token, { shop, kind: "online", scope, expiresAt: this.at(ONLINE_TOKEN_TTL_S), revoked: false });
    return { access_token: token, expires_in: ONLINE_TOKEN_TTL_S };
  }

  /** `grant_type=refresh_token`. */
  useRefreshToken(shop: string, refreshToken: string): RefreshResult {
    const entry = this.refresh.get(refreshToken);
    const refuse = (description: string): RefreshResult => ({ ok: false, error: "invalid_grant", description });
    if (!entry || entry.shop !== shop) return refuse("The refresh token is invalid.");
    const now = this.now();
    if (entry.retired) return refuse("The refresh token has been used and replaced.");
    if (entry.expiresAt <= now) return refuse("The refresh token has expired.");
    if (entry.firstUsedAt && now.getTime() - entry.firstUsedAt.getTime() > REFRESH_RETRY_WINDOW_S * 1000)
      return refuse("The refresh token has been used and replaced.");
    entry.firstUsedAt ??= now;
    // Using a replacement retires the token it replaced.
    if (entry.parent) {
      const parent = this.refresh.get(entry.parent);
      if (parent) parent.retired = true;
    }
    return { ok: true, body: this.issuePair(shop, entry.scope, refreshToken) };
  }

  /** What the Admin API makes of an `X-Shopify-Access-Token`. */
  check(shop: string, token: string): TokenCheck {
    const entry = this.access.get(token);
    if (!entry) return "unknown";
    if (entry.shop !== shop) return "other-shop";
    if (entry.revoked) return "revoked";
    const now = this.now();
    if (entry.expiresAt && entry.expiresAt <= now) return "expired";
    if (entry.kind === "offline-non-expiring" && this.rejectNonExpiringFrom && now >= this.rejectNonExpiringFrom)
      return "non-expiring-rejected";
    return "ok";
  }

  /**
   * A token a test chose, valid for `ttlSeconds` (default: 90 days) on the sandbox clock: for tests
   * that call the Admin API directly and are not about tokens.
   */
  grant(shop: string, token: string, scope = "", ttlSeconds = REFRESH_TOKEN_TTL_S): void {
    this.access.set(token, { shop, kind: "granted", scope, expiresAt: this.at(ttlSeconds), revoked: false });
  }

  /** End one access token now (a revoked or leaked token), as if Shopify had invalidated it. */
  revokeAccessToken(token: string): void {
    const entry = this.access.get(token);
    if (entry) entry.revoked = true;
  }

  /** End every access and refresh token of the shop (uninstall, or the merchant revoking access). */
  revokeShop(shop: string): void {
    for (const entry of this.access.values()) if (entry.shop === shop) entry.revoked = true;
    for (const entry of this.refresh.values()) if (entry.shop === shop) entry.retired = true;
  }

  /**
   * End the shop's offline access and refresh tokens, leaving staff's online tokens: Shopify will
   * not renew the app's background access until the merchant opens the app again.
   */
  revokeOfflineAccess(shop: string): void {
    for (const entry of this.access.values())
      if (entry.shop === shop && entry.kind !== "online" && entry.kind !== "granted") entry.revoked = true;
    for (const entry of this.refresh.values()) if (entry.shop === shop) entry.retired = true;
  }

  record(entry: Omit<TokenRequestRecord, "at">): void {
    this.requests.push({ at: this.now(), ...entry });
  }

  /** Forget every token and request. */
  reset(): void {
    this.access.clear();
    this.refresh.clear();
    this.requests.length = 0;
  }
}

const registries = new WeakMap<SandboxStore, TokenRegistry>();

/** The store's token registry (one per sandbox store, on its clock). */
export function sandboxTokens(store: SandboxStore): TokenRegistry {
  let registry = registries.get(store);
  if (!registry) {
    registry = new TokenRegistry(() => store.clock.now());
    registries.set(store, registry);
  }
  return registry;
}
