/** The shop's own mail server (SMTP) for apologies, and a test send through the saved settings. */
import type { useFetcher } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Box,
  Button,
  InlineError,
  InlineGrid,
  InlineStack,
  Text,
  TextField,
} from "@shopify/polaris";
import { SETTINGS_ACTION } from "./settings-data";
import type { FormKit } from "./form-kit";
import type { SettingsActionData } from "./route.server";

export interface EmailSettingsProps {
  form: FormKit;
  passwordStored: boolean;
  emailSaved: boolean;
  emailDirty: boolean;
  testTo: string;
  setTestTo(value: string): void;
  test: ReturnType<typeof useFetcher<SettingsActionData>>;
}

export function EmailSettingsFields(props: EmailSettingsProps) {
  const { form, test } = props;
  const { errors } = form;
  const testResult = test.state === "idle" && test.data?.intent === "testEmail" ? test.data : null;
  // Testing connects to the server: the same authority as changing it.
  const testLocked = form.locked("offers.email.host");
  // The server's fields only when mail sending is on (or one of them needs fixing).
  const shown =
    form.values.offers.email.enabled || Object.keys(errors).some((path) => path.startsWith("offers.email."));
  return (
    <BlockStack gap="300">
      <Text as="h3" variant="headingSm">
        Your own mail server (optional)
      </Text>
      <Text as="p" tone="subdued">
        Send the apology from your store&apos;s address through your mail server (SMTP), in addition to any Flow
        workflow.
      </Text>
      {form.checkbox("offers.email.enabled", "Send apologies by email through this server")}
      {shown ? <MailServerFields {...props} testResult={testResult} testLocked={testLocked} /> : null}
    </BlockStack>
  );
}

function MailServerFields(
  props: EmailSettingsProps & {
    testResult: Extract<SettingsActionData, { intent: "testEmail" }> | null;
    testLocked: "MANAGER" | "OWNER" | null;
  },
) {
  const { form, passwordStored, emailSaved, emailDirty, testTo, setTestTo, test, testResult, testLocked } = props;
  const { errors, field } = form;
  return (
    <>
      <InlineGrid columns={{ xs: 1, md: 2 }} gap="300">
        <TextField
          label="SMTP host"
          helpText="Your mail provider's server, like smtp.example.com. It must be on the public internet."
          {...field("offers.email.host")}
        />
        <TextField
          label="Port"
          inputMode="numeric"
          helpText="587 for STARTTLS (usual), 465 for TLS from the start. The connection is always encrypted."
          {...field("offers.email.port")}
        />
        <TextField
          label="User name"
          helpText="Leave empty if the server needs no sign-in."
          {...field("offers.email.user")}
        />
        <TextField
          label="Password"
          type="password"
          helpText={
            passwordStored
              ? "A password is stored. Leave empty to keep it; changing the host, port, TLS or user name asks for it again."
              : "Stored encrypted; never shown again."
          }
          {...field("offers.email.password")}
          autoComplete="new-password"
        />
        <TextField
          label="From address"
          helpText="The address customers see, like care@yourstore.com."
          {...field("offers.email.from")}
        />
        <TextField
          label="Reply-to address"
          helpText="Where customers' replies go. Optional."
          {...field("offers.email.replyTo")}
        />
      </InlineGrid>
      {form.checkbox("offers.email.secure", "Use TLS from the start (port 465)")}
      <test.Form method="post" action={SETTINGS_ACTION}>
        <input type="hidden" name="intent" value="testEmail" />
        <BlockStack gap="200">
          <InlineStack gap="300" blockAlign="end">
            <Box minWidth="320px">
              <TextField
                label="Send a test message to"
                name="testTo"
                type="email"
                autoComplete="email"
                value={testTo}
                onChange={setTestTo}
                error={testResult && !testResult.ok ? testResult.fieldErrors?.testTo : undefined}
                disabled={testLocked !== null}
                helpText={
                  testLocked
                    ? form.help("offers.email.host", "Testing the mail server")
                    : !emailSaved
                      ? "Save a mail server first."
                      : emailDirty
                        ? "Save your changes first: the test uses the saved settings."
                        : "Uses the saved settings."
                }
              />
            </Box>
            <Button submit loading={test.state !== "idle"} disabled={testLocked !== null || !emailSaved || emailDirty}>
              Send test email
            </Button>
          </InlineStack>
          {testResult && !testResult.ok && !testResult.fieldErrors ? (
            <Banner tone="critical" title="The test message was not sent">
              <p>{testResult.message}</p>
            </Banner>
          ) : null}
          {testResult?.ok ? <Text as="p" tone="success">{`Sent to ${testResult.to}.`}</Text> : null}
          {errors["offers.email"] ? <InlineError message={errors["offers.email"]} fieldID="offers.email" /> : null}
        </BlockStack>
      </test.Form>
    </>
  );
}
