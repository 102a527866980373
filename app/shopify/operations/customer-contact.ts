/**
 * What a message to the customer needs, read at send time and never stored:
 * their language, first name (the greeting) and email address (the SMTP
 * channel, asked only when the shop sends email itself). Name and email are protected customer data Level 2: a shop whose
 * app is not approved for them gets them back null with an error, which this
 * operation tolerates (protectedFields) so the message still goes out, without
 * a name (docs/decisions/0015-protected-customer-data.md).
 */
import { z } from "zod";
import { defineOperation } from "../operation";
import { gid } from "../scalars";

export const CUSTOMER_CONTACT_QUERY = `#graphql
  query AmendsCustomerContact($id: ID!, $withEmail: Boolean!) {
    customer(id: $id) {
      id
      locale
      firstName
      defaultEmailAddress @include(if: $withEmail) { emailAddress }
    }
  }
`;

const customerContactData = z.object({
  customer: z
    .object({
      id: gid("Customer"),
      locale: z.string(),
      firstName: z.string().nullable(),
      /** Absent unless asked for (withEmail: only when the shop sends email itself). */
      defaultEmailAddress: z.object({ emailAddress: z.string().nullable() }).nullable().optional(),
    })
    .nullable(),
});

export type CustomerContact = NonNullable<z.output<typeof customerContactData>["customer"]>;

export const customerContact = defineOperation({
  document: CUSTOMER_CONTACT_QUERY,
  variables: z.object({ id: gid("Customer"), withEmail: z.boolean() }),
  data: customerContactData,
  protectedFields: [
    ["customer", "firstName"],
    ["customer", "defaultEmailAddress"],
    ["customer", "defaultEmailAddress", "emailAddress"],
  ],
});
