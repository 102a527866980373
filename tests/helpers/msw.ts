import { setupServer } from "msw/node";

/** The one msw server; tests add handlers with mswServer.use(...). */
export const mswServer = setupServer();
