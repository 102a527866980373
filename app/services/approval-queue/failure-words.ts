/**
 * Why a make-good failed to issue, in words staff can act on. The stored error (Offer.lastError,
 * written by issuing.server.ts describeError, personal data already taken out) starts with the
 * Admin API client's code and the internal operation ("GRAPHQL_ERRORS: AmendsGiftCardCreate:
 * ACCESS_DENIED: Access denied...") or names the operation Shopify refused
 * ("AmendsGiftCardCreate was refused: CODE at field: message"); Amends's own
 * refusals ("out of stock: ...; restock it, then retry") are already words.
 */
import type { AdminApiErrorCode } from "../../shopify/admin-errors";

export const ADMIN_ERROR_WORDS: Record<AdminApiErrorCode, string> = {
  THROTTLED: "Shopify was too busy to answer",
  SERVER_ERROR: "Shopify had an internal error",
  TIMEOUT: "Shopify did not answer in time",
  NETWORK: "The connection to Shopify failed",
  GRAPHQL_ERRORS: "Shopify refused the request",
  UNEXPECTED_SHAPE: "Shopify answered in a form Amends did not expect",
  HTTP: "Shopify refused the request",
  INVALID_VARIABLES: "Amends built a request Shopify would refuse (a bug in Amends)",
  SEARCH_TERMS_IGNORED: "Shopify could not read a search Amends made (a bug in Amends)",
  AMBIGUOUS: "Shopify's answer was lost, so Amends cannot tell whether it was made",
};

const USER_ERRORS = /^[A-Za-z]+ was refused: (.*)$/s;
/** One userError as UserErrorsError writes it: "CODE at a.b: message". */
const USER_ERROR_CODE = /^[A-Z][A-Z0-9_]* at [\w.]+: |^[A-Z][A-Z0-9_]*: /;
const CLIENT_CODE = /^([A-Z][A-Z_]+): (.*)$/s;
/** The client names the operation ("AmendsGiftCardCreate: ...") and each GraphQL error's code. */
const OPERATION = /^[A-Z][A-Za-z]+: /;
const GRAPHQL_CODE = /^[A-Z][A-Z0-9_]*: /;

const withoutCodes = (messages: string) =>
  messages
    .replace(OPERATION, "")
    .split("; ")
    .map((m) => m.replace(GRAPHQL_CODE, ""))
    .join("; ");

const sentence = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

export function issueFailureInWords(lastError: string | null): string {
  const error = lastError?.trim();
  if (!error) return "No reason was recorded: open the incident for its history";
  const refused = USER_ERRORS.exec(error);
  if (refused?.[1]) {
    const messages = refused[1].split("; ").map((m) => m.replace(USER_ERROR_CODE, ""));
    return `Shopify refused it: ${messages.join("; ")}`;
  }
  const coded = CLIENT_CODE.exec(error);
  const code = coded?.[1];
  if (coded?.[2] && code && code in ADMIN_ERROR_WORDS)
    return `${ADMIN_ERROR_WORDS[code as AdminApiErrorCode]}: ${withoutCodes(coded[2])}`;
  return sentence(error);
}
