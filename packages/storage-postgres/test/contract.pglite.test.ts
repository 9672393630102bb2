// The storage contract on embedded PGlite (in memory; one database for the whole file).
import { afterAll } from "vitest"
import { contractOn } from "./support/Contract.ts"
import { sharedPglite } from "./support/Databases.ts"

const shared = sharedPglite()
afterAll(() => shared.release())
contractOn("PGlite", shared)
