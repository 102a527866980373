/**
 * The compensation grid editor: the severity × tier matrix, per-incident-type overrides,
 * a preview against the last 90 days, and the version history with restore. The page keeps
 * a draft; Save makes it the next version (app/services/grid-editor.server.ts).
 */
import { interactiveAdmin } from "../shopify/admin-client.server";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { Banner, BlockStack, Button, Card, InlineStack, Layout, List, Page, Select, Text } from "@shopify/polaris";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { z } from "zod";
import { FormSaveBar, useFeedback } from "../components/Feedback";
import { CellEditor } from "../components/grid/CellEditor";
import { GridHistory } from "../components/grid/GridHistory";
import { GridMatrix } from "../components/grid/GridMatrix";
import { GridPreviewResult, type PreviewData } from "../components/grid/GridPreviewResult";
import { addressOf, cellTitle, errorsByCell, type CellAddress, type GridScope } from "../components/grid/cell-address";
import { fieldErrorsOf, formObject, jsonField, parseWith, type FieldErrors } from "../forms";
import { draftVariantIds, gridDraftSchema, type CellDraft, type GridDraft } from "../recovery/grid/editing";
import { INCIDENT_TYPES, type Severity, type Tier } from "../recovery/vocabulary";
import { INCIDENT_TYPE_LABELS } from "../recovery/words";
import { giftVariantDetails } from "../services/gift-products.server";
import {
  loadGridEditor,
  mayEditGrid,
  NOT_ALLOWED_MESSAGE,
  restoreGridVersion,
  saveGridDraft,
} from "../services/grid-editor.server";
import { AdminApiError } from "../shopify/admin-graphql.server";
import { staffContext } from "../staff.server";

export const meta: MetaFunction = () => [{ title: "Compensation grid · Amends" }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop, admin, staff } = await staffContext(request);
  const [editor, canEdit] = await Promise.all([loadGridEditor(shop), mayEditGrid(shop, staff)]);
  const ids = draftVariantIds(editor.draft);
  let variantTitles: Record<string, string> = {};
  if (ids.length > 0) {
    try {
      variantTitles = (await giftVariantDetails(interactiveAdmin(admin.admin, shop), ids, editor.currency)).titles;
    } catch (error) {
      // Titles are a nicety: without Shopify the cells still show the variant id.
      if (!(error instanceof AdminApiError)) throw error;
    }
  }
  return { ...editor, variantTitles, canEdit };
};

const restoreForm = z.object({
  version: z.coerce.number().int("choose a version").min(1, "choose a version"),
});

type ActionResult =
  | { ok: true; intent: "save"; version: number }
  | { ok: true; intent: "restore"; version: number; restored: number }
  | { ok: false; fieldErrors: FieldErrors };

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, staff } = await staffContext(request);
  const form = await request.formData();
  const intent = form.get("intent");
  if (intent === "save") {
    const result = await saveGridDraft(shop, staff, jsonField(form));
    if (!result.ok)
      return data<ActionResult>(
        { ok: false, fieldErrors: result.fieldErrors },
        { status: result.fieldErrors.form === NOT_ALLOWED_MESSAGE ? 403 : 400 },
      );
    return data<ActionResult>({
      ok: true,
      intent: "save",
      version: result.version.version,
    });
  }
  if (intent === "restore") {
    const parsed = parseWith(restoreForm, formObject(form));
    if (!parsed.ok) return data<ActionResult>({ ok: false, fieldErrors: parsed.fieldErrors }, { status: 400 });
    const result = await restoreGridVersion(shop, staff, parsed.data.version);
    if (!result.ok) {
      const message =
        result.reason === "NOT_ALLOWED"
          ? NOT_ALLOWED_MESSAGE
          : result.reason === "NOT_FOUND"
            ? `There is no version ${parsed.data.version} of this shop's grid.`
            : `Version ${parsed.data.version} is already the current grid.`;
      return data<ActionResult>(
        { ok: false, fieldErrors: { version: message } },
        { status: result.reason === "NOT_ALLOWED" ? 403 : result.reason === "NOT_FOUND" ? 404 : 400 },
      );
    }
    return data<ActionResult>({
      ok: true,
      intent: "restore",
      version: result.version.version,
      restored: result.restored,
    });
  }
  return data<ActionResult>({ ok: false, fieldErrors: { form: "Unknown action." } }, { status: 400 });
};

const sameDraft = (a: GridDraft, b: GridDraft) => JSON.stringify(a) === JSON.stringify(b);

