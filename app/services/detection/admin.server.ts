// TODO(lifecycle): make-good.server.ts moves to app/shopify/admin.server; then delete this file.
export { backgroundAdmin } from "../../shopify/admin.server";
