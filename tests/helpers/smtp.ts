/**
 * Local mail servers for tests, on loopback with a certificate for "localhost" and 127.0.0.1 from
 * the tests' own CA (tests/fixtures/smtp-tls; vitest.config.ts makes the app trust that CA and
 * allow loopback). STARTTLS is offered and a login is refused before it, as a real server would.
 */
import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { SMTPServer, type SMTPServerOptions } from "smtp-server";

const fixture = (name: string) => readFileSync(new URL(`../fixtures/smtp-tls/${name}`, import.meta.url));

/** Signed by the test CA the app is told to trust. */
export const TRUSTED_CERT = { key: fixture("localhost-key.pem"), cert: fixture("localhost.pem") };
/** Self-signed for the same names: no CA the app trusts vouches for it. */
export const UNTRUSTED_CERT = { key: fixture("untrusted-key.pem"), cert: fixture("untrusted.pem") };

export interface LocalSmtp {
  port: number;
  /** TCP connections the server accepted. */
  connections(): number;
  /** Errors the server reported (clients that went away mid-handshake). */
  errors: readonly Error[];
  close(): Promise<void>;
}

export async function startSmtpServer(options: SMTPServerOptions = {}): Promise<LocalSmtp> {
  let connections = 0;
  const { onConnect } = options;
  const smtp = new SMTPServer({
    ...TRUSTED_CERT,
    logger: false,
    ...options,
    onConnect(session, callback) {
      connections++;
      if (onConnect) onConnect(session, callback);
      else callback();
    },
  });
  // A client that drops the connection (a refused certificate) is an error event on the server, not a crash.
  const errors: Error[] = [];
  smtp.on("error", (error: Error) => errors.push(error));
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  return {
    port: (smtp.server.address() as AddressInfo).port,
    connections: () => connections,
    errors,
    close: () => new Promise<void>((resolve) => smtp.close(() => resolve())),
  };
}
