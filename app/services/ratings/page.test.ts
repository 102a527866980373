import { expect, test } from "vitest";
import { csatFigures } from "../../recovery/ratings/csat";
import { renderRatingPage } from "./page";

test("the page escapes what it shows: an order name cannot inject markup", () => {
  const html = renderRatingPage({
    kind: "READY",
    orderName: '#1<script>alert("x")</script>',
    formAction: '/rate/a"b',
    chosen: 3,
  });
  expect(html).not.toContain("<script>");
  expect(html).toContain("#1&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
  expect(html).toContain('action="/rate/a&quot;b"');
  expect(html).toMatch(/id="score-3" value="3" checked/);
  expect(html).toContain('<html lang="en">');
});

test("CSAT groups under five responses are marked small; held-out ratings stay out of the figures", () => {
  const row = (score: number, holdout = false) => ({
    score,
    incidentType: "REFUND" as const,
    holdout,
    offerKind: holdout ? null : ("STORE_CREDIT" as const),
    timeToOffer: holdout ? null : ("SAME_DAY" as const),
  });
  const four = csatFigures([row(5), row(4), row(1), row(3), row(2, true)]);
  expect(four.overall).toMatchObject({ responses: 4, average: 13 / 4, satisfiedShare: 0.5, small: true });
  expect(four.heldOut).toMatchObject({ responses: 1, average: 2, small: true });
  const five = csatFigures([row(5), row(4), row(1), row(3), row(5)]);
  expect(five.overall).toMatchObject({ responses: 5, average: 18 / 5, satisfiedShare: 0.6, small: false });
  expect(five.heldOut).toBeNull();
  expect(five.byOfferKind.map((g) => g.key)).toEqual(["STORE_CREDIT"]);
  expect(csatFigures([]).overall).toMatchObject({ responses: 0, average: null, satisfiedShare: null, small: true });
});
