import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useFetcher, useLoaderData, type ShouldRevalidateFunction } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  Checkbox,
  ChoiceList,
  DataTable,
  Divider,
  InlineError,
  InlineGrid,
  InlineStack,
  Layout,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useEffect, useMemo, useState, type ReactNode } from "react";
import { z } from "zod";
import { FormSaveBar, useFeedback } from "../components/Feedback";
import { formObject, jsonField, parseWith, type FieldErrors } from "../forms";
import { AUTHORITY_LEVELS, INCIDENT_TYPES, STORE_CANCEL_REASONS, formatMoney, type IncidentType } from "../recovery";
import {
  OFFER_PLACEHOLDERS,
  OFFER_TEXT_KEYS,
  PROBLEM_PLACEHOLDERS,
  SUBJECT_PLACEHOLDERS,
  TEMPLATE_KEYS,
  TEMPLATE_PLACEHOLDERS,
  type OfferTextKey,
} from "../recovery/messages/overrides";
import { LEVEL_LABELS, SEVERITY_OPTIONS, changedSections, previewMessage, type SettingsValues } from "../settings-form";
import { saveSettings, sendSettingsTestEmail, settingsForm } from "../services/settings.server";
import { staffContext } from "../staff.server";

export const meta: MetaFunction = () => [{ title: "Settings · Amends" }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop, staff, admin } = await staffContext(request);
  const form = await settingsForm(shop, staff);
  // The test message goes to the signed-in member unless they type another address.
  return { ...form, viewerEmail: admin.session.onlineAccessInfo?.associated_user.email ?? "" };
};

const intentSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("save") }),
  z.object({ intent: z.literal("testEmail"), testTo: z.email("Enter an email address, like you@yourstore.com") }),
]);

export type SettingsActionData =
  | { intent: "save"; ok: true; saved: string[] }
  | { intent: "save"; ok: false; fieldErrors: FieldErrors; message: string }
  | { intent: "testEmail"; ok: true; to: string }
  | { intent: "testEmail"; ok: false; message: string; fieldErrors?: FieldErrors };

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, staff } = await staffContext(request);
  const form = await request.formData();
  const parsed = parseWith(intentSchema, formObject(form));
  if (!parsed.ok) {
    const result: SettingsActionData = {
      intent: "testEmail",
      ok: false,
      message: "Enter the address to send the test to",
      fieldErrors: parsed.fieldErrors,
    };
    return data(result, { status: 400 });
  }
  if (parsed.data.intent === "testEmail") {
    const sent = await sendSettingsTestEmail(shop, parsed.data.testTo);
    return data<SettingsActionData>({ intent: "testEmail", ...sent });
  }
  const saved = await saveSettings(shop, staff, jsonField(form));
  if (!saved.ok)
    return data<SettingsActionData>(
      { intent: "save", ok: false, fieldErrors: saved.fieldErrors, message: saved.message },
      { status: saved.status },
    );
  return data<SettingsActionData>({ intent: "save", ok: true, saved: saved.saved });
};

// A test send changes nothing the page shows; reloading would only throw away unsaved edits.
export const shouldRevalidate: ShouldRevalidateFunction = ({ formData, defaultShouldRevalidate }) =>
  formData?.get("intent") === "testEmail" ? false : defaultShouldRevalidate;

// ---------------------------------------------------------------------------------------------

type Path = string;

function getAt(values: unknown, path: Path): unknown {
  return path
    .split(".")
    .reduce<unknown>(
      (node, key) => (node && typeof node === "object" ? (node as Record<string, unknown>)[key] : undefined),
      values,
    );
}

function setAt<T>(values: T, path: Path, value: unknown): T {
  const [head, ...rest] = path.split(".");
  if (head === undefined) return values;
  const node = (values ?? {}) as Record<string, unknown>;
  return { ...node, [head]: rest.length === 0 ? value : setAt(node[head], rest.join("."), value) } as T;
}

