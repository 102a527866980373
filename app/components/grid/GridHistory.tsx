/** The grid's saved versions, newest first, each with who saved it, when and what it changed; an older one can be restored (after a confirmation). */
import { Badge, BlockStack, Button, DataTable, Modal, Text } from "@shopify/polaris";
import { memo, useState } from "react";

export interface HistoryRow {
  version: number;
  createdBy: string;
  createdAt: string;
  summary: string;
  current: boolean;
}

interface Props {
  history: HistoryRow[];
  timeZone: string;
  restoring: boolean;
  onRestore(version: number): void;
}

export const GridHistory = memo(function GridHistory({ history, timeZone, restoring, onRestore }: Props) {
  const [confirming, setConfirming] = useState<number | null>(null);
  // The shop's zone on server and browser alike, so the rendered dates agree.
  const format = new Intl.DateTimeFormat("en", {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone,
  });
  const rows = history.map((h) => [
    <Text as="span" fontWeight="semibold" key="v">{`v${h.version}`}</Text>,
    h.createdBy,
    format.format(new Date(h.createdAt)),
    // Table cells do not wrap by default; the summary may be long.
    <div key="s" style={{ whiteSpace: "normal", minWidth: "20rem" }}>
      <Text as="span" breakWord>
        {h.summary}
      </Text>
    </div>,
    h.current ? (
      <Badge tone="success" key="a">
        Current
      </Badge>
    ) : (
      <Button
        key="a"
        onClick={() => setConfirming(h.version)}
        accessibilityLabel={`Restore version ${h.version}`}
        disabled={restoring}
      >
        Restore
      </Button>
    ),
  ]);
  return (
    <BlockStack gap="200">
      <DataTable
        columnContentTypes={["text", "text", "text", "text", "text"]}
        headings={["Version", "Saved by", "When", "What changed", ""]}
        rows={rows}
        verticalAlign="top"
      />
      {confirming !== null ? (
        <Modal
          open
          onClose={() => setConfirming(null)}
          title={`Restore version ${confirming}?`}
          primaryAction={{
            content: `Restore version ${confirming}`,
            loading: restoring,
            onAction: () => {
              onRestore(confirming);
              setConfirming(null);
            },
          }}
          secondaryActions={[{ content: "Cancel", onAction: () => setConfirming(null) }]}
        >
          <Modal.Section>
            <Text as="p">
              A new version with the same cells as version {confirming} becomes the current grid. New incidents are
              decided with it; offers already made keep the version they were made with. Nothing is deleted.
            </Text>
          </Modal.Section>
        </Modal>
      ) : null}
    </BlockStack>
  );
});
