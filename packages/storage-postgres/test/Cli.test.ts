/**
 * The CLI's functions (importFile, exportWorkspace, migrate) on a persisted PGlite data folder
 * and on a server database: a file is imported and read back by a later, separate open of the
 * store; an invalid file changes nothing and the error names the file's problem.
 */
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { InvalidDocument } from "@portal/core/domain"
import { WorkspaceNotFound } from "@portal/core/ports"
import { layerIdGeneratorTest, layerPasswordHasherTest } from "@portal/storage-memory"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { tableCounts } from "../src/Backdoor.ts"
import { exportWorkspace, importFile, migrate } from "../src/Cli.ts"
import { openDriver, type StorageOptions } from "../src/Layers.ts"
import { migrations } from "../src/Migrations.ts"
import { createTestDatabase, type TestDatabase } from "./support/Databases.ts"
import { server } from "./support/Drivers.ts"

const demoPath = new URL("../../../demo/sakura.ja.json", import.meta.url)
const files = mkdtempSync(join(tmpdir(), "portal-cli-files-"))
afterAll(() => rmSync(files, { recursive: true, force: true }))

const countsOf = async (options: StorageOptions) => {
  const driver = await openDriver(options)
  try {
    return await tableCounts(driver)
  } finally {
    await driver.close()
  }
}

const cliTests = (options: () => StorageOptions) => {
  it("migrate brings an empty store to the latest version, twice safely", async () => {
    const latest = Math.max(...migrations.map((m) => m.version))
    expect((await migrate(options())).version).toBe(latest)
    expect(await migrate(options())).toEqual({ applied: [], version: latest })
  })

  it("importFile stores the document; exportWorkspace reads it back from a new open", async () => {
    const path = join(files, "sakura.json")
    copyFileSync(demoPath, path)
    const summary = await importFile(path, {
      ...options(),
      passwordHasher: layerPasswordHasherTest,
      idGenerator: layerIdGeneratorTest,
    })
    expect(summary).toMatchObject({ workspaceId: "sakura", counts: { tickets: 10, threads: 7 } })
    const exported = (await exportWorkspace("sakura", options())) as {
      tickets: Array<unknown>
      contacts: Array<object>
    }
    expect(exported.tickets).toHaveLength(10)
    expect(exported.contacts.every((c) => !("password" in c))).toBe(true)
    await expect(exportWorkspace("nobody", options())).rejects.toBeInstanceOf(WorkspaceNotFound)
  })

  it("an invalid file changes nothing and the error says where it is wrong", async () => {
    const before = await countsOf(options())
    const wrong = join(files, "wrong.json")
    writeFileSync(
      wrong,
      JSON.stringify({ format: "portal-workspace/v1", workspace: { id: "sakura", name: "X" }, extra: 1 }),
    )
    const error = await importFile(wrong, {
      ...options(),
      passwordHasher: layerPasswordHasherTest,
      idGenerator: layerIdGeneratorTest,
    }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(InvalidDocument)
    expect((error as InvalidDocument).message).toMatch(/extra/)
    const broken = join(files, "broken.json")
    writeFileSync(broken, '{ "format": ')
    await expect(
      importFile(broken, { ...options(), passwordHasher: layerPasswordHasherTest, idGenerator: layerIdGeneratorTest }),
    ).rejects.toThrow(/broken\.json is not valid JSON/)
    expect(await countsOf(options())).toEqual(before)
  })
}

describe("CLI functions on a PGlite data folder", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "portal-cli-pglite-"))
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }))
  cliTests(() => ({ dataDir }))
})

describe.skipIf(!server.ok)("CLI functions on a PostgreSQL server", () => {
  let db: TestDatabase
  beforeAll(async () => {
    db = await createTestDatabase()
  })
  afterAll(() => db?.drop())
  cliTests(() => ({ databaseUrl: db.url }))
})
