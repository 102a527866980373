/** The incident's make-goods: what each is worth, where it stands, and what staff can do about it. */
import { Link as RemixLink, useFetcher } from "@remix-run/react";
import { BlockStack, Button, Divider, InlineStack, Text } from "@shopify/polaris";
import { useEffect } from "react";
import { useFeedback } from "../../components/Feedback";
import { OfferStatusBadge } from "../../components/IncidentBadges";
import { SectionCard } from "../../components/SectionCard";
import { formatMoney } from "../../recovery/money";
import type { IncidentDetail } from "../../services/incidents-view.server";
import { AdminLink } from "./AdminLink";

/**
 * A make-good's code: the last four characters for everyone; a member with authority can reveal
 * the whole code (to read it to the customer), which the server records in the audit trail.
 */
function OfferCode({ offerId, masked, canReveal }: { offerId: string; masked: string; canReveal: boolean }) {
  const fetcher = useFetcher<{ ok: boolean; message: string; code?: string; plainCode?: string }>();
  const { toast } = useFeedback();
  useEffect(() => {
    if (fetcher.state === "idle" && fetcher.data && !fetcher.data.ok) toast(fetcher.data.message, { error: true });
  }, [fetcher.state, fetcher.data, toast]);
  const revealed = fetcher.data?.ok ? fetcher.data.code : undefined;
  const plain = fetcher.data?.ok ? fetcher.data.plainCode : undefined;
  const copy = () => {
    if (!plain) return;
    // As typed at checkout: no spaces (a discount code with spaces does not apply).
    navigator.clipboard
      .writeText(plain)
      .then(() => toast("Code copied"))
      .catch(() => toast("Could not copy: select the code and copy it", { error: true }));
  };
  return (
    <InlineStack gap="200" blockAlign="center">
      <Text as="p">
        Code:{" "}
        <Text as="span" fontWeight="semibold">
          <span style={{ fontFamily: "var(--p-font-family-mono)", letterSpacing: "0.05em" }}>{revealed ?? masked}</span>
        </Text>
      </Text>
      {plain ? (
        <Button variant="plain" onClick={copy} accessibilityLabel="Copy the code">
          Copy code
        </Button>
      ) : null}
      {canReveal && !revealed ? (
        <fetcher.Form method="post">
          <input type="hidden" name="intent" value="revealCode" />
          <input type="hidden" name="offerId" value={offerId} />
          <Button submit variant="plain" loading={fetcher.state !== "idle"}>
            Reveal code
          </Button>
        </fetcher.Form>
      ) : null}
    </InlineStack>
  );
}

type Offer = IncidentDetail["offers"][number];

function OfferDetails({
  offer,
  shop,
  embedded,
  canRevealCodes,
  when,
}: {
  offer: Offer;
  shop: string;
  embedded: boolean;
  canRevealCodes: boolean;
  when(iso: string): string;
}) {
  const orderLink = (orderId: string, text: string) => (
    <AdminLink embedded={embedded} shop={shop} path={`orders/${orderId}`}>
      {text}
    </AdminLink>
  );
  return (
    <BlockStack gap="150">
      <InlineStack gap="200" align="space-between" blockAlign="center">
        <Text as="h3" variant="headingSm">
          {offer.label.charAt(0).toUpperCase() + offer.label.slice(1)}
        </Text>
        <OfferStatusBadge status={offer.status} />
      </InlineStack>
      {offer.kind !== "NONE" && offer.status !== "HOLDOUT" ? (
        <Text as="p">Value: {formatMoney(offer.faceValueMinor, offer.currency)}</Text>
      ) : null}
      {offer.code ? <OfferCode offerId={offer.id} masked={offer.code} canReveal={canRevealCodes} /> : null}
      {offer.expiresAt ? <Text as="p">Expires {when(offer.expiresAt)}</Text> : null}
      {offer.decidedBy ? <Text as="p">Decided by {offer.decidedBy}</Text> : null}
      {offer.lastError ? (
        <Text as="p" tone="critical">
          Last error: {offer.lastError}
        </Text>
      ) : null}
      {offer.status === "PENDING_APPROVAL" ? <RemixLink to="/app/approvals">Review it in Approvals</RemixLink> : null}
      {offer.giftOrderId
        ? orderLink(
            offer.giftOrderId,
            offer.kind === "REPLACEMENT" ? "Replacement order in Shopify" : "Gift order in Shopify",
          )
        : null}
      {offer.redeemedOrderId ? orderLink(offer.redeemedOrderId, "Order it was used on") : null}
      {offer.wonBackOrderId && offer.wonBackOrderId !== offer.redeemedOrderId
        ? orderLink(offer.wonBackOrderId, "Order the customer came back with")
        : null}
    </BlockStack>
  );
}

export function MakeGoodsCard({
  offers,
  decided,
  shop,
  embedded,
  canRevealCodes,
  when,
}: {
  offers: Offer[];
  decided: boolean;
  shop: string;
  embedded: boolean;
  /** MANAGER or OWNER: may reveal a code in full (audited). */
  canRevealCodes: boolean;
  when(iso: string): string;
}) {
  return (
    <SectionCard section="oneThird" title="Make-goods">
      {offers.length === 0 ? (
        <Text as="p" tone="subdued">
          {decided
            ? "No make-good for this incident."
            : "Amends has not decided yet; a make-good appears here once it does."}
        </Text>
      ) : (
        offers.map((offer, i) => (
          <BlockStack gap="150" key={offer.id}>
            {i > 0 ? <Divider /> : null}
            <OfferDetails offer={offer} shop={shop} embedded={embedded} canRevealCodes={canRevealCodes} when={when} />
          </BlockStack>
        ))
      )}
    </SectionCard>
  );
}
