/** Why the grid cannot be saved: the form's message, or a link to each cell that needs fixing. */
import { Banner, Button, Layout, List } from "@shopify/polaris";
import { addressOf, cellTitle, type CellAddress } from "../../recovery/grid/cell-address";

export function ProblemsBanner({
  formError,
  cellErrors,
  onShow,
}: {
  formError: string | undefined;
  cellErrors: Record<string, string>;
  onShow(address: CellAddress): void;
}) {
  const problems = Object.entries(cellErrors).flatMap(([key, message]) => {
    const address = addressOf(key);
    return address ? [{ key, address, message }] : [];
  });
  if (!formError && problems.length === 0) return null;
  const count = `${problems.length} cell${problems.length === 1 ? " needs" : "s need"} fixing before the grid can be saved`;
  return (
    <Layout.Section>
      <Banner tone="critical" title={formError ?? count}>
        {problems.length > 0 ? (
          <List>
            {problems.map((p) => (
              <List.Item key={p.key}>
                <Button variant="plain" onClick={() => onShow(p.address)}>
                  {`${cellTitle(p.address)}: ${p.message}`}
                </Button>
              </List.Item>
            ))}
          </List>
        ) : null}
      </Banner>
    </Layout.Section>
  );
}
