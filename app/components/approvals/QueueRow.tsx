/**
 * One offer in the approval queue, with its own fetcher: Approve, Approve with an edited value,
 * Reject. A decision shows at once (optimistic); if the server refuses, the row comes back with
 * the reason as a toast, or beside the modal's field when it is about what was typed.
 */
import { Link as RemixLink, useFetcher } from "@remix-run/react";
import {
  Badge,
  BlockStack,
  Button,
  ButtonGroup,
  Collapsible,
  IndexTable,
  InlineStack,
  List,
  Modal,
  Text,
  TextField,
} from "@shopify/polaris";
import { useEffect, useId, useState, type MouseEvent } from "react";
import { TIER_LABELS } from "../../recovery/words";
import type { QueueRow } from "../../services/approval-queue.server";
import { useFeedback } from "../Feedback";
import { SeverityBadge } from "../IncidentBadges";
import { ageText, formatDuration } from "./age";
import { CustomerLinkText } from "./CustomerLinkText";
import { editedValueSchema, fieldMessage, rejectReasonSchema } from "./decision-forms";

type Result =
  { ok: true; message: string } | { ok: false; fieldErrors: Record<string, string> } | { ok: false; error: string };

const stop = (event: MouseEvent) => event.stopPropagation();

export function QueueRowView({
  row,
  position,
  selected,
  now,
  bulkPending,
}: {
  row: QueueRow;
  position: number;
  selected: boolean;
  now: Date;
  bulkPending: boolean;
}) {
  const fetcher = useFetcher<Result>({ key: `approval-${row.offerId}` });
  const { toast } = useFeedback();
  const [modal, setModal] = useState<"edit" | "reject" | null>(null);
  const [value, setValue] = useState(row.editable?.current ?? "");
  const [reason, setReason] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [showWhy, setShowWhy] = useState(false);
  const whyId = useId();

  const submitting = fetcher.state !== "idle" ? String(fetcher.formData?.get("intent") ?? "") : null;
  // Optimistic: a decision shows as made while the server confirms it.
  const optimistic = submitting;
  const settled = fetcher.state === "idle" && fetcher.data?.ok ? "done" : null;

  useEffect(() => {
    // The answer arrives while the page revalidates, before a decided row leaves the list.
    if (!fetcher.data) return;
    const result = fetcher.data;
    if (result.ok) {
      setModal(null);
      toast(result.message);
    } else if ("fieldErrors" in result) {
      setErrors(result.fieldErrors);
      if (result.fieldErrors.value) setModal("edit");
      else if (result.fieldErrors.reason) setModal("reject");
      else toast(Object.values(result.fieldErrors).join("; "), { error: true });
    } else {
      toast(result.error, { error: true });
    }
    // Only when an answer arrives.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [fetcher.data]);

  const submit = (fields: Record<string, string>) => {
    setErrors({});
    setModal(null);
    fetcher.submit({ ...fields, offerId: row.offerId }, { method: "post" });
  };

  const approve = () => submit({ intent: "approve" });
  // The modals check their field before sending (the action checks again); a refusal reopens them.
  const approveEdited = () => {
    const message = fieldMessage(editedValueSchema, value);
    if (message) setErrors({ value: message });
    else submit({ intent: "approveEdited", value });
  };
  const reject = () => {
    const message = fieldMessage(rejectReasonSchema, reason);
    if (message) setErrors({ reason: message });
    else submit({ intent: "reject", reason });
  };

  const age = ageText(new Date(row.occurredAt), new Date(row.sameDayDeadline), now);
  const state =
    bulkPending || optimistic === "approve" || optimistic === "approveEdited"
      ? "Approving…"
      : optimistic === "reject"
        ? "Rejecting…"
        : null;
  const busy = state !== null || settled !== null;

  return (
    <IndexTable.Row
      id={row.offerId}
      position={position}
      selected={selected}
      disabled={busy}
      tone={busy ? "subdued" : undefined}
    >
      <IndexTable.Cell>
        <BlockStack gap="100">
          <span onClick={stop}>
            <RemixLink to={`/app/incidents/${row.incidentId}`}>{row.orderName}</RemixLink>
          </span>
          <Text as="span">{row.typeLabel}</Text>
          <InlineStack gap="100">
            <SeverityBadge severity={row.severity} />
          </InlineStack>
        </BlockStack>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <BlockStack gap="100">
          {/* A click on the row opens the incident; a click on the customer's link stays the link's. */}
          <span onClick={row.customer ? stop : undefined}>
            <CustomerLinkText customer={row.customer} none="Guest checkout" />
          </span>
          {row.tier ? <Text as="span" tone="subdued">{`Tier: ${TIER_LABELS[row.tier]}`}</Text> : null}
        </BlockStack>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <BlockStack gap="100">
          <Text as="span" fontWeight="semibold">
            {row.makeGood}
          </Text>
          <Text
            as="span"
            tone="subdued"
          >{`worth ${row.faceValue} · ${row.approval === "MANAGER" ? "manager" : "staff"} approval`}</Text>
          <span onClick={stop}>
            <Button variant="plain" onClick={() => setShowWhy((v) => !v)} ariaExpanded={showWhy} ariaControls={whyId}>
              {showWhy ? "Hide why" : "Why this offer"}
            </Button>
          </span>
          <Collapsible id={whyId} open={showWhy}>
            <List type="number">
              {row.explanation.map((line, i) => (
                <List.Item key={i}>{line}</List.Item>
              ))}
            </List>
          </Collapsible>
        </BlockStack>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <BlockStack gap="100">
          <Text as="span">{age.since}</Text>
          <Text as="span" tone={age.late ? "critical" : "subdued"}>
            {age.goal}
          </Text>
          <Text
            as="span"
            tone="subdued"
          >{`detected ${formatDuration(now.getTime() - new Date(row.detectedAt).getTime())} ago`}</Text>
        </BlockStack>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <Text as="span" tone={row.authority.canApprove ? undefined : "caution"}>
          {row.authority.text}
        </Text>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <div onClick={stop} role="presentation">
          {state || settled ? (
            <Badge
              tone={state === "Rejecting…" || fetcher.formData?.get("intent") === "reject" ? undefined : "success"}
              progress={settled ? "complete" : "partiallyComplete"}
            >
              {state ?? "Decided"}
            </Badge>
          ) : (
            <ButtonGroup>
              <Button variant="primary" onClick={approve} accessibilityLabel={`Approve the offer for ${row.orderName}`}>
                Approve
              </Button>
              {row.editable ? (
                <Button
                  onClick={() => setModal("edit")}
                  accessibilityLabel={`Edit value and approve the offer for ${row.orderName}`}
                >
                  Edit value
                </Button>
              ) : null}
              <Button
                tone="critical"
                variant="secondary"
                onClick={() => setModal("reject")}
                accessibilityLabel={`Reject the offer for ${row.orderName}`}
              >
                Reject
              </Button>
            </ButtonGroup>
          )}
          <Modal
            open={modal === "edit"}
            onClose={() => setModal(null)}
            title={`Approve ${row.orderName} with a new value`}
            primaryAction={{
              content: "Approve with this value",
              onAction: approveEdited,
              loading: submitting === "approveEdited",
            }}
            secondaryActions={[{ content: "Cancel", onAction: () => setModal(null) }]}
          >
            <Modal.Section>
              <BlockStack gap="200">
                <Text as="p">{`Proposed: ${row.makeGood} (worth ${row.faceValue}). ${row.authority.text}.`}</Text>
                <TextField
                  label={row.editable?.unit === "PERCENT" ? "Discount (%)" : `Value (${row.editable?.currency ?? ""})`}
                  type="text"
                  inputMode="decimal"
                  autoComplete="off"
                  value={value}
                  onChange={setValue}
                  error={errors.value}
                  helpText={
                    row.editable?.unit === "PERCENT"
                      ? "The percent off the customer's next order."
                      : "The amount in the shop's currency, like 25 or 12.50."
                  }
                />
              </BlockStack>
            </Modal.Section>
          </Modal>
          <Modal
            open={modal === "reject"}
            onClose={() => setModal(null)}
            title={`Reject the offer for ${row.orderName}`}
            primaryAction={{
              content: "Reject offer",
              destructive: true,
              onAction: reject,
              loading: submitting === "reject",
            }}
            secondaryActions={[{ content: "Cancel", onAction: () => setModal(null) }]}
          >
            <Modal.Section>
              <TextField
                label="Reason"
                multiline={3}
                autoComplete="off"
                value={reason}
                onChange={setReason}
                maxLength={500}
                error={errors.reason}
                helpText="Kept in the offer's audit trail, so a colleague can see why no make-good went out."
              />
            </Modal.Section>
          </Modal>
        </div>
      </IndexTable.Cell>
    </IndexTable.Row>
  );
}
