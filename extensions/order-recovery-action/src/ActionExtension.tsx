/**
 * admin.order-details.action.render: the order's recovery status and, for staff, "Offer a make-good":
 * choose what went wrong and how badly, see what the grid suggests and why, adjust the value within
 * one's authority, then issue at once or send it for approval. Logic lives in view-model.ts.
 */
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { useEffect, useMemo, useState } from "preact/hooks";
import {
  CATEGORIES,
  SEVERITIES,
  checkValue,
  createBody,
  errorText,
  humanize,
  MANUAL_CATEGORY_LABELS,
  orderIdFromGid,
  recoveryUrl,
  resultMessage,
  SEVERITY_LABELS,
  statusLines,
  submitMode,
  suggestBody,
  valueField,
  type Category,
  type CreateResult,
  type RecoveryStatus,
  type Severity,
  type Suggestion,
  bannerTone,
} from "./view-model";

export default async () => {
  render(<Extension />, document.body);
};

const JSON_HEADERS = { "Content-Type": "application/json" };

function Extension() {
  const orderId = orderIdFromGid(shopify.data.selected[0]?.id);
  const [status, setStatus] = useState<RecoveryStatus | null>(null);
  const [category, setCategory] = useState<Category>("DAMAGED_ITEM");
  const [severity, setSeverity] = useState<Severity>("moderate");
  const [note, setNote] = useState("");
  const [entered, setEntered] = useState("");
  const [suggestion, setSuggestion] = useState<Suggestion | null>(null);
  const [result, setResult] = useState<CreateResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!orderId) return;
    fetch(recoveryUrl(orderId))
      .then(async (r) => (r.ok ? setStatus((await r.json()) as RecoveryStatus) : setError(await errorText(r))))
      .catch(() => setError("Amends could not be reached. Try again."));
  }, [orderId, result]);

  useEffect(() => {
    if (!orderId) return;
    setSuggestion(null);
    setEntered("");
    fetch(recoveryUrl(orderId), { method: "POST", headers: JSON_HEADERS, body: suggestBody(category, severity) })
      .then(async (r) => (r.ok ? setSuggestion((await r.json()) as Suggestion) : setError(await errorText(r))))
      .catch(() => setError("Amends could not be reached. Try again."));
  }, [orderId, category, severity]);

  const field = useMemo(() => (suggestion ? valueField(suggestion) : null), [suggestion]);
  const currency = suggestion && "currency" in suggestion ? suggestion.currency : "USD";
  const check = checkValue(field, entered, currency);
  const submit = suggestion ? submitMode(suggestion, check) : null;

  async function send() {
    if (!orderId || !submit || !check.ok) return;
    setBusy(true);
    setError(null);
    try {
      const response = await fetch(recoveryUrl(orderId), {
        method: "POST",
        headers: JSON_HEADERS,
        body: createBody({ category, severity, note, value: check.value, mode: submit.mode }),
      });
      if (response.ok || response.status === 422) {
        const body = (await response.json()) as CreateResult | { error: string };
        if ("kind" in body) setResult(body);
        else setError(body.error);
      } else setError(await errorText(response));
    } catch {
      setError("Amends could not be reached. Try again.");
    } finally {
      setBusy(false);
    }
  }

  if (!orderId)
    return (
      <s-admin-action heading="Amends recovery">
        <s-text>This is not an order.</s-text>
      </s-admin-action>
    );
  const lines = status ? statusLines(status) : [];
  const outcome = result ? resultMessage(result) : null;

  return (
    <s-admin-action heading="Offer a make-good" loading={!status && !error}>
      <s-stack gap="base">
        {error && <s-banner tone="critical">{error}</s-banner>}
        {outcome && <s-banner tone={bannerTone(outcome.tone)}>{outcome.text}</s-banner>}
        <s-heading>Recovery on this order</s-heading>
        {lines.length === 0 ? (
          <s-text color="subdued">No incidents yet.</s-text>
        ) : (
          lines.map((line) => (
            <s-stack key={line.incidentId} direction="inline" gap="small-200">
              <s-text type="strong">{line.title}</s-text>
              <s-badge tone={line.badge.tone}>{line.badge.text}</s-badge>
              <s-text>{line.detail}</s-text>
            </s-stack>
          ))
        )}
        <s-divider />
        <s-select
          label="What went wrong"
          value={category}
          onChange={(e) => setCategory(e.currentTarget.value as Category)}
        >
          {CATEGORIES.map((c) => (
            <s-option key={c} value={c}>
              {MANUAL_CATEGORY_LABELS[c]}
            </s-option>
          ))}
        </s-select>
        <s-select label="How bad" value={severity} onChange={(e) => setSeverity(e.currentTarget.value as Severity)}>
          {SEVERITIES.map((s) => (
            <s-option key={s} value={s}>
              {SEVERITY_LABELS[s]}
            </s-option>
          ))}
        </s-select>
        <s-text-area label="Note" value={note} maxLength={2000} onInput={(e) => setNote(e.currentTarget.value)} />
        {!suggestion && <s-spinner accessibilityLabel="Asking the grid" />}
        {suggestion?.kind === "EXCLUDED" && (
          <s-banner tone="warning">
            Amends does not open incidents for this order ({humanize(suggestion.reason)}).
          </s-banner>
        )}
        {suggestion && suggestion.kind !== "EXCLUDED" && (
          <s-box>
            <s-paragraph>
              <s-text type="strong">Suggested: </s-text>
              {suggestion.summary}
            </s-paragraph>
            <s-unordered-list>
              {suggestion.explanation.map((line) => (
                <s-list-item key={line}>{line}</s-list-item>
              ))}
            </s-unordered-list>
            {suggestion.kind === "OFFER" && <s-text color="subdued">{suggestion.note}</s-text>}
          </s-box>
        )}
        {field && (
          <s-number-field
            label={field.unit === "PERCENT" ? "Discount (%)" : `Amount (${currency})`}
            value={entered === "" ? String(field.initial) : entered}
            min={field.min}
            {...(field.max !== null ? { max: field.max } : {})}
            details={
              field.maxWithinAuthority === null
                ? "No limit on your authority"
                : `You can approve up to ${field.maxWithinAuthority} yourself; more goes for approval`
            }
            error={check.ok ? undefined : check.error}
            onInput={(e) => setEntered(e.currentTarget.value)}
          />
        )}
      </s-stack>
      {submit && suggestion?.kind !== "EXCLUDED" && (
        <s-button
          slot="primary-action"
          variant="primary"
          disabled={busy || !check.ok || result !== null}
          loading={busy}
          onClick={send}
        >
          {submit.label}
        </s-button>
      )}
      <s-button slot="secondary-actions" onClick={() => shopify.close()}>
        Close
      </s-button>
    </s-admin-action>
  );
}
