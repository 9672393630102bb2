/**
 * Issue 12, one process per embedded store: a process (server or CLI) that opens a PGlite data
 * folder holds `portal.lock` (its PID) until it closes it; a second process is refused with a
 * message naming the owner, and a lock left by a process that is gone is taken over.
 */
import { spawnSync } from "node:child_process"
import { existsSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { DataDirLocked, LOCK_FILE, lockDataDir } from "@portal/storage-postgres"
import { describe, expect, it } from "vitest"
import { cliWithDataDir } from "./support/Cli.ts"

const { dataDir, run } = cliWithDataDir("portal-lock-")
const lockPath = join(dataDir, LOCK_FILE)

describe("one process per embedded store (issue 12)", () => {
  it("a second process on the same PORTAL_DATA_DIR is refused, naming the owner; a stale lock is taken over", async () => {
    // This test process holds the folder (as a running server would).
    const release = lockDataDir(dataDir)
    const refused = await run(["migrate"])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(new RegExp(`in use by process ${process.pid}\\b`))
    expect(refused.stderr).toMatch(/only one process/)
    release()
    expect(existsSync(lockPath)).toBe(false)

    // A lock whose process is gone (kill -9, a crash) does not block.
    const gone = spawnSync(process.execPath, ["-e", ""]).pid
    writeFileSync(lockPath, `${gone}\n`)
    const migrated = await run(["migrate"])
    expect(migrated.code, migrated.stderr).toBe(0)
    expect(existsSync(lockPath), "released at exit").toBe(false)
  }, 300_000)

  it("in one process, the lock is shared and released by the last close", () => {
    const a = lockDataDir(dataDir)
    const b = lockDataDir(dataDir)
    a()
    expect(existsSync(lockPath)).toBe(true)
    b()
    expect(existsSync(lockPath)).toBe(false)
    writeFileSync(lockPath, "1\n") // PID 1 is alive (init)
    expect(() => lockDataDir(dataDir)).toThrow(DataDirLocked)
  })
})
