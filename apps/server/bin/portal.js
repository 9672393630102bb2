#!/usr/bin/env node
// `pnpm portal <command>`: runs the built CLI (dist/, made by `pnpm build`), so no TypeScript
// compiler is loaded at run time and a production install (no dev dependencies) works.
// PORTAL_CLI_SOURCE=1 runs the TypeScript sources through tsx instead (development and the test
// suite, which then needs no build; tsx is a dev dependency). Logs go to standard error; `export`
// prints only the document on standard output.
import { existsSync } from "node:fs"
import { fileURLToPath } from "node:url"

const built = new URL("../dist/cli/Main.js", import.meta.url)

/** The CLI's main: from dist/, or from the sources when asked. */
const load = async () => {
  if (process.env.PORTAL_CLI_SOURCE === "1") {
    const { register } = await import("node:module")
    const { register: registerTsx } = await import("tsx/esm/api")
    registerTsx()
    register("./source-conditions.js", import.meta.url)
    return import("../src/cli/Main.ts")
  }
  if (!existsSync(fileURLToPath(built))) {
    process.stderr.write(
      "portal: the server is not built (no apps/server/dist): run `pnpm build` first, or set PORTAL_CLI_SOURCE=1 to run the sources with tsx (development only)\n",
    )
    process.exit(1)
  }
  return import(built.href)
}

// Under `pnpm portal start` the package manager exits on SIGTERM without passing the signal on,
// and this process would be left behind, still listening. Started by a package manager script, it
// watches its parent: once the parent is gone it stops as if it had received SIGTERM itself.
if (process.env.npm_lifecycle_event !== undefined) {
  const parent = process.ppid
  const watch = setInterval(() => {
    if (process.ppid !== parent) {
      clearInterval(watch)
      process.kill(process.pid, "SIGTERM")
    }
  }, 500)
  watch.unref()
}

/**
 * `portal import` streams the document and keeps little (docs/storage-postgres.md, "Import at
 * scale"), but V8 lets an uncapped heap grow to several times what is live when a process
 * allocates as fast as an import does (1,000,000 tickets: 450 MB RSS for ~50 MB live). So the
 * import runs in a child process whose heap is capped at IMPORT_HEAP_MB (peak RSS under 300 MB,
 * docs/storage-postgres-bench.md), unless a heap size was given (`node --max-old-space-size=…`,
 * or in NODE_OPTIONS). Signals reach the child; its exit code is this process's.
 */
const IMPORT_HEAP_MB = 128
const heapGiven = () =>
  [...process.execArgv, ...(process.env.NODE_OPTIONS ?? "").split(/\s+/)].some((a) =>
    /^--max-(old-space|heap)-size(=|$)/.test(a),
  )

if (process.argv[2] === "import" && !heapGiven()) {
  const { spawn } = await import("node:child_process")
  const child = spawn(
    process.execPath,
    [
      ...process.execArgv,
      `--max-old-space-size=${IMPORT_HEAP_MB}`,
      fileURLToPath(import.meta.url),
      ...process.argv.slice(2),
    ],
    { stdio: "inherit" },
  )
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => child.kill(signal))
  child.on("exit", (code, signal) => {
    if (signal === "SIGABRT")
      // V8 aborts when the heap is full (it printed "JavaScript heap out of memory" just above).
      process.stderr.write(
        `portal import: stopped (${signal}); nothing was imported. If the heap ran out (a record with very large files?), give it more: NODE_OPTIONS=--max-old-space-size=2048 portal import …\n`,
      )
    if (signal !== null) {
      process.removeAllListeners(signal)
      process.kill(process.pid, signal)
    } else process.exit(code ?? 1)
  })
} else {
  const { main } = await load()
  const code = await main(process.argv.slice(2))
  if (typeof code === "number") process.exitCode = code
}
