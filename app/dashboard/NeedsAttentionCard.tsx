/**
 * The app home's first card: what someone has to do today (decision 0120). Each line says how many,
 * how old where it matters, and has one action; with nothing to do the card says so in one line.
 */
import { Badge, BlockStack, Box, Button, Card, Divider, InlineStack, Text } from "@shopify/polaris";
import { Fragment, type ReactNode } from "react";
import { formatDuration } from "../components/approvals/age";
import { RetryIssueButton } from "../components/RetryIssueButton";
import type { NeedsAttention } from "../services/home/needs-attention.server";

export interface NeedsAttentionCardProps {
  attention: NeedsAttention;
  timeZone: string;
  /** Wraps the button in the form that restores background access (a new token exchange). */
  restoreForm(button: ReactNode): ReactNode;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function Item({
  title,
  aside,
  children,
  action,
}: {
  title: string;
  aside?: ReactNode;
  children?: ReactNode;
  action?: ReactNode;
}) {
  return (
    <InlineStack align="space-between" blockAlign="center" gap="400" wrap={false}>
      <BlockStack gap="100">
        <InlineStack gap="200" blockAlign="center">
          <Text as="h3" variant="headingSm">
            {title}
          </Text>
          {aside}
        </InlineStack>
        {children}
      </BlockStack>
      {action ? <Box minWidth="fit-content">{action}</Box> : null}
    </InlineStack>
  );
}

export function NeedsAttentionCard({ attention, timeZone, restoreForm }: NeedsAttentionCardProps) {
  const heading = (
    <Text as="h2" variant="headingMd">
      Needs attention
    </Text>
  );
  if (attention.clear)
    return (
      <Card>
        <BlockStack gap="200">
          {heading}
          <Text as="p">Nothing needs your attention: no offers waiting, no follow-ups due, no failed make-goods.</Text>
        </BlockStack>
      </Card>
    );

  const now = new Date(attention.now).getTime();
  const { waiting, followUps, failed, reauth } = attention;
  const items: Array<{ key: string; node: ReactNode }> = [];

  if (reauth) {
    const since = new Intl.DateTimeFormat("en-US", { timeZone, dateStyle: "medium", timeStyle: "short" }).format(
      new Date(reauth.since),
    );
    // The stored reason is "CODE: words"; the words are for people.
    const why = reauth.reason.replace(/^[A-Z_]+:\s*/, "");
    items.push({
      key: "reauth",
      node: (
        <Item
          title="Amends has lost access to your store"
          aside={<Badge tone="critical">Background work stopped</Badge>}
          action={restoreForm(
            <Button variant="primary" submit>
              Restore access
            </Button>,
          )}
        >
          <Text as="p">
            {`Since ${since}, Shopify has refused to renew the access Amends uses when no one has it open. ${why}`.trim()}
          </Text>
          <Text as="p" tone="subdued">
            Until then Amends does not check orders for failures, issue approved make-goods, send messages or see
            whether customers came back. Restoring it needs no reinstall, and Amends then catches up.
          </Text>
        </Item>
      ),
    });
  }

  if (waiting.count > 0) {
    const oldest = waiting.oldest;
    items.push({
      key: "waiting",
      node: (
        <Item
          title={`${plural(waiting.count, "offer", "offers")} waiting for approval`}
          aside={oldest?.pastSameDayGoal ? <Badge tone="warning">Past the same-day goal</Badge> : undefined}
          action={
            <Button url="/app/approvals" accessibilityLabel="Review the offers waiting for approval">
              Review
            </Button>
          }
        >
          {oldest ? (
            <Text as="p" tone="subdued">
              {oldest.pastSameDayGoal
                ? `The oldest has waited ${formatDuration(now - new Date(oldest.occurredAt).getTime())} since the failure. Make-goods that arrive the same day bring back the most customers.`
                : `The oldest has waited ${formatDuration(now - new Date(oldest.occurredAt).getTime())} since the failure; ${formatDuration(Math.max(new Date(oldest.sameDayDeadline).getTime() - now, 60_000))} left to make it the same day.`}
            </Text>
          ) : null}
        </Item>
      ),
    });
  }

  if (followUps.due > 0 || followUps.lowRatings > 0) {
    const parts = [
      followUps.due > 0 ? plural(followUps.due, "follow-up due", "follow-ups due") : null,
      followUps.lowRatings > 0
        ? plural(followUps.lowRatings, "low rating to follow up", "low ratings to follow up")
        : null,
    ].filter((p): p is string => p !== null);
    items.push({
      key: "follow-ups",
      node: (
        <Item
          title={parts.join(" · ")}
          action={
            <Button url="/app/approvals" accessibilityLabel="Open the follow-ups in Approvals">
              Follow up
            </Button>
          }
        >
          <Text as="p" tone="subdued">
            Customers to get in touch with after a make-good or a low rating: a call or an email, then mark it done.
          </Text>
        </Item>
      ),
    });
  }

  if (failed.total > 0) {
    items.push({
      key: "failed",
      node: (
        <BlockStack gap="300">
          <Item
            title={`${plural(failed.total, "make-good", "make-goods")} failed to issue`}
            aside={<Badge tone="critical">Customer still waiting</Badge>}
          >
            <Text as="p" tone="subdued">
              The customers were promised them but Shopify did not make them. Fix the cause, then retry.
            </Text>
          </Item>
          {failed.rows.map((row) => (
            <Box key={row.offerId} paddingInlineStart="400">
              <Item
                title={`${row.orderName}: ${row.makeGood}`}
                action={
                  <RetryIssueButton
                    incidentId={row.incidentId}
                    offerId={row.offerId}
                    accessibilityLabel={`Retry issuing the make-good of ${row.orderName}`}
                  />
                }
              >
                <Text as="p" tone="critical">
                  {row.error}
                </Text>
                <Text as="p" tone="subdued">
                  {`Failed ${formatDuration(now - new Date(row.failedAt).getTime())} ago`}
                </Text>
              </Item>
            </Box>
          ))}
          {failed.total > failed.rows.length ? (
            <Box paddingInlineStart="400">
              <Button variant="plain" url="/app/approvals">
                {`See all ${failed.total} in Approvals`}
              </Button>
            </Box>
          ) : null}
        </BlockStack>
      ),
    });
  }

  return (
    <Card>
      <BlockStack gap="400">
        {heading}
        {items.map((item, i) => (
          <Fragment key={item.key}>
            {i > 0 ? <Divider /> : null}
            {item.node}
          </Fragment>
        ))}
      </BlockStack>
    </Card>
  );
}
