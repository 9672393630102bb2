/**
 * `portal import` at scale (docs/storage-postgres.md, "Import at scale"): the CLI streams the
 * document, so its memory does not grow with the document's size. A 30,000-ticket generated
 * document (about 27 MB of JSON, 90,000 messages) is imported by the CLI in a child process
 * whose V8 heap is capped at 150 MB, on the
 * PostgreSQL server (PGlite without one), and the rows per table are reported on standard error.
 * Then `portal export` writes it back (streamed too) with the same heap. A 150 MB heap is also
 * what the whole-document path needed for this size (about 120 MB measured), and 80 MB is below
 * what the CLI needs at all (its modules through tsx): that memory stays flat at larger sizes
 * is shown by the 1,000,000-ticket figures (docs/storage-postgres-bench.md), not by this test.
 */
import { spawn } from "node:child_process"
import { mkdtempSync, rmSync, statSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { writeDocument } from "../../../packages/storage-postgres/bench/import.ts"
import { REPO_ROOT } from "../src/Config.ts"
import { BIN, type CliRun } from "./support/Cli.ts"
import { type FreshDatabase, freshDatabase } from "./support/Postgres.ts"

const TICKETS = 30_000
const files = mkdtempSync(join(tmpdir(), "portal-import-scale-"))
const file = join(files, "bench.json")
let database: FreshDatabase | null = null

beforeAll(async () => {
  database = await freshDatabase("import_scale")
  await writeDocument(file, TICKETS)
}, 60_000)
afterAll(async () => {
  await database?.drop()
  rmSync(files, { recursive: true, force: true })
})

const cli = (args: ReadonlyArray<string>, nodeOptions: ReadonlyArray<string> = []) =>
  new Promise<CliRun>((resolve) => {
    const env = {
      ...process.env,
      PORTAL_CLI_SOURCE: "1",
      DATABASE_URL: database?.url ?? "",
      PORTAL_DATA_DIR: join(files, "data"),
      LOG_LEVEL: "info",
      SMTP_URL: "",
    }
    const child = spawn(process.execPath, [...nodeOptions, BIN, ...args], { cwd: REPO_ROOT, env })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()))
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()))
    child.on("close", (code) => resolve({ code, stdout, stderr }))
  })

describe("portal import at scale", () => {
  it("imports a 30,000-ticket document with a 150 MB heap, reporting rows per table; exports it back", async () => {
    expect(statSync(file).size).toBeGreaterThan(25_000_000)
    const imported = await cli(["import", file], ["--max-old-space-size=150"])
    expect(imported.code, imported.stderr.slice(-2_000)).toBe(0)
    // Not a terminal: a line of rows per table (every 5 s, and at the end), no percent.
    expect(imported.stderr).toMatch(
      /portal import: companies 150, contacts 3000, tickets 30000, threads 30000, notes 3000, messages 90000/,
    )
    expect(imported.stderr).toMatch(/imported workspace bench/)

    const out = join(files, "out.json")
    const exported = await cli(["export", "bench", "--out", out], ["--max-old-space-size=150"])
    expect(exported.code, exported.stderr.slice(-2_000)).toBe(0)
    expect(statSync(out).size).toBeGreaterThan(statSync(file).size)
  }, 300_000)
})
