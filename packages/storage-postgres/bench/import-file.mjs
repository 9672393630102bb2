// `portal import FILE` as the CLI runs it (importFile: streamed, one transaction), from the
// built package (pnpm build; no TypeScript loader in the measured process), for
// docs/storage-postgres-bench.md:
//   DATABASE_URL=… /usr/bin/time -v node bench/import-file.mjs FILE   (no DATABASE_URL: PGLITE_DIR=…)
// The document must hold no plain passwords (the bench's has none): they would need argon2.
import { randomUUID } from "node:crypto"
import { IdGenerator, PasswordHasher } from "@portal/core/ports"
import { Effect, Layer } from "effect"
import { importFile } from "../dist/index.js"

const file = process.argv[2]
if (file === undefined) throw new Error("usage: node bench/import-file.mjs FILE")
const started = Date.now()
let shown = 0
const summary = await importFile(file, {
  ...(process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL } : { dataDir: process.env.PGLITE_DIR }),
  passwordHasher: Layer.succeed(PasswordHasher, {
    hash: () => Effect.die("the bench document holds no passwords"),
    verify: () => Effect.succeed(false),
  }),
  idGenerator: Layer.succeed(IdGenerator, { next: (prefix) => Effect.sync(() => `${prefix}-${randomUUID()}`) }),
  onProgress: ({ rows, bytesRead, fileBytes }) => {
    if (Date.now() - shown < 10_000) return
    shown = Date.now()
    const s = ((Date.now() - started) / 1000).toFixed(0)
    console.error(`${s} s: ${JSON.stringify(rows)} (${Math.floor((bytesRead / fileBytes) * 100)}% read)`)
  },
})
const seconds = (Date.now() - started) / 1000
const rows = summary.counts.tickets + summary.counts.threads + summary.counts.messages + summary.counts.contacts
console.error(
  `${JSON.stringify(summary)}\n${seconds.toFixed(1)} s, ${Math.round(rows / seconds)} rows/s (tickets + threads + messages + contacts)`,
)
