/**
 * A root cause as the incidents page's `cause` URL parameter (decision 0118), so the dashboard and
 * the digest link each cause to its incidents: "product:123" and "location:45" (the number of the
 * product's or location's Shopify GID), "carrier:UPS". Keys that are not such a GID keep their
 * stored form ("location:loc-1"). Unknown or malformed values read as no filter: a URL is not a form.
 */
import { CAUSE_DIMENSIONS, type CauseDimension } from "./digest";

export interface CauseFilter {
  dimension: CauseDimension;
  /** As stored in Incident.rootCause: a product or location GID, or the carrier's name. */
  key: string;
}

const GID_TYPES: Partial<Record<CauseDimension, string>> = { product: "Product", location: "Location" };

export function causeParam(cause: CauseFilter): string {
  const type = GID_TYPES[cause.dimension];
  const numeric = type ? new RegExp(`^gid://shopify/${type}/(\\d+)$`).exec(cause.key) : null;
  return `${cause.dimension}:${numeric ? numeric[1] : cause.key}`;
}

export function parseCauseParam(value: string | null): CauseFilter | null {
  if (!value) return null;
  const colon = value.indexOf(":");
  if (colon < 0) return null;
  const dimension = value.slice(0, colon);
  const key = value.slice(colon + 1).trim();
  if (!(CAUSE_DIMENSIONS as readonly string[]).includes(dimension) || !key || key.length > 200) return null;
  const type = GID_TYPES[dimension as CauseDimension];
  return {
    dimension: dimension as CauseDimension,
    key: type && /^\d+$/.test(key) ? `gid://shopify/${type}/${key}` : key,
  };
}

/** The Incident.rootCause list a dimension's keys are stored in. */
export const ROOT_CAUSE_FIELDS: Record<CauseDimension, "productIds" | "carriers" | "locations"> = {
  product: "productIds",
  carrier: "carriers",
  location: "locations",
};
