import { expect, test } from "vitest";
import { openSecret } from "../../secrets.server";
import {
  emailSettingsInputSchema,
  emailSettingsSchema,
  emailSettingsToStore,
  PASSWORD_AGAIN_MESSAGE,
  type EmailSettings,
  type EmailSettingsInput,
} from "./email.server";

const SHOP = "amends-email.myshopify.com";
const CONTEXT = `${SHOP}/offers.email.password`;

function input(overrides: Partial<EmailSettingsInput> = {}): EmailSettingsInput {
  return emailSettingsInputSchema.parse({
    enabled: true,
    host: "smtp.shop.example",
    port: 587,
    user: "care",
    from: "care@shop.example",
    ...overrides,
  });
}

function stored(password: string, overrides: Partial<EmailSettingsInput> = {}): EmailSettings {
  const result = emailSettingsToStore(SHOP, input({ ...overrides, password }), null);
  if (!result.ok) throw new Error(result.message);
  return result.settings;
}

test("a new password is stored sealed for the shop, never in plain text", () => {
  const result = emailSettingsToStore(SHOP, input({ password: "hunter2" }), null);
  expect(result.ok).toBe(true);
  if (!result.ok) return;
  expect(result.settings).not.toHaveProperty("password");
  expect(JSON.stringify(result.settings)).not.toContain("hunter2");
  expect(openSecret(result.settings.passwordSealed!, CONTEXT)).toBe("hunter2");
  // What is stored parses back as stored settings.
  expect(emailSettingsSchema.parse(result.settings)).toEqual(result.settings);
});

test.each([
  ["an empty password", ""],
  ["no password", undefined],
])("%s keeps the stored one for the same server, port, security and user", (_name, password) => {
  const existing = stored("hunter2");
  const result = emailSettingsToStore(
    SHOP,
    input({ password, from: "hello@shop.example", replyTo: "help@shop.example", enabled: false }),
    existing,
  );
  expect(result).toEqual({
    ok: true,
    settings: { ...existing, from: "hello@shop.example", replyTo: "help@shop.example", enabled: false },
  });
});

test("a new password replaces the stored one", () => {
  const result = emailSettingsToStore(SHOP, input({ password: "new-password" }), stored("hunter2"));
  if (!result.ok) throw new Error(result.message);
  expect(openSecret(result.settings.passwordSealed!, CONTEXT)).toBe("new-password");
});

test.each([
  ["the server", { host: "smtp.elsewhere.example" }],
  ["the port", { port: 2525 }],
  ["the security (TLS from the start)", { secure: true }],
  ["the user name", { user: "someone-else" }],
])("changing %s without a password asks for it again rather than sending the stored one there", (_name, change) => {
  expect(emailSettingsToStore(SHOP, input(change), stored("hunter2"))).toEqual({
    ok: false,
    field: "password",
    message: PASSWORD_AGAIN_MESSAGE,
  });
});

test("changing the security back and forth with the password typed again stores the new one", () => {
  const result = emailSettingsToStore(SHOP, input({ secure: true, port: 465, password: "again" }), stored("hunter2"));
  if (!result.ok) throw new Error(result.message);
  expect(result.settings).toMatchObject({ secure: true, port: 465 });
  expect(openSecret(result.settings.passwordSealed!, CONTEXT)).toBe("again");
});

test.each([
  ["no user name", undefined],
  ["an empty user name", ""],
])("with %s there is no password to keep", (_name, user) => {
  const result = emailSettingsToStore(SHOP, input({ user, password: "hunter2" }), stored("hunter2"));
  expect(result.ok).toBe(true);
  if (result.ok) expect(result.settings.passwordSealed).toBeUndefined();
});

test("a user with no password ever entered stores none", () => {
  const result = emailSettingsToStore(SHOP, input({ password: "" }), null);
  expect(result).toEqual({ ok: true, settings: input() });
});

test("a plain-text password left in stored settings is dropped when they are read", () => {
  const parsed = emailSettingsSchema.parse({ ...input(), password: "legacy-plain-text" });
  expect(parsed).not.toHaveProperty("password");
});
