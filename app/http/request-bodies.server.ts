/**
 * Every request body is read here, in full, before any route sees it:
 *
 * - over the cap, declared (Content-Length) or counted while it streams in (chunked): 413 at once,
 *   nothing kept, the connection closed after a short lingering read (see refuse);
 * - a client that goes away mid-body (an aborted upload) is dropped quietly: no route runs, so no
 *   route can be left holding a body promise that rejects later;
 * - otherwise the body is kept on the request as a Buffer for the Remix adapter.
 *
 * Slow clients are the HTTP server's to cut off (headersTimeout and requestTimeout, see
 * httpServerOptions). The cap is MAX_REQUEST_BODY_BYTES.
 */
import type { IncomingMessage } from "node:http";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import { logger } from "../logger.server";

const BUFFERED = Symbol("amends.bufferedBody");

interface WithBody extends IncomingMessage {
  [BUFFERED]?: Buffer;
}

/** Methods whose bodies nothing reads: only their declared length is checked. */
const BODILESS = new Set(["GET", "HEAD", "OPTIONS"]);

/** The body read by `readRequestBodies`, or undefined for a GET/HEAD/OPTIONS request. */
export function bufferedBody(req: IncomingMessage): Buffer | undefined {
  return (req as WithBody)[BUFFERED];
}

function declaredLength(req: IncomingMessage): number | undefined {
  const header = req.headers["content-length"];
  if (header === undefined) return undefined;
  const length = Number(header);
  return Number.isSafeInteger(length) && length >= 0 ? length : Number.NaN;
}

/** How long a refused client may go on sending (discarded) before the connection is closed. */
const LINGER_MS = 2_000;

/**
 * Answer and close the connection without reading the rest of the body. Not with `Connection: close`:
 * Node would then close the socket as soon as the answer is written, and data the client is still
 * sending would make the kernel reset the connection, which can destroy the answer before the client
 * reads it. Instead the rest is read and thrown away for a moment (a lingering close, up to one more
 * body's worth), then the connection is closed.
 */
function refuse(req: Request, res: Response, status: 400 | 413, message: string, lingerBytes: number): void {
  logger.warn({ method: req.method, path: req.path, status }, "request refused before routing");
  if (res.headersSent) return;
  res.once("finish", () => {
    const socket = req.socket;
    const timer = setTimeout(() => socket.destroy(), LINGER_MS).unref();
    socket.once("close", () => clearTimeout(timer));
    let discarded = 0;
    req.on("data", (chunk: Buffer) => {
      discarded += chunk.length;
      if (discarded > lingerBytes) socket.destroy();
    });
    req.on("end", () => socket.destroy());
    req.resume();
  });
  res
    .status(status)
    .type("application/json")
    .send(JSON.stringify({ error: message }));
}

export function readRequestBodies(options: { maxBytes: number }): RequestHandler {
  const { maxBytes } = options;
  const tooLarge = `request body over the ${maxBytes}-byte limit`;
  return (req: Request, res: Response, next: NextFunction) => {
    const declared = declaredLength(req);
    if (Number.isNaN(declared)) return refuse(req, res, 400, "malformed Content-Length", maxBytes);
    if (declared !== undefined && declared > maxBytes) return refuse(req, res, 413, tooLarge, maxBytes);
    if (BODILESS.has(req.method)) return next();

    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const stop = () => {
      settled = true;
      req.off("data", onData);
      req.off("end", onEnd);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        stop();
        refuse(req, res, 413, tooLarge, maxBytes);
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      if (settled) return;
      stop();
      (req as WithBody)[BUFFERED] = Buffer.concat(chunks, size);
      next();
    };
    req.on("data", onData);
    req.on("end", onEnd);
    // A client that hangs up mid-body: there is no one to answer, and nothing was routed.
    req.on("error", (error) => {
      if (settled) return;
      stop();
      logger.debug({ method: req.method, path: req.path, err: error.message }, "request body not completed");
    });
    req.on("close", () => {
      if (settled || req.complete) return;
      stop();
      logger.debug({ method: req.method, path: req.path }, "client closed the connection mid-body");
    });
  };
}
