// The storage contract on the PostgreSQL server (a fresh database for this file, dropped after).
// Skipped with a printed reason when no server is reachable at TEST_DATABASE_URL; fails under CI.
import { afterAll, describe } from "vitest"
import { contractOn } from "./support/Contract.ts"
import { sharedServer } from "./support/Databases.ts"
import { server } from "./support/Drivers.ts"

describe.skipIf(!server.ok)("storage contract on the PostgreSQL server", () => {
  const shared = sharedServer()
  afterAll(() => shared.release())
  contractOn("PostgreSQL server", shared)
})
