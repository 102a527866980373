/**
 * Polling until a condition holds. Kept apart from the worker helpers: a browser test that imports
 * the worker would load the task list, and with it app/shopify.server, which reads the environment
 * as it loads, before the demo has set its app URL and scopes.
 */
export async function waitFor<T>(check: () => Promise<T | undefined | null | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("timed out waiting for condition");
    await new Promise((r) => setTimeout(r, 25));
  }
}
