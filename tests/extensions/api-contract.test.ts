/**
 * The order page extensions read what the app's backend answers: its types must fit the
 * extensions' own view of the API (extensions/shared/recovery-api.ts and the action's view-model),
 * or this file does not compile and `npm test` fails at the typecheck.
 */
import { expect, test } from "vitest";
import type { OrderRecoveryStatus, MakeGoodResult, Suggestion } from "../../app/services/make-good.server";
import type {
  CreateResult,
  Suggestion as ActionSuggestion,
} from "../../extensions/order-recovery-action/src/view-model";
import type { RecoveryStatus } from "../../extensions/shared/recovery-api";

const statusFits = (answer: OrderRecoveryStatus): RecoveryStatus => answer;
const suggestionFits = (answer: Suggestion): ActionSuggestion => answer;
const resultFits = (answer: MakeGoodResult): CreateResult => answer;

test("the backend's answers are what the order page extensions read (checked by the compiler)", () => {
  expect([statusFits, suggestionFits, resultFits].every((fits) => typeof fits === "function")).toBe(true);
});
