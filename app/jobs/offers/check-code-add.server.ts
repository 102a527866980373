import { prisma } from "../../db.server";
import { isUninstalled } from "../../models/shop.server";
import { checkCodeAdd, giveUpCodeAdd } from "../../services/issuing/code-add-check.server";
import { defineTask } from "../define-task.server";
import { ShopUninstalledError } from "../../queue/errors";

/** Read back a group discount's asynchronous code add and record its offers (decision 0029). */
export const checkCodeAddTask = defineTask("check-code-add", {
  async run(check, { log }) {
    if (await isUninstalled(prisma, check.shop)) throw new ShopUninstalledError(check.shop);
    const result = await checkCodeAdd(check);
    log.info({ ...result, bulkCreationGid: check.bulkCreationGid, poll: check.poll }, "code add checked");
  },
  async onFailure(check, error, final) {
    // Nothing will read this add back any more: its offers are issued again (looked up first),
    // unless the shop uninstalled Amends (nothing can be issued there).
    if (final && !(error instanceof ShopUninstalledError)) await giveUpCodeAdd(check);
  },
});
