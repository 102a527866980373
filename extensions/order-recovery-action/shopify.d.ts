// The `shopify` global each module sees, per target (what `shopify app dev` would generate).
import "@shopify/ui-extensions";

declare module "./src/ActionExtension.tsx" {
  const shopify: import("@shopify/ui-extensions/admin.order-details.action.render").Api;
  const globalThis: { shopify: typeof shopify };
}

declare module "./src/ShouldRender.ts" {
  const shopify: import("@shopify/ui-extensions/admin.order-details.action.should-render").Api;
  const globalThis: { shopify: typeof shopify };
}
