import { mintSessionToken } from "../../sandbox/session-token";
import { TEST_SECRET, TEST_SHOP } from "./webhooks";

export function sessionToken(
  options: { shop?: string; userId?: string; secret?: string; apiKey?: string } = {},
): string {
  return mintSessionToken({
    shop: options.shop ?? TEST_SHOP,
    apiKey: options.apiKey ?? "test-api-key",
    secret: options.secret ?? TEST_SECRET,
    userId: options.userId ?? "42",
  });
}
