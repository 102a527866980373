/**
 * The compensation grid editor: the severity × tier matrix, per-incident-type overrides,
 * the approval rules (every rule that decides who approves, decision 0122), a preview against
 * the last 90 days, and the version history with restore. The page keeps
 * a draft; Save makes it the next version (app/services/grid-editor.server.ts).
 */
import type { MetaFunction } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { Banner, Layout, Page } from "@shopify/polaris";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { FormSaveBar, useFeedback } from "../../components/Feedback";
import { errorsByCell, type CellAddress, type GridScope } from "../../recovery/grid/cell-address";
import { CellEditor } from "../../components/grid/CellEditor";
import { GridHistory } from "../../components/grid/GridHistory";
import { SectionCard } from "../../components/SectionCard";
import { fieldErrorsOf } from "../../forms";
import { gridDraftSchema, type CellDraft, type GridDraft } from "../../recovery/grid/editing";
import { cellAt, sameDraft, withCell, withScopeReset } from "./draft";
import { UnavailableKindsBanner } from "../../components/UnavailableKindsBanner";
import { ApprovalRulesCard } from "./ApprovalRulesCard";
import { MatrixCard } from "./MatrixCard";
import { PreviewCard } from "./PreviewCard";
import { ProblemsBanner } from "./ProblemsBanner";
import type { GridActionResult, loader } from "./route.server";

export { action, loader } from "./route.server";

export const meta: MetaFunction = () => [{ title: "Compensation grid · Amends" }];

const NO_ERRORS: Record<string, string> = {};

