/** The shop facts Amends keeps: its timezone (business days), currency (offer values) and plan. */
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
    }
  }
`;

export const shopInfoData = z.object({
  shop: z.object({
    name: z.string(),
    ianaTimezone: z.string().min(1),
    currencyCode: z.string().length(3),
    plan: z.object({ publicDisplayName: z.string(), partnerDevelopment: z.boolean(), shopifyPlus: z.boolean() }),
  }),
});

export const shopInfo = defineOperation({ document: SHOP_INFO_QUERY, data: shopInfoData });
