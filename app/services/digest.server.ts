/**
 * The weekly root-cause digest of one shop (issue 16 part 6, decision 0118): build the last
 * complete shop-local week's digest once (a RecoveryDigest row per shop and week), then send it
 * through the "Recovery digest ready" Flow trigger when a workflow uses it and by email through the
 * shop's own mail server when an address is set. Each channel is claimed on the row before it
 * goes out, so a retried or duplicated job sends each once. No customer data anywhere in it.
 */
import { clock } from "../clock.server";
import { env } from "../env.server";
import { logger } from "../logger.server";
import {
  claimDigestChannel,
  digestIncidents,
  digestOffers,
  findDigest,
  releaseDigestChannel,
  storeDigestOnce,
  type StoredDigest,
} from "../models/digest.server";
import { flowTriggerInUse } from "../models/flow-triggers.server";
import { shopContext } from "../models/shop-settings.server";
import { fromMinorUnits, toOfferRecords } from "../recovery";
import {
  buildDigest,
  digestText,
  lastCompleteWeek,
  topCauseLine,
  weekBefore,
  type Digest,
  type DigestWeek,
} from "../recovery/digest";
import { AdminApiError } from "../shopify/admin-errors";
import { backgroundAdmin } from "../shopify/admin.server";
import type { AdminClient } from "../shopify/admin-client.server";
import { DIGEST_READY_TRIGGER, triggerPayload } from "../shopify/flow/triggers";
import { flowTriggerReceive } from "../shopify/operations/flow-trigger-receive";
import { sendEmail } from "./notifications/email.server";
import { causeNames } from "./cause-names.server";

export interface DigestOutcome {
  weekStart: string;
  /** The digest was built by this run (false: an earlier run had stored it). */
  built: boolean;
  flow: "SENT" | "ALREADY_SENT" | "NOT_IN_USE";
  email: "SENT" | "ALREADY_SENT" | "OFF";
}

/**
 * The dashboard for the digest's week, in the Shopify admin (the app embedded), where each root
 * cause links to its incidents.
 */
export function digestDashboardUrl(shop: string, digest: Pick<Digest, "week">): string {
  const store = shop.replace(/\.myshopify\.com$/, "");
  const params = new URLSearchParams({ from: digest.week.start, to: digest.week.end });
  return `https://admin.shopify.com/store/${store}/apps/${env().SHOPIFY_API_KEY}/app?${params.toString()}`;
}

async function adminOrNull(shop: string): Promise<AdminClient | undefined> {
  try {
    return await backgroundAdmin(shop);
  } catch {
    return undefined;
  }
}

/** Build the week's digest from the shop's incidents and offers (product titles from Shopify when it answers; locations are kept by name). */
async function build(shop: string, week: DigestWeek, timeZone: string): Promise<Digest> {
  const incidents = await digestIncidents(shop, weekBefore(week, timeZone).from, week.to);
  const current = incidents.filter((i) => i.detectedAt >= week.from).map((i) => i.id);
  const offers = toOfferRecords(await digestOffers(shop, current));
  const ids = [...new Set(incidents.flatMap((i) => i.productIds))];
  const names = ids.length > 0 ? await causeNames(shop, ids, await adminOrNull(shop)) : {};
  return buildDigest({ week, timeZone, incidents, offers, names });
}

/** Send once through one channel: claim it, send, and give the claim back when the send failed for sure. */
async function once(
  shop: string,
  stored: StoredDigest,
  channel: "flowSentAt" | "emailSentAt",
  send: () => Promise<void>,
): Promise<"SENT" | "ALREADY_SENT"> {
  if (!(await claimDigestChannel(shop, stored.id, channel, clock().now()))) return "ALREADY_SENT";
  try {
    await send();
    return "SENT";
  } catch (error) {
    // AMBIGUOUS: Flow may have it; at most once keeps the claim.
    if (error instanceof AdminApiError && error.code === "AMBIGUOUS") return "SENT";
    await releaseDigestChannel(shop, stored.id, channel);
    throw error;
  }
}

/** The shop's digest of its last complete week: built once, sent once per channel. */
export async function weeklyDigest(shop: string): Promise<DigestOutcome> {
  const context = await shopContext(shop);
  const week = lastCompleteWeek(clock().now(), context.timeZone);
  let stored = await findDigest(shop, week.start);
  const built = stored === null;
  stored ??= await storeDigestOnce(shop, week.start, await build(shop, week, context.timeZone));
  const { digest } = stored;
  const url = digestDashboardUrl(shop, digest);

  // The claim on the row is the one gate for each channel (not the row as read above): two jobs
  // that both read it unsent cannot both send.
  let flow: DigestOutcome["flow"] = "NOT_IN_USE";
  if (await flowTriggerInUse(shop, DIGEST_READY_TRIGGER)) {
    const payload = triggerPayload(DIGEST_READY_TRIGGER, {
      Week: `${digest.week.start} to ${digest.week.end}`,
      Incidents: digest.incidentCount,
      "Top cause": topCauseLine(digest),
      "Process fix": digest.fix.sentence,
      "Recovery cost": Number(fromMinorUnits(digest.cost.faceValueIssuedMinor, context.currency)),
      Currency: context.currency,
      "Dashboard URL": url,
    });
    flow = await once(shop, stored, "flowSentAt", async () => {
      const admin = await backgroundAdmin(shop);
      await admin.run(flowTriggerReceive, { handle: DIGEST_READY_TRIGGER, payload });
    });
  }

  let email: DigestOutcome["email"] = "OFF";
  const settings = context.offers.email;
  const to = context.offers.digestEmailTo;
  if (settings?.enabled && to) {
    const message = digestText(digest, context.currency, url);
    email = await once(shop, stored, "emailSentAt", async () => {
      await sendEmail(shop, settings, { to, ...message });
    });
  }
  logger.info({ shop, week: week.start, built, flow, email }, "weekly digest");
  return { weekStart: week.start, built, flow, email };
}
