/**
 * The OAuth token endpoint (POST https://{shop}/admin/oauth/access_token), as
 * the library calls it: token exchange (a session token in, an offline or
 * online access token out; offline tokens expire when `expiring=1` is sent) and
 * `grant_type=refresh_token` for expiring offline tokens. Checks the client
 * credentials and the session token's signature like Shopify does. Tokens and
 * their lifetimes live in ./tokens.ts, on the sandbox clock.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { http, HttpResponse } from "msw";
import type { TokenRegistry } from "./tokens";

export interface StaffMember {
  id: number;
  firstName: string;
  lastName: string;
  email: string;
  accountOwner: boolean;
  locale: string;
}

export interface TokenExchangeOptions {
  apiKey: string;
  secret: string;
  /** Granted scopes (comma-separated), as in shopify.app.toml. */
  scopes: string;
  staff: (shop: string, userId: string) => StaffMember | undefined;
  tokens: TokenRegistry;
  /** The shop exists in the sandbox (a refresh for an unknown shop is refused). */
  knownShop: (shop: string) => boolean;
}

const REFRESH_GRANT = "refresh_token";

function verifiedSubject(token: string, secret: string): { shop: string; sub: string } | undefined {
  const [header, payload, signature] = token.split(".");
  if (!header || !payload || !signature) return undefined;
  const expected = createHmac("sha256", secret).update(`${header}.${payload}`).digest();
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as {
    dest: string;
    sub: string;
    exp: number;
  };
  if (claims.exp * 1000 < Date.now()) return undefined;
  return { shop: new URL(claims.dest).hostname, sub: claims.sub };
}

export function tokenExchangeHandler(options: TokenExchangeOptions) {
  return http.post("https://:shop/admin/oauth/access_token", async ({ request, params }) => {
    const body = (await request.json()) as Record<string, string>;
    if (body.client_id !== options.apiKey || body.client_secret !== options.secret) {
      return HttpResponse.json({ error: "invalid_client" }, { status: 401 });
    }
    const shop = params.shop as string;
    if (body.grant_type === REFRESH_GRANT) {
      const result = options.knownShop(shop)
        ? options.tokens.useRefreshToken(shop, body.refresh_token ?? "")
        : ({ ok: false, error: "invalid_grant", description: "Unknown shop." } as const);
      options.tokens.record({
        shop,
        grant: "refresh_token",
        requestedTokenType: "offline",
        expiring: null,
        outcome: result.ok ? "issued" : "refused",
      });
      if (!result.ok)
        return HttpResponse.json({ error: result.error, error_description: result.description }, { status: 400 });
      return HttpResponse.json({ ...result.body });
    }
    const subject = verifiedSubject(body.subject_token ?? "", options.secret);
    if (!subject || subject.shop !== shop) {
      return HttpResponse.json({ error: "invalid_subject_token" }, { status: 400 });
    }
    const online = body.requested_token_type?.endsWith(":online-access-token") ?? false;
    const expiring =
      typeof body.expiring === "string" || typeof body.expiring === "number" ? String(body.expiring) : null;
    if (!online) {
      options.tokens.record({
        shop,
        grant: "token-exchange",
        requestedTokenType: "offline",
        expiring,
        outcome: "issued",
      });
      return HttpResponse.json({
        ...options.tokens.issueOffline(shop, options.scopes, { expiring: expiring === "1" }),
      });
    }
    const staff = options.staff(subject.shop, subject.sub);
    options.tokens.record({
      shop,
      grant: "token-exchange",
      requestedTokenType: "online",
      expiring,
      outcome: staff ? "issued" : "refused",
    });
    if (!staff) return HttpResponse.json({ error: "invalid_subject_token" }, { status: 400 });
    const { access_token, expires_in } = options.tokens.issueOnline(shop, options.scopes);
    return HttpResponse.json({
      access_token,
      scope: options.scopes,
      expires_in,
      associated_user_scope: options.scopes,
      associated_user: {
        id: staff.id,
        first_name: staff.firstName,
        last_name: staff.lastName,
        email: staff.email,
        account_owner: staff.accountOwner,
        locale: staff.locale,
        collaborator: false,
        email_verified: true,
      },
    });
  });
}
