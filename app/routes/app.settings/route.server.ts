/** The settings page's data and its two actions: save the changed sections, send a test email. */
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { formObject, jsonField, parseWith, type FieldErrors } from "../../forms";
import { mayChangeMailServer, saveSettings, sendSettingsTestEmail, settingsForm } from "../../services/settings.server";
import { staffContext } from "../../staff.server";
import { readForm } from "../../http/read-form.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop, staff, admin } = await staffContext(request);
  const form = await settingsForm(shop, staff);
  // The test message goes to the signed-in member unless they type another address.
  return { ...form, viewerEmail: admin.session.onlineAccessInfo?.associated_user.email ?? "" };
};

const intentSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("save") }),
  z.object({ intent: z.literal("testEmail"), testTo: z.email("Enter an email address, like you@yourstore.com") }),
]);

export type SettingsActionData =
  | { intent: "save"; ok: true; saved: string[] }
  | { intent: "save"; ok: false; fieldErrors: FieldErrors; message: string }
  | { intent: "testEmail"; ok: true; to: string }
  | { intent: "testEmail"; ok: false; message: string; fieldErrors?: FieldErrors };

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, staff } = await staffContext(request);
  const form = await readForm(request);
  const parsed = parseWith(intentSchema, formObject(form));
  if (!parsed.ok) {
    const result: SettingsActionData = {
      intent: "testEmail",
      ok: false,
      message: "Enter the address to send the test to",
      fieldErrors: parsed.fieldErrors,
    };
    return data(result, { status: 400 });
  }
  if (parsed.data.intent === "testEmail") {
    if (!(await mayChangeMailServer(shop, staff)))
      return data<SettingsActionData>(
        { intent: "testEmail", ok: false, message: "Testing the mail server needs manager authority" },
        { status: 403 },
      );
    const sent = await sendSettingsTestEmail(shop, parsed.data.testTo);
    return data<SettingsActionData>({ intent: "testEmail", ...sent });
  }
  const saved = await saveSettings(shop, staff, jsonField(form));
  if (!saved.ok)
    return data<SettingsActionData>(
      { intent: "save", ok: false, fieldErrors: saved.fieldErrors, message: saved.message },
      { status: saved.status },
    );
  return data<SettingsActionData>({ intent: "save", ok: true, saved: saved.saved });
};
