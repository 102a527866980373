/** admin.order-details.action.should-render: hide the action on test orders (see shouldDisplay). */
import { ORDER_TEST_QUERY, shouldDisplay } from "./view-model";

export default async () => {
  const id = shopify.data.selected[0]?.id;
  if (!id) return { display: false };
  try {
    const result = await shopify.query<{ order: { id: string; test: boolean } | null }>(ORDER_TEST_QUERY, {
      variables: { id },
    });
    return { display: shouldDisplay(id, result.data?.order, Boolean(result.errors?.length)) };
  } catch {
    return { display: shouldDisplay(id, null, true) };
  }
};
