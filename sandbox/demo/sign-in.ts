/**
 * The demo's sign-in: gives a browser a session for the sandbox shop, standing
 * in for the Shopify admin (which hands an embedded app a fresh session token
 * on every request). Mounted only by `npm run demo`, never part of the Remix
 * build, and it refuses to mount unless demo mode is explicitly on.
 *
 * Signed-in browsers carry a signed cookie; each request to /app then gets a
 * freshly minted session token as `Authorization: Bearer`, and the app
 * authenticates it with the real authenticate.admin, as inside the admin.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import type { Express, NextFunction, Request, Response } from "express";
import { mintSessionToken } from "../session-token";

const COOKIE = "amends_demo_staff";

export interface DemoSignInOptions {
  shop: string;
  apiKey: string;
  secret: string;
  /** Staff members the demo can sign in as (Shopify user id -> name). */
  staff: Array<{ id: number; name: string }>;
}

function assertDemoMode(): void {
  if (process.env.AMENDS_DEMO !== "true" || process.env.NODE_ENV === "production") {
    throw new Error("the demo sign-in mounts only with AMENDS_DEMO=true outside production");
  }
}

function signature(value: string, secret: string): string {
  return createHmac("sha256", secret).update(`demo-staff:${value}`).digest("base64url");
}

function staffFromCookie(header: string | undefined, secret: string): string | undefined {
  const raw = header
    ?.split(";")
    .map((c) => c.trim())
    .find((c) => c.startsWith(`${COOKIE}=`))
    ?.slice(COOKIE.length + 1);
  if (!raw) return undefined;
  let value: string;
  try {
    value = decodeURIComponent(raw);
  } catch {
    return undefined; // a malformed cookie is no sign-in, not a 500
  }
  const [userId, sig] = value.split(".");
  if (!userId || !sig) return undefined;
  const expected = Buffer.from(signature(userId, secret));
  const given = Buffer.from(sig);
  return given.length === expected.length && timingSafeEqual(given, expected) ? userId : undefined;
}

export function mountDemoSignIn(app: Express, options: DemoSignInOptions): void {
  assertDemoMode();
  const defaultStaff = options.staff[0];
  if (!defaultStaff) throw new Error("the demo needs at least one staff member");

  app.get("/demo/sign-in", (req: Request, res: Response) => {
    const wanted = Number(req.query.staff ?? defaultStaff.id);
    const member = options.staff.find((s) => s.id === wanted) ?? defaultStaff;
    const value = `${member.id}.${signature(String(member.id), options.secret)}`;
    res.setHeader("Set-Cookie", `${COOKIE}=${encodeURIComponent(value)}; Path=/; HttpOnly; SameSite=Lax`);
    res.redirect(302, "/app");
  });

  app.get("/demo/sign-out", (_req: Request, res: Response) => {
    res.setHeader("Set-Cookie", `${COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax`);
    res.redirect(302, "/demo");
  });

  // Document requests (/app, /app/...) and Remix data requests (/app.data, /app/....data).
  const appPath = /^\/app(\/|\.data$|$)/;
  app.use((req: Request, res: Response, next: NextFunction) => {
    // A request that brings its own session token is authenticated by the app itself.
    if (!appPath.test(req.path) || req.headers.authorization) return next();
    const userId = staffFromCookie(req.headers.cookie, options.secret);
    if (!userId) {
      if (req.method === "GET" && !req.path.endsWith(".data")) return res.redirect(302, "/demo/sign-in");
      return res.status(401).send("Sign in to the demo first: /demo/sign-in");
    }
    req.headers.authorization = `Bearer ${mintSessionToken({ shop: options.shop, apiKey: options.apiKey, secret: options.secret, userId })}`;
    next();
  });
}
