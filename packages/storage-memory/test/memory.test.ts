// The storage contract against the reference adapter: every suite, with a backdoor on the state.
import { all } from "@portal/storage-contract"
import { layerMemoryWith, makeMemoryDb, memoryBackdoor } from "../src/index.ts"

const db = makeMemoryDb()
all("memory", () => layerMemoryWith(db), { backdoor: memoryBackdoor(db) })
