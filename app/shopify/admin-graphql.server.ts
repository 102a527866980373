/**
 * The simplest way to run one document: one request, no retries, top-level
 * `errors` and an unexpected shape become a typed AdminApiError. Used where a
 * request is already inside an interactive flow (install's afterAuth). Work
 * that must survive throttling and transient failures uses AdminClient
 * (admin-client.server.ts) with an operation from ./operations.
 */
import type { z } from "zod";
import { AdminApiError } from "./admin-errors";

export { AdminApiError, UserErrorsError } from "./admin-errors";

export interface GraphqlClient {
  graphql(query: string, options?: { variables?: Record<string, unknown> }): Promise<Response>;
}

export async function runOperation<S extends z.ZodType>(
  client: GraphqlClient,
  query: string,
  data: S,
  variables?: Record<string, unknown>,
): Promise<z.output<S>> {
  const response = await client.graphql(query, variables ? { variables } : undefined);
  if (!response.ok) {
    throw new AdminApiError({
      message: `Admin API answered HTTP ${response.status}`,
      code: "HTTP",
      status: response.status,
      retryable: response.status >= 500 || response.status === 429,
    });
  }
  const body = (await response.json()) as { data?: unknown; errors?: Array<{ message: string }> };
  if (body.errors?.length) {
    throw new AdminApiError({
      message: body.errors.map((e) => e.message).join("; "),
      code: "GRAPHQL_ERRORS",
      retryable: false,
      graphqlErrors: body.errors.map((e) => ({ message: e.message })),
    });
  }
  const parsed = data.safeParse(body.data);
  if (!parsed.success)
    throw new AdminApiError({
      message: `unexpected Admin API response: ${parsed.error.message}`,
      code: "UNEXPECTED_SHAPE",
      retryable: false,
    });
  return parsed.data;
}
