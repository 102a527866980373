import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { useEffect, useState } from "react";
import { z } from "zod";
import { useFeedback } from "../components/Feedback";
import { DashboardView } from "../dashboard/DashboardView";
import { formObject, parseWith } from "../forms";
import { completeSetupStep, dashboard, dismissOnboarding } from "../services/dashboard.server";
import { adoptArm } from "../services/experiments/arms-report.server";
import { restoreBackgroundAccess } from "../services/reauth.server";
import { interactiveAdmin } from "../shopify/admin.server";
import { staffContext } from "../staff.server";
import { readForm } from "../http/read-form.server";

// Outside the admin (the demo) the page is the browser tab's document: it needs a title.
export const meta: MetaFunction = () => [{ title: "Dashboard · Amends" }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop, admin } = await staffContext(request);
  const url = new URL(request.url);
  return dashboard(
    shop,
    { from: url.searchParams.get("from"), to: url.searchParams.get("to") },
    { admin: interactiveAdmin(admin.admin, shop) },
  );
};

const actionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("dismissOnboarding") }),
  z.object({ intent: z.literal("restoreAccess") }),
  z.object({ intent: z.literal("completeStep"), step: z.enum(["defaults", "grid"]) }),
]);
/** Make an experiment's arm its cell's only make-good (decision 0119). */
const adoptArmSchema = z.object({
  intent: z.literal("adoptArm"),
  experimentKey: z.string().regex(/^[0-9a-f]{16}$/),
  arm: z.coerce.number().int().min(0).max(3),
});

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, staff } = await staffContext(request);
  const form = formObject(await readForm(request));
  if (form["intent"] === "adoptArm") {
    const adopt = parseWith(adoptArmSchema, form);
    if (!adopt.ok) return { ok: false as const, message: "That experiment could not be read; reload the page." };
    return adoptArm(shop, staff, adopt.data.experimentKey, adopt.data.arm);
  }
  const input = parseWith(actionSchema, form);
  if (!input.ok) return { ok: false as const, fieldErrors: input.fieldErrors };
  if (input.data.intent === "restoreAccess") {
    const restored = await restoreBackgroundAccess(shop, () => staffContext(request));
    return restored
      ? { ok: true as const, message: "Access restored. Amends is catching up on what it missed." }
      : { ok: false as const, message: "Shopify did not restore access. Open Amends again from your Shopify admin." };
  }
  if (input.data.intent === "completeStep") {
    await completeSetupStep(shop, input.data.step);
    return { ok: true as const, message: "Step marked done" };
  }
  await dismissOnboarding(shop, staff.userId);
  return { ok: true as const, message: "The setup guide is hidden. Settings are always under Settings." };
};

export default function DashboardPage() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const [searchParams, setSearchParams] = useSearchParams();
  const { toast } = useFeedback();
  const [exporting, setExporting] = useState(false);

  // Through fetch rather than a link: inside the admin, App Bridge adds the session token to the
  // app's own fetches, which a plain navigation of the iframe would not carry.
  const exportOffers = async () => {
    setExporting(true);
    try {
      const response = await fetch(`/app/export/offers.csv?from=${data.range.from}&to=${data.range.to}`);
      if (!response.ok) throw new Error(await response.text());
      const name =
        /filename="([^"]+)"/.exec(response.headers.get("content-disposition") ?? "")?.[1] ?? "amends-offers.csv";
      const href = URL.createObjectURL(await response.blob());
      const link = Object.assign(document.createElement("a"), { href, download: name });
      link.click();
      URL.revokeObjectURL(href);
      toast("Offers exported");
    } catch (error) {
      toast(`Export failed: ${error instanceof Error ? error.message : "unknown error"}`, { error: true });
    } finally {
      setExporting(false);
    }
  };

  useEffect(() => {
    if (!result) return;
    if (result.ok) toast(result.message);
    else toast(("message" in result && result.message) || "That action is not available here.", { error: true });
  }, [result, toast]);

  return (
    <>
      <TitleBar title="Dashboard" />
      <DashboardView
        data={data}
        loading={navigation.state === "loading" && navigation.location.pathname === "/app"}
        exporting={exporting}
        onExport={() => void exportOffers()}
        onRangeChange={(range) => {
          const next = new URLSearchParams(searchParams);
          next.set("from", range.from);
          next.set("to", range.to);
          setSearchParams(next);
        }}
        dismissForm={(button) => (
          <Form method="post">
            <input type="hidden" name="intent" value="dismissOnboarding" />
            {button}
          </Form>
        )}
        completeStepForm={(step, button) => (
          <Form method="post">
            <input type="hidden" name="intent" value="completeStep" />
            <input type="hidden" name="step" value={step} />
            {button}
          </Form>
        )}
        restoreAccessForm={(button) => (
          <Form method="post">
            <input type="hidden" name="intent" value="restoreAccess" />
            {button}
          </Form>
        )}
        adoptArmForm={(experimentKey, arm, button) => (
          <Form method="post">
            <input type="hidden" name="intent" value="adoptArm" />
            <input type="hidden" name="experimentKey" value={experimentKey} />
            <input type="hidden" name="arm" value={arm} />
            {button}
          </Form>
        )}
      />
    </>
  );
}
