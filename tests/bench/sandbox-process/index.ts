/**
 * The sandbox store in its own Node process, for benches that measure the app's processes alone
 * (bench:loop, bench:scale) and for tests of many app processes. startSandboxProcess() spawns
 * ./child.ts and returns a typed remote control; each app process runs ./app-web.ts or
 * ./app-worker.ts (AMENDS_SANDBOX_URL set), whose forwarder (./forwarder.ts) sends the app's
 * Shopify calls to it. Its webhooks go by HTTP to the app's /webhooks.
 */
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { freePort } from "../../../app/db/embedded-postgres.server";
import { ChildServer, ROOT } from "../../helpers/child-server";
import { sandboxCommand } from "./forwarder";
import type { CostSummary, DeliveryTally } from "./tally";

export type { CostSummary, DeliveryTally, OperationTotals } from "./tally";

/** Entry points of app processes that talk to the sandbox process (run with tsx). */
export const APP_WEB_ENTRY = path.join(ROOT, "tests/bench/sandbox-process/app-web.ts");
export const APP_WORKER_ENTRY = path.join(ROOT, "tests/bench/sandbox-process/app-worker.ts");

export interface SandboxProcessOptions {
  apiKey: string;
  secret: string;
  /** Scopes shops grant on install (shopify.app.toml's). */
  scopes: string;
  /** App base URLs its webhooks go to (round-robin); setWebhookTargets can set them later. */
  webhookUrls?: string[];
  logFile?: string;
  env?: Record<string, string>;
}

export interface CallView {
  at: string;
  shop: string;
  operationName: string | null;
  rootFields: string[];
  cost: { requested: number; actual: number | null } | null;
  status: number;
  outcome: string;
}

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

/** The bench's remote control of the sandbox process (commands in ./child.ts). */
export class SandboxControl {
  constructor(readonly url: string) {}

  private command<T>(name: string, input: object = {}): Promise<T> {
    return sandboxCommand<T>(this.url, name, input);
  }

  clock(): Promise<{ nowMs: number; realMs: number }> {
    return this.command("clock");
  }
  setWebhookTargets(urls: string[]): Promise<{ targets: string[] }> {
    return this.command("setWebhookTargets", { urls });
  }
  addShop(shop: { domain: string; name?: string; currency?: string; ianaTimezone?: string; plan?: string }) {
    return this.command<{ domain: string; plan: string }>("addShop", shop);
  }
  /** A shop's Admin API bucket (the bucket starts full unless currentlyAvailable is given). */
  configureRateLimit(
    shop: string,
    settings: { maximumAvailable?: number; restoreRate?: number; currentlyAvailable?: number },
  ): Promise<ThrottleStatus> {
    return this.command("configureRateLimit", { shop, ...settings });
  }
  rateLimitStatus(shop: string): Promise<ThrottleStatus> {
    return this.command("rateLimitStatus", { shop });
  }
  /** An offline access token as token exchange would issue it (non-expiring unless `expiring`). */
  issueOfflineToken(shop: string, options: { scope?: string; expiring?: boolean } = {}) {
    return this.command<{ access_token: string; scope: string; expires_in?: number; refresh_token?: string }>(
      "issueOfflineToken",
      { shop, ...options },
    );
  }
  createProduct(shop: string, product: { title: string; variants: Array<{ price: string; title?: string }> }) {
    return this.command<{ id: string; variants: Array<{ id: string }> }>("createProduct", { shop, product });
  }
  createCustomer(shop: string, customer: { firstName: string; lastName: string; email: string }) {
    return this.command<{ id: string }>("createCustomer", { shop, customer });
  }
  /** A checkout; resolves once its orders/create webhook was answered. */
  placeOrder(shop: string, order: { customerId?: string; lines: Array<{ variantId: string; quantity: number }> }) {
    return this.command<{ id: string; name: string }>("placeOrder", { shop, order });
  }
  fulfill(shop: string, orderId: string, fulfillment: { trackingCompany?: string; trackingNumber?: string }) {
    return this.command<{ id: string }>("fulfill", { shop, orderId, fulfillment });
  }
  /** A carrier event on a fulfillment (e.g. status "delayed": a failure signal); sends fulfillment_events/create. */
  addFulfillmentEvent(
    shop: string,
    orderId: string,
    fulfillmentId: string,
    event: { status: string; message?: string },
  ): Promise<{ id: string }> {
    return this.command("addFulfillmentEvent", { shop, orderId, fulfillmentId, event });
  }
  /** The latest Admin API call records (variables left out), oldest first. */
  calls(options: { shop?: string; limit?: number } = {}): Promise<CallView[]> {
    return this.command("calls", options);
  }
  /** Every Admin API call since the last resetCosts, per shop and operation. */
  costSummary(): Promise<CostSummary> {
    return this.command("costSummary");
  }
  resetCosts(): Promise<{ ok: true }> {
    return this.command("resetCosts");
  }
  /** Webhook deliveries: statuses, failures, the failure signals' send times, in flight. */
  deliveries(): Promise<DeliveryTally> {
    return this.command("deliveries");
  }
}

export interface SandboxProcess {
  url: string;
  control: SandboxControl;
  child: ChildServer;
  stop(): Promise<void>;
}

export async function startSandboxProcess(options: SandboxProcessOptions): Promise<SandboxProcess> {
  const port = await freePort();
  const child = ChildServer.start(
    "sandbox",
    path.join(ROOT, "tests/bench/sandbox-process/child.ts"),
    {
      ...process.env,
      ...options.env,
      AMENDS_SANDBOX_PORT: String(port),
      AMENDS_SANDBOX_API_KEY: options.apiKey,
      AMENDS_SANDBOX_SECRET: options.secret,
      AMENDS_SANDBOX_SCOPES: options.scopes,
      AMENDS_SANDBOX_WEBHOOK_URLS: (options.webhookUrls ?? []).join(","),
    },
    options.logFile,
  );
  const deadline = Date.now() + 60_000;
  while (!child.sawLine("SANDBOX READY")) {
    if (!child.running) throw new Error(`the sandbox process exited (${child.exitCode}):\n${child.logTail()}`);
    if (Date.now() > deadline) {
      await child.stop();
      throw new Error(`the sandbox process did not start within 60 s:\n${child.logTail()}`);
    }
    await sleep(50);
  }
  const url = `http://127.0.0.1:${port}`;
  return { url, control: new SandboxControl(url), child, stop: () => child.stop(10_000) };
}
