/**
 * The two errors everything that speaks Admin GraphQL throws. Each carries a
 * stable `code` and says whether trying again later can help (`retryable`).
 * `status` is the HTTP status when there was one, so app/queue/errors.ts's
 * isTerminal (which reads `.status`) stops on 401/403/404.
 */

export type AdminApiErrorCode =
  /** The leaky bucket stayed empty for longer than the client was willing to wait. */
  | "THROTTLED"
  /** HTTP 5xx, or a 200 whose errors say INTERNAL_SERVER_ERROR. */
  | "SERVER_ERROR"
  /** No answer within the client's timeout (the request may have reached Shopify). */
  | "TIMEOUT"
  /** The connection failed or the response was lost (the request may have reached Shopify). */
  | "NETWORK"
  /** Top-level GraphQL errors: a document the schema refuses, missing access, cost above the maximum. */
  | "GRAPHQL_ERRORS"
  /** Shopify answered, but not in the shape the operation's zod schema expects. */
  | "UNEXPECTED_SHAPE"
  /** Any other HTTP status (401, 403, 404, 400, ...). */
  | "HTTP"
  /** The caller's variables do not match the operation's schema: a bug, never sent. */
  | "INVALID_VARIABLES"
  /**
   * Shopify ignored or cut a term of a search `query` (extensions.search): the result may hold far
   * more than was asked for, so it is not used. A bug in how the query was built; never retried.
   */
  | "SEARCH_TERMS_IGNORED"
  /**
   * A mutation that is not idempotent failed after it may have reached Shopify
   * (network error, timeout, 500/502/504). It was not repeated: look the
   * effect up (e.g. the discount code) before trying again.
   */
  | "AMBIGUOUS";

export interface GraphqlErrorDetail {
  message: string;
  code?: string;
  path?: ReadonlyArray<string | number>;
}

export interface AdminApiErrorInit {
  message: string;
  code: AdminApiErrorCode;
  retryable: boolean;
  status?: number;
  operation?: string;
  /** For AMBIGUOUS: what went wrong underneath (TIMEOUT, NETWORK, SERVER_ERROR). */
  underlying?: AdminApiErrorCode;
  /** True when the operation's effect may have happened even though this error was thrown. */
  mayHaveApplied?: boolean;
  graphqlErrors?: GraphqlErrorDetail[];
  /** How many requests were made for this call before giving up. */
  attempts?: number;
  cause?: unknown;
}

export class AdminApiError extends Error {
  readonly code: AdminApiErrorCode;
  readonly retryable: boolean;
  readonly status: number | undefined;
  readonly operation: string | undefined;
  readonly underlying: AdminApiErrorCode | undefined;
  readonly mayHaveApplied: boolean;
  readonly graphqlErrors: GraphqlErrorDetail[];
  readonly attempts: number | undefined;

  constructor(init: AdminApiErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = "AdminApiError";
    this.code = init.code;
    this.retryable = init.retryable;
    this.status = init.status;
    this.operation = init.operation;
    this.underlying = init.underlying;
    this.mayHaveApplied = init.mayHaveApplied ?? init.code === "AMBIGUOUS";
    this.graphqlErrors = init.graphqlErrors ?? [];
    this.attempts = init.attempts;
  }
}

export interface ShopifyUserError {
  /** Path to the input field at fault, e.g. ["basicCodeDiscount", "code"]; null for the whole input. */
  field: string[] | null;
  /** Shopify's error code enum value (e.g. TAKEN, NEGATIVE_OR_ZERO_AMOUNT); null for payloads whose userErrors have no code. */
  code: string | null;
  message: string;
}

/**
 * Shopify refused a mutation's input (`userErrors` in an HTTP 200). Nothing
 * happened; repeating the same input will fail the same way, so the caller
 * records the offer as FAILED for a person to look at.
 */
export class UserErrorsError extends Error {
  readonly code = "USER_ERRORS" as const;
  readonly retryable = false;

  constructor(
    readonly operation: string,
    readonly userErrors: ShopifyUserError[],
  ) {
    super(
      `${operation} was refused: ${userErrors.map((e) => `${e.code ?? "ERROR"}${e.field ? ` at ${e.field.join(".")}` : ""}: ${e.message}`).join("; ")}`,
    );
    this.name = "UserErrorsError";
  }

  /** Whether Shopify reported this code (e.g. "TAKEN" for a duplicate discount code). */
  has(code: string): boolean {
    return this.userErrors.some((e) => e.code === code);
  }
}

/**
 * The mutation may have made what it was asked to (an ambiguous or lost answer), or says it
 * already exists (a code TAKEN): look it up before creating it again.
 */
export function mayHaveMade(error: unknown): boolean {
  if (error instanceof AdminApiError) return error.code === "AMBIGUOUS" || error.mayHaveApplied;
  return error instanceof UserErrorsError && error.userErrors.some((e) => e.code === "TAKEN");
}

/**
 * The transport could not get a usable access token, so nothing was sent to the Admin API.
 * REAUTH_REQUIRED: Shopify will not renew the shop's token (the shop is marked; only the merchant
 * opening Amends again restores access): not retryable. TOKEN_REFRESH_FAILED: the refresh request
 * itself failed (network, 5xx): retryable. AdminClient passes these through untouched: they are not
 * failures of the operation, which was never sent.
 */
export class AccessTokenError extends Error {
  readonly code: "REAUTH_REQUIRED" | "TOKEN_REFRESH_FAILED";
  readonly retryable: boolean;
  /** Nothing reached Shopify's Admin API. */
  readonly mayHaveApplied = false;

  constructor(init: { code: AccessTokenError["code"]; retryable: boolean; message: string; cause?: unknown }) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = "AccessTokenError";
    this.code = init.code;
    this.retryable = init.retryable;
  }
}
