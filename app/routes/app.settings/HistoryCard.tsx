/** The latest changes to the settings and the grid: who made them, when, and each value before and after. */
import { BlockStack, Divider, Text } from "@shopify/polaris";
import { Fragment } from "react";
import type { HistoryRow } from "../../settings-form/history";
import { SettingsSection } from "./form-kit";

export function HistoryCard({ rows }: { rows: HistoryRow[] }) {
  return (
    <SettingsSection
      title="Change history"
      description="The latest changes to these settings and to the compensation grid, newest first. Passwords are never shown."
    >
      {rows.length === 0 ? (
        <Text as="p" tone="subdued">
          No changes yet.
        </Text>
      ) : (
        <BlockStack gap="300">
          {rows.map((row, i) => (
            <Fragment key={row.id}>
              {i > 0 ? <Divider /> : null}
              <div data-testid="history-entry">
                <BlockStack gap="100">
                  <Text as="p" fontWeight="semibold">
                    {`${row.what}: ${row.who}, ${row.at}`}
                  </Text>
                  <ul style={{ margin: 0, paddingInlineStart: "1.25rem" }}>
                    {row.changes.map((change, j) => (
                      <li key={j}>
                        <Text as="span">{`${change.label}: ${change.before} → ${change.after}`}</Text>
                      </li>
                    ))}
                  </ul>
                </BlockStack>
              </div>
            </Fragment>
          ))}
        </BlockStack>
      )}
    </SettingsSection>
  );
}
