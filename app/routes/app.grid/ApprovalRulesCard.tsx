/**
 * Every rule that decides who approves a make-good, in one card (decision 0122): the cells' routes
 * with a button per cell, then the auto-approve ceiling, the staff limits, escalation, per-customer
 * limits and the budget, each with a link to its field in Settings. The loader computes the rules
 * from the saved grid and the settings the decision reads, so the card says what decides today.
 */
import { memo } from "react";
import { BlockStack, Button, Divider, InlineStack, Layout, Text } from "@shopify/polaris";
import { SectionCard } from "../../components/SectionCard";
import type { ApprovalRule, CellGroup } from "../../recovery/grid/approval-rules";
import { cellTitle, type CellAddress } from "../../recovery/grid/cell-address";
import { SEVERITY_LABELS, TIER_LABELS } from "../../recovery/words";
import { settingsHref } from "../../settings-form/pages";

/** The card's anchor, for links from other pages (the empty Approvals page). */
export const APPROVAL_RULES_ANCHOR = "approval-rules";

function Group({ group, onEdit }: { group: CellGroup; onEdit(address: CellAddress): void }) {
  return (
    <BlockStack gap="100">
      <Text as="h4" variant="headingXs">
        {group.heading}
      </Text>
      {group.rows.map(({ severity, tiers }) => (
        <InlineStack key={severity} gap="200" blockAlign="center" wrap>
          <Text as="span">{`${SEVERITY_LABELS[severity]}:`}</Text>
          {tiers.map((tier) => {
            const address: CellAddress = { scope: "BASE", severity, tier };
            return (
              <Button
                key={tier}
                variant="plain"
                onClick={() => onEdit(address)}
                accessibilityLabel={`Open cell ${cellTitle(address)}`}
              >
                {TIER_LABELS[tier]}
              </Button>
            );
          })}
        </InlineStack>
      ))}
    </BlockStack>
  );
}

export const ApprovalRulesCard = memo(function ApprovalRulesCard(props: {
  rules: ApprovalRule[];
  /** The draft differs from the saved grid: the card still says what the saved one decides. */
  dirty: boolean;
  onEdit(address: CellAddress): void;
}) {
  return (
    <Layout.Section>
      <div id={APPROVAL_RULES_ANCHOR}>
        <SectionCard
          title="Approval rules"
          gap="400"
          description={
            props.dirty
              ? "Who must approve a make-good, by the saved grid and the settings: save your changes to see them here."
              : "Who must approve a make-good, by the saved grid and the settings. A rule can only ask for more approval, never less."
          }
        >
          {props.rules.map((rule, i) => (
            <BlockStack gap="200" key={rule.id}>
              {i > 0 ? <Divider /> : null}
              <Text as="h3" variant="headingSm">
                {rule.title}
              </Text>
              <Text as="p">{rule.text}</Text>
              {rule.groups?.map((group) => (
                <Group key={group.approver} group={group} onEdit={props.onEdit} />
              ))}
              {rule.edits.length > 0 ? (
                <InlineStack gap="400">
                  {rule.edits.map((edit) => (
                    <Button key={edit.field} variant="plain" url={settingsHref(edit.field)}>
                      {edit.label}
                    </Button>
                  ))}
                </InlineStack>
              ) : null}
            </BlockStack>
          ))}
        </SectionCard>
      </div>
    </Layout.Section>
  );
});
