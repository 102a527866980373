/**
 * The shop facts Amends keeps: its timezone (business days), currency (offer values), plan, and
 * whether it uses new customer accounts (store credit is spendable only there). Read at install,
 * on app/scopes_update and daily (refresh-shop-facts).
 */
import { z } from "zod";
import { defineOperation } from "../operation";

export const SHOP_INFO_QUERY = `#graphql
  query AmendsShopInfo {
    shop {
      name
      ianaTimezone
      currencyCode
      plan {
        publicDisplayName
        partnerDevelopment
        shopifyPlus
      }
      customerAccountsV2 {
        customerAccountsVersion
      }
    }
  }
`;

export const shopInfoData = z.object({
  shop: z.object({
    name: z.string(),
    ianaTimezone: z.string().min(1),
    currencyCode: z.string().length(3),
    plan: z.object({ publicDisplayName: z.string(), partnerDevelopment: z.boolean(), shopifyPlus: z.boolean() }),
    customerAccountsV2: z.object({ customerAccountsVersion: z.enum(["CLASSIC", "NEW_CUSTOMER_ACCOUNTS"]) }),
  }),
});

export const shopInfo = defineOperation({ document: SHOP_INFO_QUERY, data: shopInfoData });
