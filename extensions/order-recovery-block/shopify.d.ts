// The `shopify` global the module sees (what `shopify app dev` would generate).
import "@shopify/ui-extensions";

declare module "./src/BlockExtension.tsx" {
  const shopify: import("@shopify/ui-extensions/admin.order-details.block.render").Api;
  const globalThis: { shopify: typeof shopify };
}
