// `portal export WORKSPACE_ID --out FILE` as the CLI runs it (exportText: streamed, one
// REPEATABLE READ transaction), from the built package, for docs/storage-postgres-bench.md:
//   DATABASE_URL=… /usr/bin/time -v node bench/export-file.mjs WORKSPACE_ID FILE
import { createWriteStream } from "node:fs"
import { exportText } from "../dist/index.js"

const [workspaceId, file] = process.argv.slice(2)
if (workspaceId === undefined || file === undefined)
  throw new Error("usage: node bench/export-file.mjs WORKSPACE_ID FILE")
const started = Date.now()
const out = createWriteStream(file, { encoding: "utf8" })
const write = (text) => (out.write(text) ? Promise.resolve() : new Promise((resolve) => out.once("drain", resolve)))
await exportText(workspaceId, { databaseUrl: process.env.DATABASE_URL }, write)
await new Promise((resolve) => out.end(resolve))
console.error(`${out.bytesWritten} bytes in ${((Date.now() - started) / 1000).toFixed(1)} s`)
