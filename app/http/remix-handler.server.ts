/**
 * Remix behind Express, with the request body already read (request-bodies.server.ts) rather
 * than streamed from the socket: a route's `request.text()` or `formData()` then cannot fail
 * half-way because a client hung up. Otherwise as @remix-run/express's handler (which this replaces):
 * the URL from Host / X-Forwarded-Host, an AbortSignal that fires when the client goes away before
 * the answer, the answer streamed back.
 */
import type { IncomingHttpHeaders } from "node:http";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { createRequestHandler, type ServerBuild } from "@remix-run/node";
import type { NextFunction, Request as ExpressRequest, RequestHandler, Response as ExpressResponse } from "express";
import { bufferedBody } from "./request-bodies.server";
import { runInRequestContext } from "./request-context.server";

function fetchHeaders(incoming: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  }
  return headers;
}

/**
 * Write a Fetch response to Node's. The body is piped with backpressure (the next chunk is read only
 * once the socket takes the last one) and, when the client goes away, the body is cancelled: a
 * streamed download (the offers CSV pages through the database as it is read) stops there instead
 * of reading to the end into a closed socket, as Remix's own writer does.
 */
export async function sendResponse(res: ExpressResponse, response: Response): Promise<void> {
  res.statusMessage = response.statusText;
  res.status(response.status);
  for (const [name, value] of response.headers.entries()) res.append(name, value);
  if (/text\/event-stream/i.test(response.headers.get("Content-Type") ?? "")) res.flushHeaders();
  if (!response.body) {
    res.end();
    return;
  }
  try {
    await pipeline(Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>), res);
  } catch (error) {
    // The client hung up: nothing to answer, and the body has been cancelled.
    if ((error as NodeJS.ErrnoException).code === "ERR_STREAM_PREMATURE_CLOSE") return;
    throw error;
  }
}

function requestUrl(req: ExpressRequest): URL {
  // req.hostname drops the port (and respects "trust proxy"); take it from the host headers.
  const portOf = (value: string | undefined) => Number.parseInt(value?.split(":")[1] ?? "", 10);
  const forwardedPort = portOf(req.get("X-Forwarded-Host"));
  const hostPort = portOf(req.get("host"));
  const port = Number.isSafeInteger(forwardedPort)
    ? forwardedPort
    : Number.isSafeInteger(hostPort)
      ? hostPort
      : undefined;
  return new URL(`${req.protocol}://${req.hostname}${port ? `:${port}` : ""}${req.originalUrl}`);
}

function remixRequest(req: ExpressRequest, res: ExpressResponse): Request {
  const controller = new AbortController();
  let answered = false;
  res.on("finish", () => (answered = true));
  res.on("close", () => {
    if (!answered) controller.abort();
  });
  const body = bufferedBody(req);
  return new Request(requestUrl(req).href, {
    method: req.method,
    headers: fetchHeaders(req.headers),
    signal: controller.signal,
    // Only methods with a body have one read (GET, HEAD and OPTIONS never do).
    ...(body ? { body: new Uint8Array(body.buffer as ArrayBuffer, body.byteOffset, body.byteLength) } : {}),
  });
}

export function remixHandler(options: {
  build: ServerBuild | (() => Promise<ServerBuild>);
  mode: string;
}): RequestHandler {
  const handle = createRequestHandler(options.build, options.mode);
  return (req: ExpressRequest, res: ExpressResponse, next: NextFunction) => {
    runInRequestContext({ method: req.method, path: req.path }, async () => {
      let request: Request;
      try {
        request = remixRequest(req, res);
      } catch {
        // A Host header no URL can be made of.
        res.status(400).type("text/plain").send("bad request");
        return;
      }
      const response = await handle(request);
      await sendResponse(res, response);
    }).catch(next);
  };
}
