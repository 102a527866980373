/**
 * Which job failures are worth retrying. Terminal: the shop is gone, Shopify
 * refuses us (401/403), the thing no longer exists (404), or the job itself is
 * malformed. Everything else (network, 5xx, throttling, database) retries with backoff.
 */
export class TerminalJobError extends Error {
  readonly terminal = true;
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = "TerminalJobError";
  }
}

export class ShopUninstalledError extends TerminalJobError {
  constructor(shop: string) {
    super(`shop ${shop} has uninstalled Amends`, "SHOP_UNINSTALLED");
  }
}

const TERMINAL_HTTP = new Set([401, 403, 404]);

function httpStatus(error: unknown): number | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const candidate = error as { response?: { code?: unknown; status?: unknown }; status?: unknown };
  const status = candidate.response?.code ?? candidate.response?.status ?? candidate.status;
  return typeof status === "number" ? status : undefined;
}

export function isTerminal(error: unknown): boolean {
  if (error instanceof TerminalJobError) return true;
  // Errors that say retrying cannot help (Shopify userErrors, a query the schema rejects) stop the job.
  if (typeof error === "object" && error !== null && (error as { retryable?: unknown }).retryable === false)
    return true;
  const status = httpStatus(error);
  return status !== undefined && TERMINAL_HTTP.has(status);
}
