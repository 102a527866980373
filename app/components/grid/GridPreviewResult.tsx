/** The preview's figures: the current grid and the draft side by side over the same incidents, with what the replay cannot know. */
import { BlockStack, DataTable, List, Text } from "@shopify/polaris";
import type { ReplayTotals } from "../../recovery/grid/replay";
import { formatMoney } from "../../recovery/money";
import type { GridPreview } from "../../services/grid-preview.server";
import { LIFECYCLE_STAGE_LABELS, LIFECYCLE_STAGES } from "../../recovery/lifecycle/lifecycle";
import { STAGE_AUDIENCE } from "../../recovery/grid/cell-address";

export function GridPreviewResult({ preview, currency }: { preview: GridPreview; currency: string }) {
  const money = (minor: number) => formatMoney(minor, currency);
  const signed = (n: number, text: string) => (n === 0 ? "same" : `${n > 0 ? "+" : "−"}${text}`);
  const line = (label: string, pick: (t: ReplayTotals) => number, asMoney = false) => {
    const a = pick(preview.current);
    const b = pick(preview.draft);
    const show = (n: number) => (asMoney ? money(n) : String(n));
    return [label, show(a), show(b), signed(b - a, show(Math.abs(b - a)))];
  };
  const { tierSources: t } = preview;
  return (
    <BlockStack gap="300">
      <Text as="p">
        {preview.incidents === 0
          ? `No incidents${preview.stage ? ` of ${STAGE_AUDIENCE[preview.stage]}` : ""} in the last 90 days to replay.`
          : `${preview.incidents} incidents${preview.stage ? ` of ${STAGE_AUDIENCE[preview.stage]}` : ""} detected in the last 90 days${
              preview.capped ? " (only the newest were replayed: there were more)" : ""
            }.`}
      </Text>
      <Text as="p" tone="subdued">
        {`By lifecycle stage: ${LIFECYCLE_STAGES.map((s) => `${LIFECYCLE_STAGE_LABELS[s].toLowerCase()} ${preview.stages[s]}`).join(", ")}, no stage (guests, or customers Amends has not read yet) ${preview.stages.NONE}.`}
      </Text>
      {preview.incidents === 0 ? null : (
        <DataTable
          columnContentTypes={["text", "numeric", "numeric", "numeric"]}
          headings={["", `Current grid (v${preview.currentVersion})`, "Your draft", "Difference"]}
          rows={[
            line("Offers made", (x) => x.offers),
            line("Total face value", (x) => x.faceValueMinor, true),
            line("Issued at once", (x) => x.autoApproved),
            line("Waiting for approval", (x) => x.needsApproval),
            line("Apology only (no offer)", (x) => x.noOffer),
            line("Holdout (control group)", (x) => x.holdouts),
            line("Not eligible", (x) => x.ineligible),
          ]}
        />
      )}
      <BlockStack gap="100">
        <Text as="h3" variant="headingSm">
          What this replay can and cannot know
        </Text>
        <List>
          <List.Item>
            It decides each incident again with today&apos;s guardrail settings, in the order they were detected.
          </List.Item>
          <List.Item>
            Budget and per-customer limits count only the offers this replay makes in the window, not what was really
            spent or offered before, nor offers staff rejected.
          </List.Item>
          <List.Item>
            It cannot know whether staff would have approved an offer or whether the customer would have used it. Face
            value is what the offer is worth, not what it will cost.
          </List.Item>
          <List.Item>
            Customer tier: {t.decision} as recorded at the decision, {t.customerValue} from stored customer value,{" "}
            {t.guest} guest checkouts (New), {t.assumedNew} unknown and counted as New.
          </List.Item>
          {preview.unpricedGifts > 0 ? (
            <List.Item>{preview.unpricedGifts} gift product(s) could not be priced and count at 0.</List.Item>
          ) : null}
        </List>
      </BlockStack>
    </BlockStack>
  );
}
