/**
 * The follow-up mail with its one-click rating (decision 0117): plain text, five links, one per
 * score. Each link opens the rating page with that score chosen; the customer confirms with one
 * button there (a mail scanner that opens every link records nothing).
 */
export const SCORE_WORDS = ["Very unhappy", "Unhappy", "Okay", "Happy", "Very happy"] as const;

export function followUpMessage(input: { firstName: string | null; orderName: string; scoreLinks: string[] }): {
  subject: string;
  body: string;
} {
  const greeting = input.firstName?.trim() ? `Hi ${input.firstName.trim()},` : "Hi,";
  const links = input.scoreLinks.map((link, i) => `${i + 1} - ${SCORE_WORDS[i]}: ${link}`).join("\n");
  return {
    subject: `How did we do with order ${input.orderName}?`,
    body: [
      greeting,
      "",
      `A few days ago we put things right after a problem with your order ${input.orderName}. How do you feel about how we handled it?`,
      "",
      "Choose one (it takes a second):",
      links,
      "",
      "The links are yours alone and work for 30 days. Thank you for telling us.",
    ].join("\n"),
  };
}
