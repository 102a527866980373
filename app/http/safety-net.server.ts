/**
 * The process-level backstop: a promise rejected with nobody listening would, by Node's default,
 * end the process (web server, worker and embedded database with it). Log it with the request it
 * came from and keep serving. The fix for each such bug belongs where the promise is made; this
 * only stops one of them from taking everything down. Installed once per process.
 */
import { inspect } from "node:util";
import { logger } from "../logger.server";
import { currentRequest } from "./request-context.server";

let installed = false;
let count = 0;

/** Never throws: a throw here would be an uncaught exception, the very crash this prevents (BigInt, cycles, getters). */
function describe(reason: unknown): { message: string; name?: string; stack?: string } {
  try {
    if (reason instanceof Error)
      return { name: reason.name, message: reason.message, ...(reason.stack ? { stack: reason.stack } : {}) };
    return { message: typeof reason === "string" ? reason : inspect(reason, { depth: 2, breakLength: Infinity }) };
  } catch {
    return { message: "(a rejection reason that cannot be described)" };
  }
}

/** Unhandled rejections seen since start (exposed for tests and the abuse suite). */
export function unhandledRejectionCount(): number {
  return count;
}

export function installSafetyNet(): void {
  if (installed) return;
  installed = true;
  process.on("unhandledRejection", (reason) => {
    count += 1;
    const request = currentRequest();
    logger.error(
      { route: request ? `${request.method} ${request.path}` : null, err: describe(reason) },
      "unhandled promise rejection (kept serving)",
    );
  });
}
