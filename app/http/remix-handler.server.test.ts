/**
 * How a Fetch response is written to Node's: whole bodies arrive whole, and a streamed body stops
 * being read (and is cancelled) when the client goes away, instead of being read to its end.
 */
import express from "express";
import { http, passthrough } from "msw";
import { request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, expect, test } from "vitest";
import { mswServer } from "../../tests/helpers/msw";
import { sendResponse } from "./remix-handler.server";

let server: Server | undefined;

afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function serve(respond: () => Response): Promise<{ url: string; failures: unknown[] }> {
  const failures: unknown[] = [];
  const app = express();
  app.get("/", (_req, res) => {
    sendResponse(res, respond()).catch((error: unknown) => failures.push(error));
  });
  server = app.listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => server!.once("listening", () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  // Real HTTP to this server (msw would refuse an unhandled request).
  mswServer.use(http.all(`${url}*`, () => passthrough()));
  return { url, failures };
}

/** An endless export: every pull is one more page (64 KiB) from the database; counts pulls and a cancel. */
function endlessBody() {
  const state = { pulls: 0, cancelled: false, chunkBytes: 64 * 1024 };
  const chunk = new Uint8Array(state.chunkBytes).fill(65);
  return Object.assign(state, {
    response: () =>
      new Response(
        new ReadableStream<Uint8Array>({
          async pull(controller) {
            // One page at a time, as from the database (and leaving the event loop to others).
            await new Promise((resolve) => setImmediate(resolve));
            state.pulls += 1;
            controller.enqueue(chunk);
          },
          cancel() {
            state.cancelled = true;
          },
        }),
      ),
  });
}

test("a body is written whole, with the status and headers", async () => {
  const { url } = await serve(() => new Response("a,b\n1,2\n", { status: 201, headers: { "x-kind": "csv" } }));
  const answer = await fetch(url);
  expect(answer.status).toBe(201);
  expect(answer.headers.get("x-kind")).toBe("csv");
  expect(await answer.text()).toBe("a,b\n1,2\n");
});

test("a client that hangs up mid-download cancels the body: no more pages are read", async () => {
  const body = endlessBody();
  const { url, failures } = await serve(body.response);
  await new Promise<void>((resolve, reject) => {
    const req = httpRequest(url, (res) => {
      res.once("data", () => {
        req.destroy();
        resolve();
      });
    });
    req.on("error", () => {});
    req.once("error", reject);
    req.end();
  });
  await expect.poll(() => body.cancelled, { timeout: 10_000 }).toBe(true);
  const pullsAtCancel = body.pulls;
  // Whatever happens next, the body is not read any further, and the hang-up is not an error.
  await new Promise((resolve) => setImmediate(resolve));
  expect(body.pulls).toBe(pullsAtCancel);
  expect(failures).toEqual([]);
});

test("a client that reads slowly is not sent more than the socket takes", async () => {
  const body = endlessBody();
  const { url } = await serve(body.response);
  // The client takes the first chunk, then stops reading for a while: the server must stop too.
  let paused!: () => void;
  const pausedNow = new Promise<void>((resolve) => (paused = resolve));
  const req = httpRequest(url, (res) => {
    res.once("data", () => {
      res.pause();
      paused();
    });
  });
  req.on("error", () => {});
  req.end();
  await pausedNow;
  // Fill both sides' socket buffers, then check that reading stopped well short of 64 MiB.
  await expect.poll(() => body.pulls, { timeout: 10_000 }).toBeGreaterThan(1);
  const settled = async () => {
    const before = body.pulls;
    await new Promise((resolve) => setTimeout(resolve, 200));
    return body.pulls === before;
  };
  await expect.poll(settled, { timeout: 10_000 }).toBe(true);
  expect(body.pulls * body.chunkBytes).toBeLessThan(64 * 1024 * 1024);
  req.destroy();
});
