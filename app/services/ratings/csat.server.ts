/** The dashboard's CSAT card (decision 0117): the ratings of the incidents detected in the range. */
import { prisma } from "../../db.server";
import { csatFigures, type Csat } from "../../recovery/ratings/csat";
import { dayBucket } from "../../recovery/time/day-bucket";

export async function csatOfPeriod(shop: string, period: { from: Date; to: Date }, timeZone: string): Promise<Csat> {
  const ratings = await prisma.rating.findMany({
    where: { shop, incident: { shop, detectedAt: { gte: period.from, lt: period.to } } },
    select: {
      score: true,
      incident: {
        select: {
          type: true,
          holdout: true,
          occurredAt: true,
          offers: {
            where: { shop, issuedAt: { not: null } },
            select: { kind: true, issuedAt: true },
            orderBy: { issuedAt: "asc" },
            take: 1,
          },
        },
      },
    },
  });
  return csatFigures(
    ratings.map((r) => {
      const offer = r.incident.offers[0];
      return {
        score: r.score,
        incidentType: r.incident.type,
        holdout: r.incident.holdout,
        offerKind: offer?.kind ?? null,
        timeToOffer: offer?.issuedAt ? dayBucket(r.incident.occurredAt, offer.issuedAt, timeZone) : null,
      };
    }),
  );
}
