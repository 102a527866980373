/**
 * The settings index (decision 0126): each section with its current values in a line, linking to
 * its page, then the change history. An old link to a field (/app/settings#<path>) goes on to the
 * page that shows it.
 */
import { useLocation, useNavigate } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { BlockStack, Card, Divider, Layout, Link, Page, Text } from "@shopify/polaris";
import { Fragment, useEffect } from "react";
import { SETTINGS_PAGES, settingsHref, settingsPageSummary } from "../../settings-form";
import { HistoryCard } from "./HistoryCard";
import { useSettingsData } from "./settings-data";

export function SettingsIndex() {
  const loaded = useSettingsData();
  const { hash } = useLocation();
  const navigate = useNavigate();
  useEffect(() => {
    if (!hash) return;
    const href = settingsHref(decodeURIComponent(hash.slice(1)));
    if (href !== "/app/settings") navigate(href, { replace: true });
  }, [hash, navigate]);

  const { shop } = loaded;
  return (
    <Page
      title="Settings"
      subtitle={`Times are in your store's time zone (${shop.timeZone}); money in ${shop.currency}.`}
    >
      <TitleBar title="Settings" />
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              {SETTINGS_PAGES.map((page, i) => (
                <Fragment key={page.slug}>
                  {i > 0 ? <Divider /> : null}
                  <BlockStack gap="100">
                    <Text as="h2" variant="headingMd">
                      <Link url={`/app/settings/${page.slug}`} removeUnderline>
                        {page.title}
                      </Link>
                    </Text>
                    <Text as="p" tone="subdued">
                      {page.description}
                    </Text>
                    <Text as="p">{settingsPageSummary(page.slug, loaded.values, shop.currency)}</Text>
                  </BlockStack>
                </Fragment>
              ))}
            </BlockStack>
          </Card>
        </Layout.Section>
        <HistoryCard rows={loaded.history} />
      </Layout>
    </Page>
  );
}
