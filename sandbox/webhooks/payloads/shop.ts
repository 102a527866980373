/** app/uninstalled (the shop object) and the three compliance payloads. */
import type { Customer, Id, ShopState } from "../../store";
import { restId, shopNumericId, timeZoneOffsetMinutes } from "../rest-format";

function gmtLabel(shop: ShopState, at: Date): string {
  const offset = timeZoneOffsetMinutes(at, shop.ianaTimezone);
  const sign = offset < 0 ? "-" : "+";
  const hh = String(Math.trunc(Math.abs(offset) / 60)).padStart(2, "0");
  const mm = String(Math.abs(offset) % 60).padStart(2, "0");
  return `(GMT${sign}${hh}:${mm}) ${shop.ianaTimezone}`;
}

/** The REST Shop resource, the body of app/uninstalled. The store keeps few shop fields; the rest are plain defaults. */
export function shopPayload(shop: ShopState, at: Date) {
  const email = `owner@${shop.domain}`;
  const symbol = shop.currency === "USD" || shop.currency === "CAD" || shop.currency === "AUD" ? "$" : "";
  return {
    id: shopNumericId(shop.domain),
    name: shop.name,
    email,
    domain: shop.domain,
    province: null as string | null,
    country: "US",
    address1: "1 Sandbox Street",
    zip: "10001",
    city: "New York",
    source: null as string | null,
    phone: null as string | null,
    latitude: null as number | null,
    longitude: null as number | null,
    primary_locale: "en",
    address2: null as string | null,
    // The store does not know when the shop was created (Shopify's own example leaves these null too).
    created_at: null as string | null,
    updated_at: null as string | null,
    country_code: "US",
    country_name: "United States",
    currency: shop.currency,
    customer_email: email,
    timezone: gmtLabel(shop, at),
    iana_timezone: shop.ianaTimezone,
    shop_owner: shop.name,
    money_format: `${symbol}{{amount}}`,
    money_with_currency_format: `${symbol}{{amount}} ${shop.currency}`,
    weight_unit: "kg",
    province_code: null as string | null,
    taxes_included: false,
    auto_configure_tax_inclusivity: null as boolean | null,
    tax_shipping: null as boolean | null,
    county_taxes: true,
    plan_display_name: shop.plan,
    plan_name: shop.plan.toLowerCase().replace(/\s+/g, "_"),
    has_discounts: shop.discounts.size > 0,
    has_gift_cards: shop.giftCards.size > 0,
    myshopify_domain: shop.domain,
    google_apps_domain: null as string | null,
    google_apps_login_enabled: null as boolean | null,
    money_in_emails_format: `${symbol}{{amount}}`,
    money_with_currency_in_emails_format: `${symbol}{{amount}} ${shop.currency}`,
    eligible_for_payments: true,
    requires_extra_payments_agreement: false,
    password_enabled: false,
    has_storefront: true,
    finances: true,
    primary_location_id: shopNumericId(shop.domain) + 1,
    checkout_api_supported: true,
    multi_location_enabled: true,
    setup_required: false,
    pre_launch_enabled: false,
    enabled_presentment_currencies: [shop.currency],
    marketing_sms_consent_enabled_at_checkout: false,
    transactional_sms_disabled: false,
  };
}

const complianceCustomer = (customer: Customer) => ({
  id: restId(customer.id),
  email: customer.email,
  phone: null as string | null,
});

export function customerRedactPayload(shop: ShopState, customer: Customer, orderIds: Id[]) {
  return {
    shop_id: shopNumericId(shop.domain),
    shop_domain: shop.domain,
    customer: complianceCustomer(customer),
    orders_to_redact: orderIds.map(restId),
  };
}

export function customerDataRequestPayload(shop: ShopState, customer: Customer, orderIds: Id[], dataRequestId: Id) {
  return {
    shop_id: shopNumericId(shop.domain),
    shop_domain: shop.domain,
    customer: complianceCustomer(customer),
    orders_requested: orderIds.map(restId),
    data_request: { id: restId(dataRequestId) },
  };
}

export function shopRedactPayload(shop: ShopState) {
  return { shop_id: shopNumericId(shop.domain), shop_domain: shop.domain };
}
