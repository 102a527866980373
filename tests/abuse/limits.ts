/** The server limits of a short abuse run (`npm test`, `npm run abuse -- --short`): slow-client attacks take seconds, not half a minute. */
export const SHORT_LIMITS = { HEADERS_TIMEOUT_MS: "1000", REQUEST_TIMEOUT_MS: "2000" };
