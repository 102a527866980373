/**
 * Choosing the variant a GIFT_PRODUCT cell ships. In the admin it is App Bridge's resource
 * picker; outside it (the demo) an Autocomplete fed by /app/grid/products, which searches the
 * shop's products through the Admin API as the signed-in member.
 */
import { useFetcher } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import { Autocomplete, BlockStack, Button, InlineError, InlineStack, Text } from "@shopify/polaris";
import { useEffect, useMemo, useState } from "react";
import { useFeedback } from "../Feedback";

export interface PickedVariant {
  id: string;
  title: string;
}

interface Props {
  variantId: string;
  variantTitle: string | undefined;
  error: string | undefined;
  onPick(variant: PickedVariant): void;
}

export function GiftProductPicker(props: Props) {
  const { embedded } = useFeedback();
  return (
    <BlockStack gap="200">
      <Text as="p">
        Gift product:{" "}
        <Text as="span" fontWeight="semibold">
          {props.variantId ? (props.variantTitle ?? props.variantId) : "none chosen"}
        </Text>
      </Text>
      {embedded ? <AdminPicker {...props} /> : <SearchPicker {...props} />}
      {props.error ? <InlineError message={props.error} fieldID="gift-variant" /> : null}
    </BlockStack>
  );
}

function AdminPicker({ variantId, onPick }: Props) {
  const shopify = useAppBridge();
  const choose = async () => {
    const selection = await shopify.resourcePicker({
      type: "variant",
      multiple: false,
      ...(variantId ? { selectionIds: [{ id: variantId }] } : {}),
    });
    const picked = selection?.[0];
    if (picked)
      onPick({
        id: picked.id,
        title: picked.displayName ?? picked.title ?? picked.id,
      });
  };
  return (
    <InlineStack>
      <Button onClick={() => void choose()}>{variantId ? "Change product" : "Choose product"}</Button>
    </InlineStack>
  );
}

interface SearchAnswer {
  options: Array<{ id: string; displayName: string; price: string; stock: string }>;
  fieldErrors: Record<string, string> | null;
}

function SearchPicker({ variantId, onPick, error }: Props) {
  const search = useFetcher<SearchAnswer>();
  const [text, setText] = useState("");
  const { load } = search;
  // A short pause after typing, so a search is not sent for every letter.
  useEffect(() => {
    const timer = setTimeout(() => load(`/app/grid/products?q=${encodeURIComponent(text)}`), 250);
    return () => clearTimeout(timer);
  }, [text, load]);
  const found = useMemo(() => search.data?.options ?? [], [search.data]);
  const options = found.map((o) => ({
    value: o.id,
    label: `${o.displayName} (${o.price}, ${o.stock})`,
  }));
  const problem = search.data?.fieldErrors?.q;
  return (
    <Autocomplete
      options={options}
      selected={variantId ? [variantId] : []}
      loading={search.state === "loading"}
      emptyState={<Text as="p">No products match.</Text>}
      onSelect={(selected) => {
        const chosen = found.find((o) => o.id === selected[0]);
        if (chosen) {
          onPick({ id: chosen.id, title: chosen.displayName });
          setText(chosen.displayName);
        }
      }}
      textField={
        <Autocomplete.TextField
          label="Search products"
          value={text}
          onChange={setText}
          autoComplete="off"
          placeholder="Product title"
          error={problem ?? (error ? true : undefined)}
          helpText="Pick the variant Amends ships free of charge."
        />
      }
    />
  );
}
