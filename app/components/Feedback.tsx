/**
 * Toasts and the save bar, the same call inside and outside the Shopify admin. Embedded, App
 * Bridge draws them (shopify.toast, <ui-save-bar>); in the demo (no App Bridge, see TOOLCHAIN.md)
 * Polaris does, inside a Frame.
 */
import { SaveBar, useAppBridge } from "@shopify/app-bridge-react";
import { ContextualSaveBar, Frame, Toast } from "@shopify/polaris";
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from "react";

interface Feedback {
  embedded: boolean;
  toast(message: string, options?: { error?: boolean }): void;
}

const FeedbackContext = createContext<Feedback | null>(null);

export function useFeedback(): Feedback {
  const feedback = useContext(FeedbackContext);
  if (!feedback) throw new Error("useFeedback outside FeedbackProvider (app/routes/app.tsx provides it)");
  return feedback;
}

export function FeedbackProvider({ embedded, children }: { embedded: boolean; children: ReactNode }) {
  return embedded ? <EmbeddedFeedback>{children}</EmbeddedFeedback> : <DemoFeedback>{children}</DemoFeedback>;
}

function EmbeddedFeedback({ children }: { children: ReactNode }) {
  const shopify = useAppBridge();
  const value = useMemo<Feedback>(() => ({ embedded: true, toast: (message, options) => shopify.toast.show(message, { isError: options?.error ?? false }) }), [shopify]);
  return <FeedbackContext.Provider value={value}>{children}</FeedbackContext.Provider>;
}

function DemoFeedback({ children }: { children: ReactNode }) {
  const [toast, setToast] = useState<{ message: string; error: boolean; key: number } | null>(null);
  const show = useCallback((message: string, options?: { error?: boolean }) => setToast({ message, error: options?.error ?? false, key: Date.now() }), []);
  const value = useMemo<Feedback>(() => ({ embedded: false, toast: show }), [show]);
  return (
    <FeedbackContext.Provider value={value}>
      <Frame>
        {children}
        {toast ? <Toast key={toast.key} content={toast.message} error={toast.error} onDismiss={() => setToast(null)} /> : null}
      </Frame>
    </FeedbackContext.Provider>
  );
}

export interface SaveBarProps {
  /** Unsaved changes: the bar shows while true. */
  dirty: boolean;
  saving: boolean;
  onSave(): void;
  onDiscard(): void;
  /** Unique on the page (App Bridge addresses the bar by id). */
  id: string;
}

/** The bar that appears while a form has unsaved changes, with Save and Discard. */
export function FormSaveBar({ dirty, saving, onSave, onDiscard, id }: SaveBarProps) {
  const { embedded } = useFeedback();
  if (embedded) {
    return (
      <SaveBar id={id} open={dirty}>
        <button variant="primary" onClick={onSave} disabled={saving} loading={saving ? "" : undefined}>
          Save
        </button>
        <button onClick={onDiscard} disabled={saving}>
          Discard
        </button>
      </SaveBar>
    );
  }
  if (!dirty) return null;
  return (
    <ContextualSaveBar
      message="Unsaved changes"
      saveAction={{ content: "Save", onAction: onSave, loading: saving }}
      discardAction={{ content: "Discard", onAction: onDiscard, disabled: saving }}
    />
  );
}
