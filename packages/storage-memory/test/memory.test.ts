// The storage contract against the reference adapter: every suite, with a backdoor on the state.
import { type ApiTokenBackdoor, all } from "@portal/storage-contract"
import { apiTokenRows, layerMemoryWith, makeMemoryDb, memoryBackdoor } from "../src/index.ts"

const db = makeMemoryDb()
const backdoor: ApiTokenBackdoor = {
  ...memoryBackdoor(db),
  apiTokenRows: async (workspaceId) =>
    apiTokenRows(db).flatMap((r) => (r.workspaceId === workspaceId ? [{ ...r }] : [])),
}
all("memory", () => layerMemoryWith(db), { backdoor })