export default function GridEditor() {
  const loaded = useLoaderData<typeof loader>();
  const { toast } = useFeedback();
  const [draft, setDraft] = useState<GridDraft>(loaded.draft);
  const [scope, setScope] = useState<GridScope>("BASE");
  const [editing, setEditing] = useState<CellAddress | null>(null);
  const [titles, setTitles] = useState<Record<string, string>>(loaded.variantTitles);
  const save = useFetcher<GridActionResult>({ key: "grid-save" });
  const restore = useFetcher<GridActionResult>({ key: "grid-restore" });
  const submittedDraft = useRef<GridDraft | null>(null);

  // A new version (saved here, restored, or by a colleague) replaces the draft. Only a new
  // version does: revalidation after a refused save or a preview must keep the merchant's edits.
  const shownVersion = useRef(loaded.version);
  useEffect(() => {
    setTitles((t) => ({ ...t, ...loaded.variantTitles }));
    if (shownVersion.current === loaded.version) return;
    shownVersion.current = loaded.version;
    setDraft(loaded.draft);
  }, [loaded.version, loaded.draft, loaded.variantTitles]);

  useEffect(() => {
    if (save.state !== "idle" || !save.data) return;
    if (save.data.ok) toast(`Saved as version ${save.data.version}`);
    else
      toast(save.data.fieldErrors.form ?? "The grid was not saved: fix the problems shown beside the cells.", {
        error: true,
      });
  }, [save.state, save.data, toast]);
  useEffect(() => {
    if (restore.state !== "idle" || !restore.data) return;
    if (restore.data.ok && restore.data.intent === "restore")
      toast(`Version ${restore.data.restored} restored as version ${restore.data.version}`);
    else if (!restore.data.ok)
      toast(Object.values(restore.data.fieldErrors)[0] ?? "Not restored", {
        error: true,
      });
  }, [restore.state, restore.data, toast]);

  const dirty = !sameDraft(draft, loaded.draft);
  // Checked as the merchant edits, with the schema the server applies on save; after a refused
  // save, the server's messages are shown until the draft changes.
  const liveErrors = useMemo(() => {
    const parsed = gridDraftSchema(loaded.currency).safeParse(draft);
    return parsed.success ? {} : fieldErrorsOf(parsed.error);
  }, [draft, loaded.currency]);
  const serverErrors = useMemo(
    () =>
      save.data && !save.data.ok && submittedDraft.current && sameDraft(submittedDraft.current, draft)
        ? save.data.fieldErrors
        : NO_ERRORS,
    [save.data, draft],
  );
  // Stable between renders that change neither, so opening a cell's editor does not redraw the
  // matrix, the preview and the history (memo below): that redraw was most of the click's time.
  const cellErrors = useMemo(() => errorsByCell({ ...liveErrors, ...serverErrors }), [liveErrors, serverErrors]);
  const onRestore = useCallback(
    (version: number) => restore.submit({ intent: "restore", version: String(version) }, { method: "post" }),
    // restore.submit is stable across renders.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [restore.submit],
  );

  // A cell opened from the approval rules card is a base cell: the matrix shows the base grid with it.
  const openCell = useCallback((address: CellAddress) => {
    setScope(address.scope);
    setEditing(address);
  }, []);
  const putCell = (address: CellAddress, cell: CellDraft | null) => setDraft((d) => withCell(d, address, cell));
  const submitSave = () => {
    submittedDraft.current = draft;
    save.submit(
      {
        intent: "save",
        payload: JSON.stringify({ baseVersion: loaded.version, draft }),
      },
      { method: "post" },
    );
  };
  const editingCell = editing ? cellAt(draft, editing.scope, editing.severity, editing.tier) : null;

  return (
    <Page
      fullWidth
      title="Compensation grid"
      subtitle={`Version ${loaded.version} is in use. Currency: ${loaded.currency}.`}
    >
      <TitleBar title="Compensation grid" />
      <FormSaveBar
        id="grid-save-bar"
        dirty={dirty}
        saving={save.state !== "idle"}
        onSave={submitSave}
        onDiscard={() => setDraft(loaded.draft)}
      />
      <Layout>
        {loaded.canEdit ? null : (
          <Layout.Section>
            <Banner tone="info" title="You can explore the grid and preview changes">
              Only a manager or the store owner can save or restore it: the grid decides what every failure costs.
            </Banner>
          </Layout.Section>
        )}
        {loaded.unavailableKinds.length > 0 ? (
          <Layout.Section>
            <UnavailableKindsBanner
              notes={loaded.unavailableKinds}
              hint="Choose what they give instead under Settings, Offers and guardrails."
            />
          </Layout.Section>
        ) : null}
        <ProblemsBanner
          formError={serverErrors.form}
          cellErrors={cellErrors}
          onShow={(address) => {
            setScope(address.scope);
            setEditing(address);
          }}
        />
        <MatrixCard
          draft={draft}
          scope={scope}
          onScope={setScope}
          onResetScope={(resetScope) => setDraft((d) => withScopeReset(d, resetScope))}
          currency={loaded.currency}
          variantTitles={titles}
          cellErrors={cellErrors}
          definitions={loaded.definitions}
          onEdit={setEditing}
        />
        <ApprovalRulesCard rules={loaded.rules} dirty={dirty} onEdit={openCell} />
        <PreviewCard draft={draft} dirty={dirty} currency={loaded.currency} scope={scope} />
        <SectionCard
          section="fullWidth"
          title="Version history"
          description="Every save is a new version; offers keep the version they were decided with."
        >
          <GridHistory
            history={loaded.history}
            timeZone={loaded.timeZone}
            restoring={restore.state !== "idle"}
            onRestore={onRestore}
          />
        </SectionCard>
      </Layout>
      {editing && editingCell ? (
        <CellEditor
          key={`${editing.scope}.${editing.severity}.${editing.tier}`}
          address={editing}
          initial={editingCell.cell}
          overridden={editingCell.overridden}
          currency={loaded.currency}
          variantTitles={titles}
          onClose={() => setEditing(null)}
          onRemoveOverride={() => {
            putCell(editing, null);
            setEditing(null);
          }}
          onDone={(cell, picked) => {
            if (Object.keys(picked).length > 0) setTitles((t) => ({ ...t, ...picked }));
            // In an incident type's scope an unchanged inherited cell stays inherited.
            if (
              editing.scope === "BASE" ||
              editingCell.overridden ||
              JSON.stringify(cell) !== JSON.stringify(editingCell.cell)
            )
              putCell(editing, cell);
            setEditing(null);
          }}
        />
      ) : null}
    </Page>
  );
}
