/**
 * The incident page's actions (decision 0121): the header's one primary action that fits the
 * incident's standing (Approve, Retry issuing, Close incident) and the "More actions" menu (Resend
 * message, Different make-good, Add note), their dialogs, and the banner that shows a refusal.
 * One request at a time through one fetcher; a refusal keeps what was typed.
 */
import { Link as RemixLink, useFetcher } from "@remix-run/react";
import { Banner, BlockStack, Modal, Text, TextField } from "@shopify/polaris";
import type { ActionListItemDescriptor, PageProps } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { useFeedback } from "../../components/Feedback";
import type { PrimaryAction } from "../../recovery/incidents/standing";
import type { IncidentDetail } from "../../services/incidents-view.server";
import type { ActionAnswer } from "./route.server";

type Offer = IncidentDetail["offers"][number];
type Dialog = "resend" | "different" | "note" | null;

/** A random id for one click (the server acts on it once), also where crypto.randomUUID is missing (plain http). */
function newRequestId(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export interface IncidentActionsProps {
  orderName: string;
  primary: PrimaryAction;
  offers: Offer[];
  may: { close: boolean; addNote: boolean; resend: boolean; retryIssue: boolean };
}

export function useIncidentActions({ orderName, primary, offers, may }: IncidentActionsProps) {
  const fetcher = useFetcher<ActionAnswer>({ key: "incident-action" });
  const { toast } = useFeedback();
  const [dialog, setDialog] = useState<Dialog>(null);
  const [requestId, setRequestId] = useState("");
  const [note, setNote] = useState("");
  const [value, setValue] = useState("");
  const [refusal, setRefusal] = useState<string | null>(null);
  const busy = fetcher.state !== "idle";
  const pendingIntent = busy ? String(fetcher.formData?.get("intent") ?? "") : null;

  useEffect(() => {
    if (fetcher.state !== "idle" || !fetcher.data) return;
    const answer = fetcher.data;
    if (answer.ok) {
      toast(answer.message);
      setRefusal(null);
      setDialog(null);
      setNote("");
      setValue("");
    } else if (!answer.field) {
      // Refusals of the form's own field stay beside the field in its dialog.
      setRefusal(answer.message);
      setDialog(null);
    }
    // Only when an answer arrives.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [fetcher.state, fetcher.data]);

  const submit = (fields: Record<string, string>) => {
    setRefusal(null);
    fetcher.submit(fields, { method: "post" });
  };
  const open = (which: Exclude<Dialog, null>) => {
    setRequestId(newRequestId());
    setDialog(which);
  };
  const fieldError = (field: "note" | "value") =>
    fetcher.state === "idle" && fetcher.data && !fetcher.data.ok && fetcher.data.field === field
      ? fetcher.data.message
      : undefined;

  const waiting = offers.find((o) => o.status === "PENDING_APPROVAL");
  // The make-good whose message went out: the latest one (a replaced offer never went out).
  const messaged = [...offers].reverse().find((o) => o.messageSent);

  let primaryAction: PageProps["primaryAction"];
  if (primary?.kind === "APPROVE")
    primaryAction = {
      content: "Approve",
      loading: pendingIntent === "approve",
      disabled: busy,
      onAction: () => submit({ intent: "approve", offerId: primary.offerId }),
      accessibilityLabel: `Approve the make-good for ${orderName}`,
    };
  else if (primary?.kind === "RETRY_ISSUE")
    primaryAction = {
      content: "Retry issuing",
      loading: pendingIntent === "retryIssue",
      disabled: busy || !may.retryIssue,
      onAction: () => submit({ intent: "retryIssue", offerId: primary.offerId }),
    };
  else if (primary?.kind === "CLOSE")
    primaryAction = {
      content: "Close incident",
      loading: pendingIntent === "close",
      disabled: busy || !may.close,
      helpText: may.close ? undefined : "Only a manager or the store owner can close an incident by hand.",
      onAction: () => submit({ intent: "close" }),
    };

  const menu: ActionListItemDescriptor[] = [
    {
      content: "Resend message",
      disabled: !messaged || !may.resend,
      helpText: !messaged
        ? "No make-good message went out to the customer yet."
        : may.resend
          ? undefined
          : "You cannot send messages to customers.",
      onAction: () => open("resend"),
    },
    { content: "Different make-good", onAction: () => open("different") },
    { content: "Add note", disabled: !may.addNote, onAction: () => open("note") },
  ];
  const actionGroups: PageProps["actionGroups"] = [{ title: "More actions", actions: menu }];

  const close = () => setDialog(null);
  const dialogs = (
    <>
      <Modal
        open={dialog === "resend"}
        onClose={close}
        title="Send the make-good message again?"
        primaryAction={{
          content: "Send again",
          loading: pendingIntent === "resend",
          disabled: busy || !messaged,
          onAction: () => messaged && submit({ intent: "resend", offerId: messaged.id, requestId }),
        }}
        secondaryActions={[{ content: "Cancel", onAction: close }]}
      >
        <Modal.Section>
          <Text as="p">
            {`The customer gets the same message with ${messaged?.label ?? "the make-good"} again, through the channels the store uses now (its Shopify Flow workflow, and email when it is on). It is recorded in the timeline.`}
          </Text>
        </Modal.Section>
      </Modal>
      <Modal
        open={dialog === "different"}
        onClose={close}
        title="A different make-good"
        primaryAction={
          waiting?.editable
            ? {
                content: "Approve with this value",
                loading: pendingIntent === "differentMakeGood",
                disabled: busy,
                onAction: () => submit({ intent: "differentMakeGood", offerId: waiting.id, value }),
              }
            : undefined
        }
        secondaryActions={[{ content: waiting?.editable ? "Cancel" : "Close", onAction: close }]}
      >
        <Modal.Section>
          <DifferentMakeGood waiting={waiting ?? null} value={value} onValue={setValue} error={fieldError("value")} />
        </Modal.Section>
      </Modal>
      <Modal
        open={dialog === "note"}
        onClose={close}
        title="Add a note"
        primaryAction={{
          content: "Add note",
          loading: pendingIntent === "addNote",
          disabled: busy,
          onAction: () => submit({ intent: "addNote", note, requestId }),
        }}
        secondaryActions={[{ content: "Cancel", onAction: close }]}
      >
        <Modal.Section>
          <TextField
            label="Note"
            multiline={4}
            autoComplete="off"
            value={note}
            onChange={setNote}
            maxLength={2000}
            error={fieldError("note")}
            helpText="For your colleagues: it shows in the timeline with your name. The customer never sees it."
          />
        </Modal.Section>
      </Modal>
    </>
  );

  const banner = refusal ? (
    <Banner tone="critical" title="That did not go through" onDismiss={() => setRefusal(null)}>
      <Text as="p">{refusal}</Text>
    </Banner>
  ) : null;

  return { primaryAction, actionGroups, dialogs, banner };
}

function DifferentMakeGood({
  waiting,
  value,
  onValue,
  error,
}: {
  waiting: Offer | null;
  value: string;
  onValue(value: string): void;
  error: string | undefined;
}) {
  if (waiting?.editable) {
    const percent = waiting.editable.unit === "PERCENT";
    return (
      <BlockStack gap="200">
        <Text as="p">
          {`Proposed: ${waiting.label}. Approve it with a different value instead; your approval limit and the monthly budget apply as on the Approvals page.`}
        </Text>
        <TextField
          label={percent ? "Discount (%)" : `Value (${waiting.editable.currency})`}
          type="text"
          inputMode="decimal"
          autoComplete="off"
          value={value}
          onChange={onValue}
          placeholder={waiting.editable.current}
          error={error}
          helpText={percent ? "The percent off the customer's next order." : "The amount, like 25 or 12.50."}
        />
      </BlockStack>
    );
  }
  if (waiting)
    return (
      <Text as="p">
        {`This make-good (${waiting.label}) has no value to change. To give something else, reject it on the `}
        <RemixLink to="/app/approvals">Approvals page</RemixLink>
        {", or approve it as it is. To change what incidents like this one get from now on, edit the cell in the "}
        <RemixLink to="/app/grid">compensation grid</RemixLink>.
      </Text>
    );
  return (
    <BlockStack gap="200">
      <Text as="p">
        Amends gives one make-good per failure, and one that has been decided or went out cannot be swapped here: that
        would skip the approvals and the budget.
      </Text>
      <Text as="p">
        To change what incidents like this one get from now on, edit the cell in the{" "}
        <RemixLink to="/app/grid">compensation grid</RemixLink>.
      </Text>
    </BlockStack>
  );
}
