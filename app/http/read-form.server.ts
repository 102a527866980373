/**
 * The form body of a page action. The admin's pages submit `application/x-www-form-urlencoded` or
 * `multipart/form-data`; anything else (a JSON body, a truncated multipart body, no body at all)
 * is the client's mistake and is answered 400 with a plain reason, never a 500 from `formData()`.
 */
export async function readForm(request: Request): Promise<FormData> {
  const type = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/x-www-form-urlencoded" && type !== "multipart/form-data") {
    throw new Response("Expected a form (application/x-www-form-urlencoded or multipart/form-data).", {
      status: 400,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
  try {
    return await request.formData();
  } catch {
    throw new Response("The form could not be read.", {
      status: 400,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
}