export default function GridEditor() {
  const loaded = useLoaderData<typeof loader>();
  const { toast } = useFeedback();
  const [draft, setDraft] = useState<GridDraft>(loaded.draft);
  const [scope, setScope] = useState<GridScope>("BASE");
  const [editing, setEditing] = useState<CellAddress | null>(null);
  const [titles, setTitles] = useState<Record<string, string>>(loaded.variantTitles);
  const save = useFetcher<ActionResult>({ key: "grid-save" });
  const restore = useFetcher<ActionResult>({ key: "grid-restore" });
  const preview = useFetcher<{
    preview: PreviewData | null;
    fieldErrors: FieldErrors | null;
  }>({ key: "grid-preview" });
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
  const serverErrors =
    save.data && !save.data.ok && submittedDraft.current && sameDraft(submittedDraft.current, draft)
      ? save.data.fieldErrors
      : {};
  const cellErrors = errorsByCell({ ...liveErrors, ...serverErrors });
  const formError = serverErrors.form;

  const cellAt = useCallback(
    (s: GridScope, severity: Severity, tier: Tier): { cell: CellDraft; overridden: boolean } => {
      const override = s === "BASE" ? undefined : draft.overrides[s]?.[severity]?.[tier];
      return override ? { cell: override, overridden: true } : { cell: draft.cells[severity][tier], overridden: false };
    },
    [draft],
  );

  const putCell = (address: CellAddress, cell: CellDraft | null) => {
    setDraft((d) => {
      if (address.scope === "BASE") {
        if (!cell) return d;
        return {
          ...d,
          cells: {
            ...d.cells,
            [address.severity]: {
              ...d.cells[address.severity],
              [address.tier]: cell,
            },
          },
        };
      }
      const rows = { ...(d.overrides[address.scope] ?? {}) };
      const row = { ...(rows[address.severity] ?? {}) };
      if (cell) row[address.tier] = cell;
      else delete row[address.tier];
      if (Object.keys(row).length > 0) rows[address.severity] = row;
      else delete rows[address.severity];
      const overrides = { ...d.overrides };
      if (Object.keys(rows).length > 0) overrides[address.scope] = rows;
      else delete overrides[address.scope];
      return { ...d, overrides };
    });
  };

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

  const overrideCount = (type: GridScope) =>
    type === "BASE"
      ? 0
      : Object.values(draft.overrides[type] ?? {}).reduce((n, row) => n + Object.keys(row ?? {}).length, 0);
  const scopeOptions = [
    { value: "BASE", label: "All incident types (base grid)" },
    ...INCIDENT_TYPES.map((type) => {
      const n = overrideCount(type);
      return {
        value: type,
        label: `${INCIDENT_TYPE_LABELS[type]}${n > 0 ? ` (${n} overridden)` : ""}`,
      };
    }),
  ];
  const problems = Object.entries(cellErrors).flatMap(([key, message]) => {
    const address = addressOf(key);
    return address ? [{ key, address, message }] : [];
  });
  const editingCell = editing ? cellAt(editing.scope, editing.severity, editing.tier) : null;

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
        {formError || problems.length > 0 ? (
          <Layout.Section>
            <Banner
              tone="critical"
              title={
                formError ??
                `${problems.length} cell${
                  problems.length === 1 ? " needs" : "s need"
                } fixing before the grid can be saved`
              }
            >
              {problems.length > 0 ? (
                <List>
                  {problems.map((p) => (
                    <List.Item key={p.key}>
                      <Button
                        variant="plain"
                        onClick={() => {
                          setScope(p.address.scope);
                          setEditing(p.address);
                        }}
                      >
                        {`${cellTitle(p.address)}: ${p.message}`}
                      </Button>
                    </List.Item>
                  ))}
                </List>
              ) : null}
            </Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Make-good by severity and customer
              </Text>
              <Text as="p" tone="subdued">
                Each incident gets the make-good in the row of its severity and the column of the customer&apos;s value
                tier. Select a cell to change it. Guardrails (holdout, per-customer limits, the auto-approve ceiling,
                the monthly budget) still apply on top.
              </Text>
              <Select
                label="Applies to"
                options={scopeOptions}
                value={scope}
                onChange={(value) => setScope(value as GridScope)}
                helpText={
                  scope === "BASE"
                    ? "The base grid applies to every incident type unless a type overrides a cell."
                    : "Cells not overridden follow the base grid. Edit a cell to override it for this incident type only."
                }
              />
              <GridMatrix
                scope={scope}
                cellAt={(severity, tier) => cellAt(scope, severity, tier)}
                currency={loaded.currency}
                variantTitles={titles}
                cellErrors={cellErrors}
                onEdit={setEditing}
              />
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Preview on the last 90 days
              </Text>
              <Text as="p" tone="subdued">
                See what {dirty ? "your draft" : "this grid"} would have done to this shop&apos;s incidents of the last
                90 days, next to the grid in use.
              </Text>
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
                <Banner tone="warning">
                  Fix the problems in the grid first: the preview needs a grid that can be saved.
                </Banner>
              ) : null}
              {preview.data?.preview ? (
                <GridPreviewResult preview={preview.data.preview} currency={loaded.currency} />
              ) : null}
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Version history
              </Text>
              <Text as="p" tone="subdued">
                Every save is a new version; offers keep the version they were decided with.
              </Text>
              <GridHistory
                history={loaded.history}
                timeZone={loaded.timeZone}
                restoring={restore.state !== "idle"}
                onRestore={(version) =>
                  restore.submit({ intent: "restore", version: String(version) }, { method: "post" })
                }
              />
            </BlockStack>
          </Card>
        </Layout.Section>
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
            if (picked) setTitles((t) => ({ ...t, [picked.id]: picked.title }));
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
