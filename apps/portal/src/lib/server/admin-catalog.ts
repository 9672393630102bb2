/**
 * The workspace catalog the settings screens offer as choices: domains, lists, pipelines with
 * their stages, inboxes and forms (with the API's P-FORM-2 eligibility).
 */
import type { AdminCatalog } from "$lib/admin/draft"
import type { Caller } from "./api.ts"

export const adminCatalog = async (caller: Caller): Promise<AdminCatalog> => {
  const [domains, lists, rest] = await Promise.all([
    caller.admin.domains.list(),
    caller.admin.accessGroups.lists(),
    caller.admin.catalog(),
  ])
  return { domains, lists, ...rest }
}