const INCIDENT_LABELS: Record<IncidentType, string> = {
  LATE_FULFILLMENT: "Late to ship",
  DELIVERY_DELAY: "Delivery delayed",
  DELIVERY_FAILURE: "Delivery failed",
  REFUND: "Refunded by the store",
  MERCHANT_CANCELLATION: "Cancelled by the store",
  MANUAL: "Opened by staff",
};
const OFFER_LABELS: Record<OfferTextKey, string> = {
  DISCOUNT_PERCENT: "Percentage discount code",
  DISCOUNT_FIXED: "Fixed-amount discount code",
  STORE_CREDIT: "Store credit",
  GIFT_CARD: "Gift card with an expiry",
  GIFT_CARD_NO_EXPIRY: "Gift card without expiry",
  GIFT_PRODUCT: "Free gift product",
  NONE: "Apology only (no offer)",
};
const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const CANCEL_LABELS: Record<string, string> = {
  inventory: "Out of stock",
  declined: "Payment declined",
  other: "Other store reason",
  staff: "Staff error",
};

export default function SettingsPage() {
  const loaded = useLoaderData<typeof loader>();
  const feedback = useFeedback();
  const save = useFetcher<SettingsActionData>({ key: "settings-save" });
  const test = useFetcher<SettingsActionData>({ key: "settings-test-email" });
  const serialized = JSON.stringify(loaded.values);
  const initial = useMemo(() => JSON.parse(serialized) as SettingsValues, [serialized]);
  const [values, setValues] = useState<SettingsValues>(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formMessage, setFormMessage] = useState<string | null>(null);
  const [testTo, setTestTo] = useState(loaded.viewerEmail);

  // Newly loaded settings (after a save) become the form's starting point.
  useEffect(() => {
    setValues(initial);
  }, [initial]);

  useEffect(() => {
    const result = save.data;
    if (save.state !== "idle" || !result || result.intent !== "save") return;
    if (result.ok) {
      setErrors({});
      setFormMessage(null);
      feedback.toast("Settings saved");
    } else {
      setErrors(result.fieldErrors);
      setFormMessage(result.message);
      feedback.toast(result.message, { error: true });
    }
    // feedback is stable; the result is handled once per response.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [save.state, save.data]);

  useEffect(() => {
    const result = test.data;
    if (test.state !== "idle" || !result || result.intent !== "testEmail") return;
    feedback.toast(result.ok ? `Test message sent to ${result.to}` : result.message, { error: !result.ok });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [test.state, test.data]);

  const changed = changedSections(initial, values);
  const dirty = changed.length > 0;
  const saving = save.state !== "idle";

  const submit = () => {
    // Only the sections that changed: a colleague's edit of another section is never overwritten.
    const payload = Object.fromEntries(changed.map((section) => [section, values[section]]));
    save.submit({ intent: "save", payload: JSON.stringify(payload) }, { method: "post" });
  };
  const discard = () => {
    setValues(initial);
    setErrors({});
    setFormMessage(null);
  };

  const field = (path: Path) => ({
    value: String(getAt(values, path) ?? ""),
    onChange: (value: string) => setValues((current) => setAt(current, path, value)),
    error: errors[path],
    autoComplete: "off",
  });
  const defaultOf = (path: Path, unit = "") => {
    const value = String(getAt(loaded.defaults, path) ?? "");
    return value === "" ? "Default: off" : `Default: ${value}${unit}`;
  };
  const money = (path: Path, label: string, help: string, optional = false) => (
    <TextField
      label={label}
      inputMode="decimal"
      suffix={loaded.shop.currency}
      helpText={`${help} ${optional ? "Leave empty for none. " : ""}${defaultOf(path, ` ${loaded.shop.currency}`)}.`}
      {...field(path)}
    />
  );
  const number = (path: Path, label: string, help: string, suffix?: string, optional = false) => (
    <TextField
      label={label}
      type="text"
      inputMode="decimal"
      suffix={suffix}
      helpText={`${help} ${optional ? "Leave empty to skip this level. " : ""}${defaultOf(path, suffix ? ` ${suffix}` : "")}.`}
      {...field(path)}
    />
  );
  const groupError = (path: Path) => (errors[path] ? <InlineError message={errors[path]} fieldID={path} /> : null);

  const { budget, shop, viewer } = loaded;
  const formatMinor = (minor: number) => formatMoney(minor, shop.currency);
  const managerHelp = viewer.canManage ? undefined : "Only a manager or the account owner can change this.";

  return (
    <Page
      title="Settings"
      subtitle={`Times are in your store's time zone (${shop.timeZone}); money in ${shop.currency}.`}
    >
      <TitleBar title="Settings" />
      <FormSaveBar id="settings-save-bar" dirty={dirty} saving={saving} onSave={submit} onDiscard={discard} />
      <Layout>
        {formMessage ? (
          <Layout.Section>
            <Banner tone="critical" title={formMessage}>
              <p>Nothing was saved. Each setting that needs fixing says why below.</p>
            </Banner>
          </Layout.Section>
        ) : null}

        <SettingsCard
          title="Detection"
          intro="When Amends opens an incident. Orders are checked against your promised handling time, counted in business days."
        >
          <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
            {number(
              "detection.handlingDays",
              "Handling time",
              "Business days you promise to ship in; an order still unshipped after that is late.",
              "business days",
            )}
            {number(
              "detection.attemptedDeliveryThreshold",
              "Failed delivery attempts",
              "Attempts on one parcel before it counts as a failed delivery.",
              "attempts",
            )}
          </InlineGrid>
          <ChoiceList
            title="Days you don't ship (weekends)"
            allowMultiple
            choices={WEEKDAYS.map((label, day) => ({ label, value: String(day) }))}
            selected={values.detection.weekendDays.map(String)}
            onChange={(selected) => setValues((v) => setAt(v, "detection.weekendDays", selected.map(Number).sort()))}
            error={errors["detection.weekendDays"]}
          />
          <TextField
            label="Holidays"
            helpText="Dates you don't ship, as YYYY-MM-DD separated by commas, like 2026-12-25, 2027-01-01. They don't count as business days."
            multiline={2}
            {...field("detection.holidays")}
          />
          <ChoiceList
            title="Incidents Amends acts on"
            allowMultiple
            choices={INCIDENT_TYPES.map((type) => ({ label: INCIDENT_LABELS[type], value: type }))}
            selected={values.decision.enabledIncidentTypes}
            onChange={(selected) => setValues((v) => setAt(v, "decision.enabledIncidentTypes", selected))}
            error={errors["decision.enabledIncidentTypes"]}
          />
          <ChoiceList
            title="Store cancellation reasons that count"
            allowMultiple
            choices={STORE_CANCEL_REASONS.map((reason) => ({ label: CANCEL_LABELS[reason] ?? reason, value: reason }))}
            selected={values.detection.cancellationReasons}
            onChange={(selected) => setValues((v) => setAt(v, "detection.cancellationReasons", selected))}
            error={errors["detection.cancellationReasons"]}
          />
          <Checkbox
            label="Count refunds for customer returns"
            helpText="Off by default: a return the customer asked for is not a service failure."
            checked={values.detection.countReturnRefunds}
            onChange={(checked) => setValues((v) => setAt(v, "detection.countReturnRefunds", checked))}
          />
          <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
            <TextField
              label="Excluded order tags"
              helpText="Orders with any of these tags never open an incident. Separate tags with commas."
              {...field("detection.excludedOrderTags")}
            />
            <TextField
              label="Excluded customer tags"
              helpText="Customers with any of these tags (staff accounts, for example) are left out."
              {...field("detection.excludedCustomerTags")}
            />
          </InlineGrid>
        </SettingsCard>

        <SettingsCard
          title="Severity"
          intro="How bad a failure is. Each level starts at the number of days late shown; leave a level empty to never reach it by days alone."
        >
          {(["lateFulfillment", "deliveryDelay"] as const).map((ladder) => (
            <BlockStack gap="200" key={ladder}>
              <Text as="h3" variant="headingSm">
                {ladder === "lateFulfillment"
                  ? "Late to ship: days past the handling time"
                  : "Delivery delayed: days past the promised date"}
              </Text>
              <InlineGrid columns={{ xs: 2, md: 4 }} gap="300">
                {(["minor", "moderate", "major", "critical"] as const).map((level) => (
                  <TextField
                    key={level}
                    label={`${level[0]?.toUpperCase()}${level.slice(1)} from`}
                    inputMode="numeric"
                    suffix="days"
                    helpText={defaultOf(`severity.${ladder}.${level}`)}
                    {...field(`severity.${ladder}.${level}`)}
                  />
                ))}
              </InlineGrid>
              {groupError(`severity.${ladder}`)}
            </BlockStack>
          ))}
          <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
            {number(
              "severity.refund.moderateFromPercent",
              "Refund: moderate from",
              "A refund of at least this share of the order is moderate; below it, minor.",
              "%",
            )}
            {number(
              "severity.refund.majorAbovePercent",
              "Refund: major above",
              "A refund of more than this share of the order is major.",
              "%",
            )}
            <Select
              label="Failed delivery"
              options={SEVERITY_OPTIONS}
              value={values.severity.deliveryFailure}
              onChange={(v) => setValues((c) => setAt(c, "severity.deliveryFailure", v))}
              error={errors["severity.deliveryFailure"]}
            />
            <Select
              label="Cancelled by the store"
              options={SEVERITY_OPTIONS}
              value={values.severity.merchantCancellation}
              onChange={(v) => setValues((c) => setAt(c, "severity.merchantCancellation", v))}
              error={errors["severity.merchantCancellation"]}
            />
            {number(
              "severity.repeatCustomerWindowDays",
              "Repeat customer window",
              "Another incident of the same customer within this many days raises severity one level. 0 turns it off.",
              "days",
            )}
            {money(
              "severity.highValueOrderMinor",
              "High-value order",
              "Orders above this value raise severity one level.",
              true,
            )}
          </InlineGrid>
        </SettingsCard>

        <SettingsCard
          title="Customer tiers"
          intro="How valuable a customer is, from their lifetime spend and number of orders. A customer reaches a tier by either figure."
        >
          {number(
            "tiers.newMaxEarlierOrders",
            "New customer: at most",
            "Customers with at most this many orders before the one that went wrong are NEW; guests are always NEW.",
            "earlier orders",
          )}
          <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
            {number("tiers.loyal.minOrders", "Loyal from", "Orders that make a customer LOYAL.", "orders")}
            {money("tiers.loyal.minSpendMinor", "Loyal from spend", "Lifetime spend that makes a customer LOYAL.")}
            {number("tiers.vip.minOrders", "VIP from", "Orders that make a customer VIP.", "orders")}
            {money("tiers.vip.minSpendMinor", "VIP from spend", "Lifetime spend that makes a customer VIP.")}
          </InlineGrid>
          {groupError("tiers.vip")}
          {groupError("tiers")}
        </SettingsCard>

        <SettingsCard
          title="Offers and guardrails"
          intro="Limits every make-good is checked against before it goes out. Above a limit the offer waits for a person instead of being refused."
        >
          <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
            {number(
              "decision.holdoutShare",
              "Holdout share",
              "Share of incidents that get no offer, at random, so you can see whether make-goods bring customers back. 0 to 50.",
              "%",
            )}
            {number(
              "decision.cooldownDays",
              "Cooldown per customer",
              "At most one offer per customer in this many days without a manager.",
              "days",
            )}
            {money(
              "decision.yearlyCapPerCustomerMinor",
              "Yearly cap per customer",
              "Face value one customer may receive in 365 days without a manager.",
              true,
            )}
            {money(
              "decision.autoApproveCeilingMinor",
              "Auto-approve up to",
              "Offers worth more than this wait for staff approval.",
            )}
          </InlineGrid>
          <BlockStack gap="200">
            <TextField
              label="Monthly budget"
              inputMode="decimal"
              suffix={shop.currency}
              disabled={!viewer.canManage}
              helpText={`${managerHelp ?? "Face value issued plus waiting offers per calendar month; an offer that would go over waits for a manager. Leave empty for no budget."} ${defaultOf("decision.monthlyBudgetMinor", ` ${shop.currency}`)}.`}
              {...field("decision.monthlyBudgetMinor")}
            />
            <Text as="p" tone="subdued">
              {`Used so far in ${budget.month}: ${formatMinor(budget.spentMinor)} (${formatMinor(budget.issuedMinor)} issued, ${formatMinor(budget.committedMinor)} waiting)`}
              {budget.budgetMinor === null ? "; no budget set." : ` of ${formatMinor(budget.budgetMinor)}.`}
            </Text>
          </BlockStack>
        </SettingsCard>

        <SettingsCard
          title="Approvals"
          intro="How long offers wait for approval, and what each staff member may approve. The account owner can always approve everything."
        >
          <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
            {number(
              "offers.escalateAfterHours",
              "Escalate to a manager after",
              "A waiting offer is sent on to managers after this long.",
              "hours",
            )}
            {number(
              "offers.expireAfterHours",
              "Expire after",
              "A waiting offer nobody decided on expires after this long.",
              "hours",
            )}
          </InlineGrid>
          <Divider />
          <Text as="h3" variant="headingSm">
            Approval limits
          </Text>
          {managerHelp ? (
            <Text as="p" tone="subdued">
              {managerHelp}
            </Text>
          ) : null}
          <InlineGrid columns={{ xs: 1, md: 3 }} gap="300">
            {AUTHORITY_LEVELS.map((level) => (
              <TextField
                key={level}
                label={`${LEVEL_LABELS[level]} may approve up to`}
                inputMode="decimal"
                suffix={shop.currency}
                disabled={!viewer.canManage || (level === "OWNER" && !viewer.isOwner)}
                helpText={`Empty: no limit. ${defaultOf(`authority.limits.${level}`, ` ${shop.currency}`)}.`}
                {...field(`authority.limits.${level}`)}
              />
            ))}
          </InlineGrid>
          {groupError("authority.limits")}
          <Select
            label="Level of staff not listed below"
            options={AUTHORITY_LEVELS.filter(
              (l) => l !== "OWNER" || viewer.isOwner || values.authority.defaultLevel === "OWNER",
            ).map((l) => ({ label: LEVEL_LABELS[l], value: l }))}
            value={values.authority.defaultLevel}
            onChange={(v) => setValues((c) => setAt(c, "authority.defaultLevel", v))}
            disabled={!viewer.canManage}
            error={errors["authority.defaultLevel"]}
          />
          <Text as="h3" variant="headingSm">
            Staff
          </Text>
          {loaded.staff.length === 0 ? (
            <Text as="p" tone="subdued">
              Staff appear here once they have opened Amends.
            </Text>
          ) : (
            <DataTable
              columnContentTypes={["text", "text", "text"]}
              headings={["Member", "Email", "Level"]}
              rows={loaded.staff.map((member) => [
                member.name,
                member.email ?? "—",
                member.accountOwner ? (
                  "Owner (account owner)"
                ) : (
                  <Select
                    key={member.userId}
                    label={`Level of ${member.name}`}
                    labelHidden
                    options={[
                      { label: `Default (${LEVEL_LABELS[values.authority.defaultLevel]})`, value: "DEFAULT" },
                      ...AUTHORITY_LEVELS.filter(
                        (l) => l !== "OWNER" || viewer.isOwner || values.authority.members[member.userId] === "OWNER",
                      ).map((l) => ({ label: LEVEL_LABELS[l], value: l })),
                    ]}
                    value={values.authority.members[member.userId] ?? "DEFAULT"}
                    onChange={(v) =>
                      setValues((c) => {
                        // "Default" is the absence of a stored level: dropping the key keeps an undo from looking like a change.
                        const { [member.userId]: _previous, ...others } = c.authority.members;
                        return setAt(
                          c,
                          "authority.members",
                          v === "DEFAULT" ? others : { ...others, [member.userId]: v },
                        );
                      })
                    }
                    disabled={!viewer.canManage}
                    error={errors[`authority.members.${member.userId}`]}
                  />
                ),
              ])}
            />
          )}
          {groupError("authority.members")}
        </SettingsCard>

        <MessagesCard values={values} setValues={setValues} errors={errors} shop={shop} now={loaded.now} />

        <SettingsCard title="Notifications" intro="How customers hear about their make-good.">
          <Text as="h3" variant="headingSm">
            Shopify Flow
          </Text>
          <Text as="p">
            Amends sends the &quot;Recovery offer issued&quot; and &quot;Recovery follow-up due&quot; triggers to
            Shopify Flow only while one of your Flow workflows uses them, so your own email or SMS tools can send the
            message. Build a workflow in Shopify Flow starting from these triggers to use them.
          </Text>
          <InlineStack gap="300">
            <Badge
              tone={loaded.flow.offerIssuedInUse ? "success" : undefined}
            >{`Offer issued: ${loaded.flow.offerIssuedInUse ? "in use" : "not used by a workflow"}`}</Badge>
            <Badge
              tone={loaded.flow.followUpInUse ? "success" : undefined}
            >{`Follow-up due: ${loaded.flow.followUpInUse ? "in use" : "not used by a workflow"}`}</Badge>
          </InlineStack>
          <Divider />
          <Text as="h3" variant="headingSm">
            Shopify&apos;s own emails
          </Text>
          <Checkbox
            label="Let Shopify email customers about store credit"
            helpText="Shopify tells the customer when credit is added to their account."
            checked={values.offers.notifyStoreCredit}
            onChange={(checked) => setValues((v) => setAt(v, "offers.notifyStoreCredit", checked))}
          />
          <Checkbox
            label="Let Shopify email gift cards"
            helpText="Shopify sends the gift card to the customer's email address."
            checked={values.offers.notifyGiftCard}
            onChange={(checked) => setValues((v) => setAt(v, "offers.notifyGiftCard", checked))}
          />
          <Divider />
          <EmailSettingsFields
            values={values}
            setValues={setValues}
            errors={errors}
            field={field}
            passwordStored={loaded.email?.passwordStored ?? false}
            emailSaved={loaded.email !== null}
            emailDirty={JSON.stringify(values.offers.email) !== JSON.stringify(initial.offers.email)}
            testTo={testTo}
            setTestTo={setTestTo}
            test={test}
          />
        </SettingsCard>

        <SettingsCard
          title="Attribution and follow-up"
          intro="How Amends measures whether a make-good worked, and when it checks in with the customer."
        >
          <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
            {number(
              "attribution.windowDays",
              "Attribution window",
              "A new order within this many days of the offer counts as the customer won back.",
              "days",
            )}
            {number(
              "offers.followUpAfterHours",
              "Follow up after",
              "Check in with the customer this long after the make-good is issued (48 to 72 hours works best); skipped when they already bought again.",
              "hours",
            )}
          </InlineGrid>
        </SettingsCard>
      </Layout>
    </Page>
  );
}

function SettingsCard({ title, intro, children }: { title: string; intro: string; children: ReactNode }) {
  return (
    <Layout.Section>
      <Card>
        <BlockStack gap="400">
          <BlockStack gap="100">
            <Text as="h2" variant="headingMd">
              {title}
            </Text>
            <Text as="p" tone="subdued">
              {intro}
            </Text>
          </BlockStack>
          {children}
        </BlockStack>
      </Card>
    </Layout.Section>
  );
}

type SetValues = (update: (current: SettingsValues) => SettingsValues) => void;

function MessagesCard({
  values,
  setValues,
  errors,
  shop,
  now,
}: {
  values: SettingsValues;
  setValues: SetValues;
  errors: FieldErrors;
  shop: { currency: string; timeZone: string };
  now: string;
}) {
  const [templateKey, setTemplateKey] = useState(TEMPLATE_KEYS[0] ?? "standard");
  const [incidentType, setIncidentType] = useState<IncidentType>("LATE_FULFILLMENT");
  const [offerKey, setOfferKey] = useState<OfferTextKey>("DISCOUNT_PERCENT");
  const preview = previewMessage(values.messages, { templateKey, incidentType, offerKey }, shop, new Date(now));
  const text = (path: string, label: string, help: string, lines: number) => (
    <TextField
      label={label}
      helpText={help}
      multiline={lines}
      autoComplete="off"
      value={String(getAt(values, path) ?? "")}
      onChange={(value) => setValues((current) => setAt(current, path, value))}
      error={errors[path]}
    />
  );
  const shown = new Set([
    `messages.templates.${templateKey}.subject`,
    `messages.templates.${templateKey}.body`,
    `messages.problems.${incidentType}`,
    `messages.offers.${offerKey}`,
  ]);
  const hiddenErrors = Object.entries(errors).filter(([path]) => path.startsWith("messages.") && !shown.has(path));
  const placeholders = (names: readonly string[]) => names.map((n) => `{{${n}}}`).join(", ");

  return (
    <SettingsCard
      title="Messages"
      intro="What the customer reads. A message is the template around two texts: what went wrong (per incident) and the make-good (per offer kind). Edit any of them; the preview updates as you type."
    >
      <InlineGrid columns={{ xs: 1, md: 3 }} gap="300">
        <Select
          label="Template"
          options={TEMPLATE_KEYS.map((k) => ({
            label: k === "standard" ? "Standard" : k === "personal" ? "Personal (from the owner)" : k,
            value: k,
          }))}
          value={templateKey}
          onChange={setTemplateKey}
        />
        <Select
          label="Incident"
          options={INCIDENT_TYPES.map((t) => ({ label: INCIDENT_LABELS[t], value: t }))}
          value={incidentType}
          onChange={(v) => setIncidentType(v as IncidentType)}
        />
        <Select
          label="Offer kind"
          options={OFFER_TEXT_KEYS.map((k) => ({ label: OFFER_LABELS[k], value: k }))}
          value={offerKey}
          onChange={(v) => setOfferKey(v as OfferTextKey)}
        />
      </InlineGrid>
      {hiddenErrors.length > 0 ? (
        <Banner tone="critical" title="Other message texts need fixing">
          <ul>
            {hiddenErrors.map(([path, message]) => (
              <li key={path}>{`${path.replace("messages.", "")}: ${message}`}</li>
            ))}
          </ul>
        </Banner>
      ) : null}
      <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
        <BlockStack gap="300">
          {text(
            `messages.templates.${templateKey}.subject`,
            "Subject",
            `May use ${placeholders(SUBJECT_PLACEHOLDERS)}.`,
            1,
          )}
          {text(
            `messages.templates.${templateKey}.body`,
            "Message",
            `Must include {{offer}}; may use ${placeholders(TEMPLATE_PLACEHOLDERS)}.`,
            8,
          )}
          {text(
            `messages.problems.${incidentType}`,
            `What went wrong: ${INCIDENT_LABELS[incidentType]}`,
            `Fills {{problem}}; may use ${placeholders(PROBLEM_PLACEHOLDERS)}.`,
            3,
          )}
          {text(
            `messages.offers.${offerKey}`,
            `The make-good: ${OFFER_LABELS[offerKey]}`,
            `Fills {{offer}}; may use ${placeholders(OFFER_PLACEHOLDERS[offerKey])}.`,
            3,
          )}
        </BlockStack>
        <Box background="bg-surface-secondary" padding="400" borderRadius="200">
          <BlockStack gap="200">
            <Text as="h3" variant="headingSm">
              Preview
            </Text>
            {preview.ok ? (
              <BlockStack gap="200">
                <Text as="p" fontWeight="semibold">
                  <span data-testid="preview-subject">{preview.subject}</span>
                </Text>
                <div data-testid="preview-body" style={{ whiteSpace: "pre-wrap" }}>
                  {preview.body}
                </div>
                <Text as="p" tone="subdued">
                  Sample: Ana, order #1042, in {shop.currency}.
                </Text>
              </BlockStack>
            ) : (
              <Banner tone="warning" title="The preview can't be shown yet">
                <p>{preview.problem}</p>
              </Banner>
            )}
          </BlockStack>
        </Box>
      </InlineGrid>
    </SettingsCard>
  );
}

function EmailSettingsFields(props: {
  values: SettingsValues;
  setValues: SetValues;
  errors: FieldErrors;
  field: (path: string) => {
    value: string;
    onChange(value: string): void;
    error: string | undefined;
    autoComplete: string;
  };
  passwordStored: boolean;
  emailSaved: boolean;
  emailDirty: boolean;
  testTo: string;
  setTestTo(value: string): void;
  test: ReturnType<typeof useFetcher<SettingsActionData>>;
}) {
  const { values, setValues, errors, field, passwordStored, emailSaved, emailDirty, testTo, setTestTo, test } = props;
  const testResult = test.state === "idle" && test.data?.intent === "testEmail" ? test.data : null;
  return (
    <BlockStack gap="300">
      <Text as="h3" variant="headingSm">
        Your own mail server (optional)
      </Text>
      <Text as="p" tone="subdued">
        Send the apology from your store&apos;s address through your mail server (SMTP), in addition to any Flow
        workflow.
      </Text>
      <Checkbox
        label="Send apologies by email through this server"
        checked={values.offers.email.enabled}
        onChange={(checked) => setValues((v) => setAt(v, "offers.email.enabled", checked))}
      />
      <InlineGrid columns={{ xs: 1, md: 2 }} gap="300">
        <TextField
          label="SMTP host"
          helpText="Your mail provider's server, like smtp.example.com."
          {...field("offers.email.host")}
        />
        <TextField
          label="Port"
          inputMode="numeric"
          helpText="587 for STARTTLS (usual), 465 for TLS."
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
            passwordStored ? "A password is stored. Leave empty to keep it." : "Stored encrypted; never shown again."
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
      <Checkbox
        label="Use TLS from the start (port 465)"
        checked={values.offers.email.secure}
        onChange={(checked) => setValues((v) => setAt(v, "offers.email.secure", checked))}
      />
      <test.Form method="post">
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
                helpText={
                  !emailSaved
                    ? "Save a mail server first."
                    : emailDirty
                      ? "Save your changes first: the test uses the saved settings."
                      : "Uses the saved settings."
                }
              />
            </Box>
            <Button submit loading={test.state !== "idle"} disabled={!emailSaved || emailDirty}>
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
    </BlockStack>
  );
}
