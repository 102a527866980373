/** The draft replayed on the shop's incidents of the last 90 days, beside the grid in use. */
import { memo } from "react";
import { useFetcher } from "@remix-run/react";
import { Banner, Button, InlineStack } from "@shopify/polaris";
import { GridPreviewResult } from "../../components/grid/GridPreviewResult";
import { SectionCard } from "../../components/SectionCard";
import type { FieldErrors } from "../../forms";
import type { GridDraft } from "../../recovery/grid/editing";
import type { GridPreview } from "../../services/grid-preview.server";
import { isStageScope, scopeAudience, type GridScope } from "../../recovery/grid/cell-address";

export const PreviewCard = memo(function PreviewCard({
  draft,
  dirty,
  currency,
  scope,
}: {
  draft: GridDraft;
  dirty: boolean;
  currency: string;
  /** The editor's scope: on a lifecycle stage, the preview can replay only that stage's customers. */
  scope: GridScope;
}) {
  const stage = isStageScope(scope) ? scope : null;
  const run = (only: boolean) =>
    preview.submit(
      { payload: JSON.stringify(draft), stage: only && stage ? stage : "" },
      { method: "post", action: "/app/grid/preview" },
    );
  const preview = useFetcher<{ preview: GridPreview | null; fieldErrors: FieldErrors | null }>({ key: "grid-preview" });
  return (
    <SectionCard
      section="fullWidth"
      title="Preview on the last 90 days"
      description={`See what ${dirty ? "your draft" : "this grid"} would have done to this shop's incidents of the last 90 days, next to the grid in use.`}
    >
      <InlineStack gap="200">
        <Button onClick={() => run(false)} loading={preview.state !== "idle"}>
          {preview.data ? "Preview again" : "Preview"}
        </Button>
        {stage ? (
          <Button onClick={() => run(true)} loading={preview.state !== "idle"}>
            {`Preview ${scopeAudience(stage)} only`}
          </Button>
        ) : null}
      </InlineStack>
      {preview.data?.fieldErrors ? (
        <Banner tone="warning">Fix the problems in the grid first: the preview needs a grid that can be saved.</Banner>
      ) : null}
      {preview.data?.preview ? <GridPreviewResult preview={preview.data.preview} currency={currency} /> : null}
    </SectionCard>
  );
});
