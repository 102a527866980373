/** How customers hear about their make-good: Shopify Flow, Shopify's own emails, the shop's mail server. */
import type { useFetcher } from "@remix-run/react";
import { Badge, Checkbox, Divider, InlineStack, Text } from "@shopify/polaris";
import { SectionCard } from "../../components/SectionCard";
import { EmailSettingsFields } from "./EmailSettingsFields";
import type { FormKit } from "./form-kit";
import type { SettingsActionData } from "./route.server";

function FlowTriggerBadge({ name, inUse }: { name: string; inUse: boolean }) {
  return (
    <Badge tone={inUse ? "success" : undefined}>{`${name}: ${inUse ? "in use" : "not used by a workflow"}`}</Badge>
  );
}

export function NotificationsCard(props: {
  form: FormKit;
  flow: { offerIssuedInUse: boolean; followUpInUse: boolean };
  passwordStored: boolean;
  emailSaved: boolean;
  emailDirty: boolean;
  testTo: string;
  setTestTo(value: string): void;
  test: ReturnType<typeof useFetcher<SettingsActionData>>;
}) {
  const { form, flow, ...email } = props;
  const { values, set } = form;
  return (
    <SectionCard
      section="fullWidth"
      gap="400"
      title="Notifications"
      description="How customers hear about their make-good."
    >
      <Text as="h3" variant="headingSm">
        Shopify Flow
      </Text>
      <Text as="p">
        Amends sends the &quot;Recovery offer issued&quot; and &quot;Recovery follow-up due&quot; triggers to Shopify
        Flow only while one of your Flow workflows uses them, so your own email or SMS tools can send the message. Build
        a workflow in Shopify Flow starting from these triggers to use them.
      </Text>
      <InlineStack gap="300">
        <FlowTriggerBadge name="Offer issued" inUse={flow.offerIssuedInUse} />
        <FlowTriggerBadge name="Follow-up due" inUse={flow.followUpInUse} />
      </InlineStack>
      <Divider />
      <Text as="h3" variant="headingSm">
        Shopify&apos;s own emails
      </Text>
      <Checkbox
        label="Let Shopify email customers about store credit"
        helpText="Shopify tells the customer when credit is added to their account."
        checked={values.offers.notifyStoreCredit}
        onChange={(checked) => set("offers.notifyStoreCredit", checked)}
      />
      <Checkbox
        label="Let Shopify email gift cards"
        helpText="Shopify sends the gift card to the customer's email address."
        checked={values.offers.notifyGiftCard}
        onChange={(checked) => set("offers.notifyGiftCard", checked)}
      />
      <Divider />
      <EmailSettingsFields form={form} {...email} />
    </SectionCard>
  );
}
