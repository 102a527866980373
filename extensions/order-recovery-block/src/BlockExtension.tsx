/** admin.order-details.block.render: the order's incidents and make-goods at a glance, linking into Amends. */
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { blockView, orderIdFromGid, recoveryUrl, type RecoveryStatus } from "./view-model";

export default async () => {
  render(<Block />, document.body);
};

function Block() {
  const orderId = orderIdFromGid(shopify.data.selected[0]?.id);
  const [status, setStatus] = useState<RecoveryStatus | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!orderId) return;
    fetch(recoveryUrl(orderId))
      .then(async (r) =>
        r.ok
          ? setStatus((await r.json()) as RecoveryStatus)
          : setError(`Amends could not load this order's recovery (HTTP ${r.status}).`),
      )
      .catch(() => setError("Amends could not be reached."));
  }, [orderId]);

  if (error)
    return (
      <s-admin-block heading="Service recovery">
        <s-text color="subdued">{error}</s-text>
      </s-admin-block>
    );
  if (!status)
    return (
      <s-admin-block heading="Service recovery">
        <s-spinner accessibilityLabel="Loading" />
      </s-admin-block>
    );
  const view = blockView(status);
  return (
    <s-admin-block heading="Service recovery" collapsedSummary={view.summary}>
      <s-stack gap="small">
        <s-text>{view.summary}</s-text>
        {view.lines.map((line) => (
          <s-stack key={line.incidentId} gap="small-300">
            <s-stack direction="inline" gap="small-200">
              <s-link href={line.href}>{line.title}</s-link>
              <s-badge tone={line.badge.tone}>{line.badge.text}</s-badge>
            </s-stack>
            <s-text color="subdued">{line.detail}</s-text>
          </s-stack>
        ))}
      </s-stack>
    </s-admin-block>
  );
}
