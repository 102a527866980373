/** How customers hear about their make-good: Shopify Flow, Shopify's own emails, the shop's mail server. */
import { Badge, Banner, Box, Divider, InlineStack, Text, TextField } from "@shopify/polaris";
import type { ProtectedDataNote } from "../../settings-form";
import { EmailSettingsFields, type EmailSettingsProps } from "./EmailSettingsFields";
import { SettingsSection } from "./form-kit";

function FlowTriggerBadge({ name, inUse }: { name: string; inUse: boolean }) {
  return (
    <Badge tone={inUse ? "success" : undefined}>{`${name}: ${inUse ? "in use" : "not used by a workflow"}`}</Badge>
  );
}

export function NotificationsCard(
  props: EmailSettingsProps & {
    flow: { triggers: ReadonlyArray<{ handle: string; name: string; inUse: boolean }> };
    protectedData: ProtectedDataNote | null;
  },
) {
  const { form, flow, protectedData, ...email } = props;
  return (
    <SettingsSection title="Notifications" description="How customers hear about their make-good.">
      {protectedData && (
        <Banner tone="warning" title={protectedData.title}>
          <p>{protectedData.body}</p>
        </Banner>
      )}
      <Text as="h3" variant="headingSm">
        Shopify Flow
      </Text>
      <Text as="p">
        Amends sends each of its triggers to Shopify Flow only while one of your Flow workflows uses it, so your own
        email or SMS tools can send the message. Build a workflow in Shopify Flow starting from a trigger to use it.
      </Text>
      <InlineStack gap="300">
        {flow.triggers.map((trigger) => (
          <FlowTriggerBadge key={trigger.handle} name={trigger.name} inUse={trigger.inUse} />
        ))}
      </InlineStack>
      <Divider />
      <Text as="h3" variant="headingSm">
        Shopify&apos;s own emails
      </Text>
      {form.checkbox(
        "offers.notifyStoreCredit",
        "Let Shopify email customers about store credit",
        "Shopify tells the customer when credit is added to their account.",
      )}
      {form.checkbox(
        "offers.notifyGiftCard",
        "Let Shopify email gift cards",
        "Shopify sends the gift card to the customer's email address.",
      )}
      <Divider />
      {form.locked("offers.email.host") ? (
        <Text as="p" tone="subdued">
          {`${form.help("offers.email.host")}: the mail server below can only be changed by a manager or the owner.`}
        </Text>
      ) : null}
      <EmailSettingsFields form={form} {...email} />
      <Divider />
      <Text as="h3" variant="headingSm">
        Weekly digest for you
      </Text>
      <Text as="p">
        Every Monday Amends sums up last week: the products, carriers and locations behind the most incidents, their
        trend, what recovery cost, and the one fix that would remove the most incidents. It goes to the &quot;Recovery
        digest ready&quot; Flow trigger when a workflow uses it, and by email through the mail server above to the
        address below. Leave the address empty for no digest email.
      </Text>
      <Box maxWidth="420px">
        <TextField
          label="Email the weekly digest to"
          type="email"
          helpText={form.help(
            "offers.digestEmailTo",
            "Your own address, like you@yourstore.com. Sent only while the mail server is on.",
          )}
          {...form.field("offers.digestEmailTo")}
        />
      </Box>
    </SettingsSection>
  );
}
