/**
 * The public rating page (decision 0117): plain server-rendered HTML with no script, served by the
 * app (/rate/<token>) and through the storefront's app proxy (/apps/amends/rate/<token>). It works
 * without JavaScript, in any mail app's browser, and reads well with a screen reader: one heading,
 * the scores as a labelled radio group, one button, results announced in a status or alert region.
 */
import { SCORE_WORDS } from "../../recovery/ratings/follow-up-message";
import type { RatingPage, RecordOutcome } from "./ratings.server";

export type PageView =
  | (Extract<RatingPage, { kind: "READY" }> & { formAction: string; chosen: number | null; problem?: string })
  | Exclude<RatingPage, { kind: "READY" }>
  | RecordOutcome;

const escape = (value: string) =>
  value.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string,
  );

const scoreText = (score: number) => `${score} of 5 (${SCORE_WORDS[score - 1] ?? "?"})`;

function body(view: PageView): { title: string; html: string } {
  switch (view.kind) {
    case "READY": {
      const options = SCORE_WORDS.map((words, i) => {
        const score = i + 1;
        const id = `score-${score}`;
        return `<li><input type="radio" name="score" id="${id}" value="${score}"${view.chosen === score ? " checked" : ""} required>
<label for="${id}">${score} &ndash; ${escape(words)}</label></li>`;
      }).join("\n");
      return {
        title: "How did we do?",
        html: `<h1>How did we do?</h1>
<p>We put things right after a problem with your order ${escape(view.orderName)}. How do you feel about how we handled it?</p>
${view.problem ? `<p role="alert" class="problem">${escape(view.problem)}</p>` : ""}
<form method="post" action="${escape(view.formAction)}">
<fieldset>
<legend>Your rating, from 1 (very unhappy) to 5 (very happy)</legend>
<ul>
${options}
</ul>
</fieldset>
<button type="submit">Send my rating</button>
</form>
<p class="small">Your rating goes to the store only. This link works once.</p>`,
      };
    }
    case "RECORDED":
      return {
        title: "Thank you",
        html: `<h1>Thank you</h1>
<p role="status">We recorded your rating: ${scoreText(view.score)}.</p>
${view.low ? "<p>We are sorry we did not get this right. Someone from the store will get in touch with you.</p>" : ""}`,
      };
    case "USED":
      return {
        title: "Already rated",
        html: `<h1>Already rated</h1>
<p role="status">This link has already been used: we have your rating of ${scoreText(view.score)}. Thank you.</p>`,
      };
    case "EXPIRED":
      return {
        title: "This link has expired",
        html: `<h1>This link has expired</h1>
<p role="alert">Rating links work for 30 days after we send them. If you would like to tell the store something, reply to its email.</p>`,
      };
    case "INVALID":
      return {
        title: "This link is not valid",
        html: `<h1>This link is not valid</h1>
<p role="alert">We could not read this rating link. Please check that you opened the whole link from the email.</p>`,
      };
  }
}

const STYLE = `body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;line-height:1.5;color:#1a1a1a}
h1{font-size:1.5rem}fieldset{border:1px solid #ccc;border-radius:8px;padding:1rem}ul{list-style:none;padding:0;margin:0}
li{margin:.4rem 0}label{padding-left:.4rem}input[type=radio]{width:1.2rem;height:1.2rem;vertical-align:middle}
button{margin-top:1rem;font-size:1rem;padding:.6rem 1.2rem;border-radius:8px;border:0;background:#1a1a1a;color:#fff;cursor:pointer}
button:focus-visible,input:focus-visible{outline:3px solid #005bd3;outline-offset:2px}.problem{color:#8e1f0b;font-weight:600}.small{font-size:.875rem;color:#555}`;

export function renderRatingPage(view: PageView): string {
  const { title, html } = body(view);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex">
<title>${escape(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${html}
</main>
</body>
</html>`;
}

const STATUS: Record<PageView["kind"], number> = {
  READY: 200,
  RECORDED: 200,
  USED: 409,
  EXPIRED: 410,
  INVALID: 404,
};

/** The page as a response: never cached, never framed, no referrer (the link is a credential). */
export function ratingPageResponse(view: PageView, status = STATUS[view.kind]): Response {
  return new Response(renderRatingPage(view), {
    status,
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Cache-Control": "no-store",
      "Referrer-Policy": "no-referrer",
      "X-Robots-Tag": "noindex",
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy":
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    },
  });
}
