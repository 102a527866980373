/**
 * OAuth token exchange (POST https://{shop}/admin/oauth/access_token), as the
 * library's embedded auth strategy calls it: a session token in, an offline or
 * online access token out. Checks the client credentials and the token's
 * signature like Shopify does.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { http, HttpResponse } from "msw";

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
}

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
    const subject = verifiedSubject(body.subject_token ?? "", options.secret);
    if (!subject || subject.shop !== params.shop) {
      return HttpResponse.json({ error: "invalid_subject_token" }, { status: 400 });
    }
    const token = `sandbox-${Math.random().toString(36).slice(2)}`;
    if (!body.requested_token_type?.endsWith(":online-access-token")) {
      return HttpResponse.json({ access_token: token, scope: options.scopes });
    }
    const staff = options.staff(subject.shop, subject.sub);
    if (!staff) return HttpResponse.json({ error: "invalid_subject_token" }, { status: 400 });
    return HttpResponse.json({
      access_token: token,
      scope: options.scopes,
      expires_in: 86_400,
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
