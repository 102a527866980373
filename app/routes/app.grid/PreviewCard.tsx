/** The draft replayed on the shop's incidents of the last 90 days, beside the grid in use. */
import { memo } from "react";
import { useFetcher } from "@remix-run/react";
import { Banner, Button, InlineStack } from "@shopify/polaris";
import { GridPreviewResult } from "../../components/grid/GridPreviewResult";
import { SectionCard } from "../../components/SectionCard";
import type { FieldErrors } from "../../forms";
import type { GridDraft } from "../../recovery/grid/editing";
import type { GridPreview } from "../../services/grid-preview.server";

export const PreviewCard = memo(function PreviewCard({
  draft,
  dirty,
  currency,
}: {
  draft: GridDraft;
  dirty: boolean;
  currency: string;
}) {
  const preview = useFetcher<{ preview: GridPreview | null; fieldErrors: FieldErrors | null }>({ key: "grid-preview" });
  return (
    <SectionCard
      section="fullWidth"
      title="Preview on the last 90 days"
      description={`See what ${dirty ? "your draft" : "this grid"} would have done to this shop's incidents of the last 90 days, next to the grid in use.`}
    >
      <InlineStack>
        <Button
          onClick={() =>
            preview.submit({ payload: JSON.stringify(draft) }, { method: "post", action: "/app/grid/preview" })
          }
          loading={preview.state !== "idle"}
        >
          {preview.data ? "Preview again" : "Preview"}
        </Button>
      </InlineStack>
      {preview.data?.fieldErrors ? (
        <Banner tone="warning">Fix the problems in the grid first: the preview needs a grid that can be saved.</Banner>
      ) : null}
      {preview.data?.preview ? <GridPreviewResult preview={preview.data.preview} currency={currency} /> : null}
    </SectionCard>
  );
});
