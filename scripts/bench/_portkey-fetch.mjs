// Preloaded into Portkey's gateway (`node --import`) by the lanes benchmark. Why it is needed: on a stream Portkey
// hands the upstream's own fetch Response back to the client (`isResponseAlreadyMapped`) and then appends its
// x-portkey-* headers to it. On Node, `fetch` is undici's, and by the Fetch standard the headers of a fetched
// Response are immutable, so `headers.append` throws `TypeError: immutable` and every stream ends as a 500 ("Something
// went wrong"); unary answers work because Portkey builds a new Response for them. Re-wrapping each fetched Response
// in a constructed one (same status, headers and body stream, nothing buffered) gives it mutable headers.
const originalFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const fetched = await originalFetch(input, init);
  return new Response(fetched.body, { status: fetched.status, statusText: fetched.statusText, headers: fetched.headers });
};
