/**
 * Toasts and the save bar, the same call inside and outside the Shopify admin. Embedded, App
 * Bridge draws them (shopify.toast, <ui-save-bar>); in the demo (no App Bridge, see TOOLCHAIN.md)
 * Polaris does, inside a Frame.
 */
import { SaveBar, useAppBridge } from "@shopify/app-bridge-react";
import { ContextualSaveBar, Frame } from "@shopify/polaris";
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";

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
  const value = useMemo<Feedback>(
    () => ({
      embedded: true,
      toast: (message, options) => shopify.toast.show(message, { isError: options?.error ?? false }),
    }),
    [shopify],
  );
  return <FeedbackContext.Provider value={value}>{children}</FeedbackContext.Provider>;
}

function DemoFeedback({ children }: { children: ReactNode }) {
  const [toast, setToast] = useState<{ message: string; error: boolean; key: number } | null>(null);
  const show = useCallback(
    (message: string, options?: { error?: boolean }) =>
      setToast({ message, error: options?.error ?? false, key: Date.now() }),
    [],
  );
  const dismiss = useCallback(() => setToast(null), []);
  const value = useMemo<Feedback>(() => ({ embedded: false, toast: show }), [show]);
  return (
    <FeedbackContext.Provider value={value}>
      <Frame>
        {children}
        {toast ? <DemoToast key={toast.key} message={toast.message} error={toast.error} onDismiss={dismiss} /> : null}
      </Frame>
    </FeedbackContext.Provider>
  );
}

const TOAST_MS = 5_000;

/**
 * The demo's toast. Not Polaris's Toast: in Polaris 13.9 its close button has no accessible name
 * (axe: button-name, critical). Announced politely to screen readers; dismissed after 5 s.
 */
function DemoToast({ message, error, onDismiss }: { message: string; error: boolean; onDismiss(): void }) {
  useEffect(() => {
    const timer = setTimeout(onDismiss, TOAST_MS);
    return () => clearTimeout(timer);
  }, [onDismiss]);
  return (
    <div
      role={error ? "alert" : "status"}
      style={{
        position: "fixed",
        insetBlockEnd: "2rem",
        insetInlineStart: "50%",
        transform: "translateX(-50%)",
        zIndex: 600,
        display: "flex",
        gap: "0.75rem",
        alignItems: "center",
        padding: "0.75rem 1rem",
        borderRadius: "0.75rem",
        background: error ? "#8e1f0b" : "#303030",
        color: "#ffffff",
        boxShadow: "0 4px 12px rgba(0, 0, 0, 0.25)",
      }}
    >
      <span>{message}</span>
      <button
        type="button"
        onClick={onDismiss}
        aria-label="Dismiss notification"
        style={{
          background: "transparent",
          border: "none",
          color: "#ffffff",
          cursor: "pointer",
          fontSize: "1rem",
          lineHeight: 1,
        }}
      >
        ×
      </button>
    </div>
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
