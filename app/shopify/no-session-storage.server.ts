import type { Session } from "@shopify/shopify-api";
import type { SessionStorage } from "@shopify/shopify-app-session-storage";

/** A session storage that holds nothing: for webhook verification, which needs no session. */
export class NoSessionStorage implements SessionStorage {
  async loadSession(_id: string): Promise<Session | undefined> {
    return undefined;
  }

  async findSessionsByShop(_shop: string): Promise<Session[]> {
    return [];
  }

  async storeSession(_session: Session): Promise<boolean> {
    throw new Error("NoSessionStorage stores no sessions: use the app's Prisma session storage");
  }

  async deleteSession(_id: string): Promise<boolean> {
    return true;
  }

  async deleteSessions(_ids: string[]): Promise<boolean> {
    return true;
  }
}
