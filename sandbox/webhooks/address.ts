/** REST address objects (order shipping/billing address, customer default address, fulfillment destination). */
import type { MailingAddress } from "../store";

const COUNTRIES: Record<string, string> = {
  US: "United States",
  CA: "Canada",
  GB: "United Kingdom",
  AU: "Australia",
  DE: "Germany",
  FR: "France",
  NL: "Netherlands",
  IE: "Ireland",
  NZ: "New Zealand",
};

const PROVINCES: Record<string, string> = {
  "US-NY": "New York",
  "US-CA": "California",
  "US-TX": "Texas",
  "US-IL": "Illinois",
  "US-WA": "Washington",
  "US-FL": "Florida",
  "US-MA": "Massachusetts",
  "US-CO": "Colorado",
  "US-GA": "Georgia",
  "US-OR": "Oregon",
  "US-KY": "Kentucky",
  "CA-ON": "Ontario",
  "CA-QC": "Quebec",
  "CA-BC": "British Columbia",
  "AU-NSW": "New South Wales",
  "AU-VIC": "Victoria",
};

export const countryName = (code: string): string => COUNTRIES[code] ?? code;
export const provinceName = (countryCode: string, provinceCode: string | undefined): string | null =>
  provinceCode ? (PROVINCES[`${countryCode}-${provinceCode}`] ?? provinceCode) : null;

/** The address shape of order shipping_address / billing_address and fulfillment destination. */
export function restAddress(address: MailingAddress) {
  return {
    first_name: address.firstName,
    address1: address.address1,
    phone: null as string | null,
    city: address.city,
    zip: address.zip,
    province: provinceName(address.countryCode, address.provinceCode),
    country: countryName(address.countryCode),
    last_name: address.lastName,
    address2: null as string | null,
    company: null as string | null,
    latitude: null as number | null,
    longitude: null as number | null,
    name: `${address.firstName} ${address.lastName}`.trim(),
    country_code: address.countryCode,
    province_code: address.provinceCode ?? null,
  };
}

/** A customer's default_address (it has its own id and the owner's id). */
export function restCustomerAddress(address: MailingAddress, addressId: number, customerId: number) {
  return {
    id: addressId,
    customer_id: customerId,
    first_name: address.firstName,
    last_name: address.lastName,
    company: null as string | null,
    address1: address.address1,
    address2: null as string | null,
    city: address.city,
    province: provinceName(address.countryCode, address.provinceCode),
    country: countryName(address.countryCode),
    zip: address.zip,
    phone: null as string | null,
    name: `${address.firstName} ${address.lastName}`.trim(),
    province_code: address.provinceCode ?? null,
    country_code: address.countryCode,
    country_name: countryName(address.countryCode),
    default: true,
  };
}
