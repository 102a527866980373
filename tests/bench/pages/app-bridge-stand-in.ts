/**
 * What bench:pages serves in place of App Bridge (https://cdn.shopify.com/shopifycloud/app-bridge.js),
 * which cannot be loaded here. Only what the app uses of it: `shopify.idToken()` (a session token
 * minted by the bench, standing in for the admin frame's answer), the session token added to the
 * app's own fetch requests (as App Bridge does), `shopify.toast`, and the `ui-nav-menu`,
 * `ui-save-bar` and `ui-title-bar` elements (drawn by the admin, so hidden in the app's frame).
 * Its cost is not App Bridge's: see the README on what production LCP includes.
 */
export const APP_BRIDGE_URL = "https://cdn.shopify.com/shopifycloud/app-bridge.js";

/** `tokenBinding` names a page binding (Playwright exposeBinding) that returns a fresh session token. */
export function appBridgeStandIn(tokenBinding: string): string {
  return `(() => {
  const idToken = () => window[${JSON.stringify(tokenBinding)}]();
  const nativeFetch = window.fetch.bind(window);
  window.fetch = async (input, init = {}) => {
    const url = new URL(input instanceof Request ? input.url : String(input), location.href);
    if (url.origin !== location.origin) return nativeFetch(input, init);
    const headers = new Headers(init.headers ?? (input instanceof Request ? input.headers : undefined));
    if (!headers.has("authorization")) headers.set("authorization", "Bearer " + (await idToken()));
    return nativeFetch(input, { ...init, headers });
  };
  const hidden = () => class extends HTMLElement {
    connectedCallback() { this.style.display = "none"; }
  };
  class SaveBar extends HTMLElement {
    connectedCallback() { this.style.display = "none"; }
    show() { return Promise.resolve(); }
    hide() { return Promise.resolve(); }
    toggle() { return Promise.resolve(); }
  }
  customElements.define("ui-nav-menu", hidden());
  customElements.define("ui-title-bar", hidden());
  customElements.define("ui-save-bar", SaveBar);
  const noop = () => {};
  window.shopify = {
    idToken,
    toast: { show: noop, hide: noop },
    loading: noop,
    saveBar: { show: async () => {}, hide: async () => {}, toggle: async () => {}, leaveConfirmation: async () => {} },
    config: { apiKey: document.currentScript?.dataset.apiKey ?? "", host: "", locale: "en" },
  };
})();`;
}
