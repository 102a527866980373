/**
 * The order page extensions' backend (extensions/order-recovery-action, extensions/order-recovery-block).
 * The extensions' fetch carries `Authorization: Bearer <session token>`; authenticate.admin (through
 * staffContext) verifies it (bad or missing: 401, nothing read), answers the CORS preflight, and every
 * answer goes out through its `cors` helper (the admin calls from another origin). The shop always
 * comes from the verified token, so one shop's token never reads another shop's orders.
 *
 *   GET  /api/orders/:orderId/recovery                 -> the order's incidents and offers
 *   POST /api/orders/:orderId/recovery {intent: "suggest", category, severity}
 *   POST /api/orders/:orderId/recovery {intent: "create", category, severity, note, value?, mode}
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { logger } from "../logger.server";
import { MANUAL_CATEGORIES, SEVERITIES } from "../recovery";
import { ApprovalError } from "../services/approvals.server";
import { createMakeGood, MakeGoodError, orderRecoveryStatus, suggestMakeGood } from "../services/make-good.server";
import { staffContext, type StaffContext } from "../staff.server";

const orderIdParam = z.string().regex(/^\d{1,20}$/, "orderId must be the order's numeric id");

const choice = { category: z.enum(MANUAL_CATEGORIES), severity: z.enum(SEVERITIES) };
const body = z.discriminatedUnion("intent", [
  z.strictObject({ intent: z.literal("suggest"), ...choice }),
  z.strictObject({
    intent: z.literal("create"),
    ...choice,
    note: z.string().trim().max(2_000).default(""),
    value: z.number().positive().max(100_000_000).optional(),
    mode: z.enum(["ISSUE", "REQUEST_APPROVAL"]),
  }),
]);

type Cors = StaffContext["admin"]["cors"];

function invalid(cors: Cors, error: z.ZodError): Response {
  const problems = error.issues.map((i) => ({ field: i.path.join(".") || "(body)", message: i.message }));
  return cors(
    Response.json({ error: problems.map((p) => `${p.field}: ${p.message}`).join("; "), problems }, { status: 422 }),
  );
}

function orderGidFrom(cors: Cors, raw: string | undefined): string | Response {
  const parsed = orderIdParam.safeParse(raw);
  return parsed.success ? `gid://shopify/Order/${parsed.data}` : invalid(cors, parsed.error);
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { shop, admin } = await staffContext(request);
  const orderGid = orderGidFrom(admin.cors, params.orderId);
  if (orderGid instanceof Response) return orderGid;
  return admin.cors(Response.json(await orderRecoveryStatus(shop, orderGid)));
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { shop, staff, admin } = await staffContext(request);
  const cors = admin.cors;
  if (request.method !== "POST") return cors(Response.json({ error: "method not allowed" }, { status: 405 }));
  const orderGid = orderGidFrom(cors, params.orderId);
  if (orderGid instanceof Response) return orderGid;
  let json: unknown;
  try {
    json = await request.json();
  } catch {
    return cors(Response.json({ error: "the body must be JSON" }, { status: 400 }));
  }
  const parsed = body.safeParse(json);
  if (!parsed.success) return invalid(cors, parsed.error);
  const input = parsed.data;
  try {
    if (input.intent === "suggest") {
      return cors(
        Response.json(
          await suggestMakeGood(shop, orderGid, { category: input.category, severity: input.severity }, staff),
        ),
      );
    }
    const { intent: _intent, ...request_ } = input;
    const result = await createMakeGood(shop, orderGid, request_, staff);
    logger.info(
      {
        shop,
        orderGid,
        staff: staff.userId,
        result: result.kind,
        ...("outcome" in result ? { outcome: result.outcome } : {}),
      },
      "make-good from the order page",
    );
    return cors(Response.json(result, { status: result.kind === "EXCLUDED" ? 422 : 200 }));
  } catch (error) {
    if (error instanceof MakeGoodError)
      return cors(Response.json({ error: error.message, code: error.code }, { status: 404 }));
    if (error instanceof ApprovalError)
      return cors(Response.json({ error: error.message, code: error.code }, { status: 422 }));
    if (error instanceof Error && "code" in error && error.code === "ORDER_NOT_FOUND")
      return cors(Response.json({ error: error.message, code: "ORDER_NOT_FOUND" }, { status: 404 }));
    throw error;
  }
}
