/**
 * The sandbox store for a test file: every Shopify call the app makes is
 * answered by it through msw, and its webhooks go through the real route.
 */
import { beforeEach } from "vitest";
import { action } from "../../app/routes/webhooks";
import { createSandbox, type Sandbox, type SandboxOptions } from "../../sandbox";
import { installClock } from "../../app/clock.server";
import { mswServer } from "./msw";

export const TEST_API_KEY = "test-api-key";
export const TEST_SECRET = "test-api-secret";

/** Post a signed delivery to the real Remix route action, as Shopify would over HTTP. */
export async function routeDelivery(request: Request): Promise<Response> {
  try {
    return await action({ request, params: {}, context: {} });
  } catch (error) {
    if (error instanceof Response) return error;
    throw error;
  }
}

export function sandboxForTests(options: Partial<SandboxOptions> = {}): Sandbox {
  const sandbox = createSandbox({
    apiKey: TEST_API_KEY,
    secret: TEST_SECRET,
    scopes: "read_orders,read_customers",
    deliver: routeDelivery,
    ...options,
  });
  // The app reads the sandbox's clock, so moving it moves both.
  installClock(sandbox.clock);
  // The setup file resets msw's handlers after every test; put the sandbox in front before each one.
  beforeEach(() => {
    mswServer.use(...sandbox.handlers);
  });
  return sandbox;
}
