/**
 * Running a named Admin GraphQL operation and checking its answer. Top-level
 * `errors` and a response that does not match the expected shape become a
 * typed AdminApiError, so callers never read half-understood data.
 * (Throttling, retries and userErrors arrive with the issuing work.)
 */
import type { z } from "zod";

export interface GraphqlClient {
  graphql(query: string, options?: { variables?: Record<string, unknown> }): Promise<Response>;
}

export class AdminApiError extends Error {
  constructor(
    message: string,
    readonly code: "GRAPHQL_ERRORS" | "UNEXPECTED_SHAPE" | "HTTP",
    readonly status?: number,
  ) {
    super(message);
    this.name = "AdminApiError";
  }
}

export async function runOperation<S extends z.ZodType>(
  client: GraphqlClient,
  query: string,
  data: S,
  variables?: Record<string, unknown>,
): Promise<z.output<S>> {
  const response = await client.graphql(query, variables ? { variables } : undefined);
  if (!response.ok) throw new AdminApiError(`Admin API answered HTTP ${response.status}`, "HTTP", response.status);
  const body = (await response.json()) as { data?: unknown; errors?: Array<{ message: string }> };
  if (body.errors?.length) {
    throw new AdminApiError(body.errors.map((e) => e.message).join("; "), "GRAPHQL_ERRORS");
  }
  const parsed = data.safeParse(body.data);
  if (!parsed.success) throw new AdminApiError(`unexpected Admin API response: ${parsed.error.message}`, "UNEXPECTED_SHAPE");
  return parsed.data;
}
