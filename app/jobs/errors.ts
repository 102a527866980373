// TODO(lifecycle): callers move to app/queue/errors; then delete this file.
export { isTerminal, ShopUninstalledError, TerminalJobError } from "../queue/errors";
