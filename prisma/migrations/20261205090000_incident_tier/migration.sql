-- AlterTable
ALTER TABLE "Incident" ADD COLUMN     "tier" "CustomerTier";

-- Backfill: the tier decided incidents and their offers were decided with, from the decision's
-- explanation ("Customer: VIP: $1,240 spent in 14 orders"), so nothing reads it from prose again.
UPDATE "Incident" AS i SET "tier" = found.tier::"CustomerTier"
FROM (
  SELECT id, (SELECT substring(line FROM '^Customer: (NEW|REGULAR|LOYAL|VIP):') FROM unnest(explanation) AS line
              WHERE line ~ '^Customer: (NEW|REGULAR|LOYAL|VIP):' LIMIT 1) AS tier
  FROM "Incident"
) AS found
WHERE found.id = i.id AND found.tier IS NOT NULL AND i."tier" IS NULL;

UPDATE "Offer" AS o SET "tier" = found.tier::"CustomerTier"
FROM (
  SELECT id, (SELECT substring(line FROM '^Customer: (NEW|REGULAR|LOYAL|VIP):') FROM unnest(explanation) AS line
              WHERE line ~ '^Customer: (NEW|REGULAR|LOYAL|VIP):' LIMIT 1) AS tier
  FROM "Offer"
) AS found
WHERE found.id = o.id AND found.tier IS NOT NULL AND o."tier" IS NULL;
