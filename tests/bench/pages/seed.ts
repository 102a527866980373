/**
 * bench:pages' data: one shop with a year of orders and incidents (with their offers, events and grid
 * versions) and three other shops with a quarter as many each, written straight in SQL.
 */
export async function seedBenchShop(
  shop: string,
  options: { orders: number; incidents: number },
): Promise<Record<string, number>> {
  const { prisma } = await import("../../../app/db.server");
  const others = ["bench-other-1.myshopify.com", "bench-other-2.myshopify.com", "bench-other-3.myshopify.com"];
  const started = Date.now();
  // Ids are numeric, as Shopify's are (a GID with another id is refused by `nodes`): `base` keeps each
  // shop's apart.
  const orders = (target: string, count: number, base: number) =>
    prisma.$executeRawUnsafe(`
      INSERT INTO "OrderRecord" (id, shop, "orderGid", name, "customerGid", "createdAt", "sourceUpdatedAt", currency, "totalPrice", tags, "discountCodes", "lineItemCount", "updatedAt")
      SELECT gen_random_uuid(), '${target}', 'gid://shopify/Order/' || (${base} * 10000000 + n), '#B' || n, 'gid://shopify/Customer/' || (${base} * 10000000 + n % 20000),
        now() - (n % 365) * INTERVAL '1 day' - (n % 1440) * INTERVAL '1 minute', now(), 'USD', 20 + (n % 180), '{}', '{}', 1 + n % 4, now()
      FROM generate_series(1, ${count}) AS n`);
  const incidents = (target: string, count: number, base: number) =>
    prisma.$executeRawUnsafe(`
      INSERT INTO "Incident" (id, shop, "orderGid", "orderName", "customerGid", type, severity, state, "openSlot", measure, evidence, "rootCause", "occurredAt", "detectedAt", decision, holdout, explanation, summary, "updatedAt")
      SELECT gen_random_uuid(), '${target}', 'gid://shopify/Order/' || (${base} * 10000000 + n * 7), '#B' || (n * 7), 'gid://shopify/Customer/' || (${base} * 10000000 + n % 20000),
        (ARRAY['LATE_FULFILLMENT','DELIVERY_DELAY','DELIVERY_FAILURE','REFUND','MERCHANT_CANCELLATION']::"IncidentType"[])[1 + n % 5],
        (ARRAY['minor','moderate','major','critical']::"Severity"[])[1 + n % 4], 'CLOSED', NULL, '{}', '{}',
        jsonb_build_object('productIds', jsonb_build_array('gid://shopify/Product/' || (n % 40)), 'carriers', jsonb_build_array((ARRAY['UPS','FedEx','DHL','USPS'])[1 + n % 4]), 'locations', jsonb_build_array('Warehouse ' || (1 + n % 3))),
        now() - (n % 365) * INTERVAL '1 day' - INTERVAL '5 hours', now() - (n % 365) * INTERVAL '1 day' - INTERVAL '2 hours',
        CASE WHEN n % 10 = 0 THEN 'HOLDOUT' ELSE 'OFFER' END, n % 10 = 0, ARRAY['bench'], 'bench incident', now()
      FROM generate_series(1, ${count}) AS n`);
  await orders(shop, options.orders, 1);
  await incidents(shop, options.incidents, 1);
  for (const [i, other] of others.entries()) {
    await prisma.shop.upsert({ where: { shop: other }, create: { shop: other }, update: {} });
    await orders(other, Math.round(options.orders / 4), 2 + i);
    await incidents(other, Math.round(options.incidents / 4), 2 + i);
  }
  await prisma.$executeRawUnsafe(`
    INSERT INTO "Offer" (id, shop, "incidentId", "customerGid", kind, cell, "gridVersion", "faceValueMinor", currency, status, approval, explanation, summary, "issueKey",
      "createdAt", "issuedAt", "expiresAt", "redeemedAt", "discountUsedMinor", "wonBackAt", "wonBackOrderGid", "wonBackMinor", "updatedAt")
    SELECT gen_random_uuid(), i.shop, i.id, i."customerGid",
      CASE WHEN i.holdout THEN 'NONE' ELSE 'DISCOUNT_FIXED' END::"OfferKind", '{}', 1 + (h % 5), CASE WHEN i.holdout THEN 0 ELSE 1000 END, 'USD',
      CASE WHEN i.holdout THEN 'HOLDOUT' WHEN h % 3 = 0 THEN 'REDEEMED' WHEN h % 17 = 0 THEN 'PENDING_APPROVAL' ELSE 'ISSUED' END::"OfferStatus",
      'AUTO', ARRAY['bench'], 'bench offer', 'bench-' || i.id, i."detectedAt",
      CASE WHEN i.holdout OR h % 17 = 0 THEN NULL ELSE i."occurredAt" + (h % 60) * INTERVAL '1 hour' END,
      CASE WHEN i.holdout THEN NULL ELSE i."detectedAt" + INTERVAL '30 days' END,
      CASE WHEN NOT i.holdout AND h % 3 = 0 THEN i."detectedAt" + INTERVAL '5 days' END,
      CASE WHEN NOT i.holdout AND h % 3 = 0 THEN 1000 END,
      CASE WHEN h % 3 = 0 OR h % 7 = 0 THEN i."detectedAt" + INTERVAL '5 days' END,
      CASE WHEN h % 3 = 0 OR h % 7 = 0 THEN 'gid://shopify/Order/won-' || i.id END,
      CASE WHEN h % 3 = 0 OR h % 7 = 0 THEN 6000 END, now()
    FROM (SELECT *, abs(hashtext(shop || "orderGid")) AS h FROM "Incident" WHERE summary = 'bench incident') AS i`);
  await prisma.$executeRawUnsafe(`
    INSERT INTO "IncidentEvent" (id, shop, "incidentId", kind, at, data)
    SELECT gen_random_uuid(), i.shop, i.id, k, i."detectedAt", '{}' FROM "Incident" AS i, unnest(ARRAY['DETECTED','DECIDED','ISSUED']) AS k WHERE i.summary = 'bench incident'`);
  const { currentGrid } = await import("../../../app/models/grid.server");
  for (const s of [shop, ...others]) await currentGrid(s);
  await prisma.$executeRawUnsafe(`
    INSERT INTO "GridVersion" (shop, version, grid, "createdBy", "createdAt")
    SELECT s.shop, v, (SELECT grid FROM "GridVersion" WHERE shop = '${shop}' ORDER BY version LIMIT 1), 'bench', now() - (10 - v) * INTERVAL '30 days'
    FROM (VALUES ('${shop}'), ('${others.join("'), ('")}')) AS s(shop), generate_series(2, 5) AS v
    WHERE EXISTS (SELECT 1 FROM "GridVersion" WHERE shop = '${shop}')
    ON CONFLICT DO NOTHING`);
  await prisma.$executeRawUnsafe(`ANALYZE`);
  const counts = await prisma.$queryRawUnsafe<Array<{ t: string; n: bigint }>>(`
    SELECT 'OrderRecord' AS t, count(*) AS n FROM "OrderRecord" WHERE shop = '${shop}' UNION ALL
    SELECT 'Incident', count(*) FROM "Incident" WHERE shop = '${shop}' UNION ALL
    SELECT 'Offer', count(*) FROM "Offer" WHERE shop = '${shop}' UNION ALL
    SELECT 'IncidentEvent', count(*) FROM "IncidentEvent" WHERE shop = '${shop}' UNION ALL
    SELECT 'GridVersion', count(*) FROM "GridVersion" WHERE shop = '${shop}'`);
  const seeded = Object.fromEntries(counts.map((c) => [c.t, Number(c.n)]));
  console.log(`seeded ${JSON.stringify(seeded)} for ${shop} (+ 3 other shops) in ${Date.now() - started} ms`);
  return seeded;
}
