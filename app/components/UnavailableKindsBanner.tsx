/**
 * Which make-goods this shop cannot be given now and what is given instead: a scope the merchant
 * took back (app/scopes_update), store credit on classic customer accounts. The grid editor and the
 * settings page show the same list (services/issuing/kind-availability.server.ts).
 */
import { Banner, BlockStack, List, Text } from "@shopify/polaris";

export interface UnavailableKindView {
  kind: string;
  label: string;
  reason: string;
  fallback: string;
}

function instead(fallback: string): string {
  return fallback === "apology message only" ? "an apology message only" : `a ${fallback} of the same value`;
}

export function UnavailableKindsBanner({ notes, hint }: { notes: readonly UnavailableKindView[]; hint?: string }) {
  if (notes.length === 0) return null;
  return (
    <Banner tone="warning" title="Some make-goods cannot be issued on this shop">
      <BlockStack gap="200">
        <List>
          {notes.map((note) => (
            <List.Item key={note.kind}>
              {`${note.label}: ${note.reason}. Cells that give it give ${instead(note.fallback)} instead.`}
            </List.Item>
          ))}
        </List>
        {hint ? <Text as="p">{hint}</Text> : null}
      </BlockStack>
    </Banner>
  );
}
