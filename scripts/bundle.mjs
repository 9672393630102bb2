#!/usr/bin/env node
// `pnpm bundle OUT_DIR`: the production bundle of the server (what the Dockerfile ships): the
// built JavaScript of every workspace package (run `pnpm build` first), the built portal pages if
// any, the demo documents, and their runtime dependencies installed with `pnpm install --prod
// --frozen-lockfile` (dev dependencies and the adapters' test suite left out: no tsx, no Vitest). It keeps the repository's
// layout, so `node apps/server/bin/portal.js <command>` runs in OUT_DIR as in the repository.
// `--offline` installs from the pnpm store only (the test suite, test/bundle.test.ts).
import { spawnSync } from "node:child_process"
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync } from "node:fs"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath } from "node:url"

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..")
const args = process.argv.slice(2)
const offline = args.includes("--offline")
const [outArg, ...extra] = args.filter((a) => a !== "--offline")
if (outArg === undefined || extra.length > 0) {
  process.stderr.write("Usage: pnpm bundle OUT_DIR [--offline]  (after pnpm build; OUT_DIR is replaced)\n")
  process.exit(2)
}
const out = resolve(outArg)
if (out === root) {
  process.stderr.write("pnpm bundle: OUT_DIR must not be the repository\n")
  process.exit(2)
}

const copy = (path) => {
  const from = join(root, path)
  if (existsSync(from)) cpSync(from, join(out, path), { recursive: true })
}

const missing = []
rmSync(out, { recursive: true, force: true })
mkdirSync(out, { recursive: true })
// patches/: the dependency patches pnpm-workspace.yaml names (the lockfile holds their hashes).
for (const file of ["package.json", "pnpm-lock.yaml", "pnpm-workspace.yaml", "patches"]) copy(file)
for (const group of ["packages", "apps"]) {
  for (const name of readdirSync(join(root, group))) {
    const dir = join(group, name)
    // storage-contract is the adapters' test suite (it depends on Vitest): never shipped.
    if (!existsSync(join(root, dir, "package.json")) || dir === join("packages", "storage-contract")) continue
    copy(join(dir, "package.json"))
    // Every workspace package is in the lockfile; only the built ones the server imports matter.
    if (group === "packages") {
      if (!existsSync(join(root, dir, "dist"))) missing.push(dir)
      copy(join(dir, "dist"))
    }
  }
}
if (!existsSync(join(root, "apps/server/dist/cli/Main.js"))) missing.push("apps/server")
if (missing.length > 0) {
  process.stderr.write(`pnpm bundle: not built: ${missing.join(", ")}; run \`pnpm build\` first\n`)
  process.exit(1)
}
copy("apps/server/bin")
copy("apps/server/dist")
copy("apps/portal/build")
for (const f of readdirSync(join(root, "demo"))) if (f.endsWith(".json")) copy(join("demo", f))

const install = spawnSync(
  "pnpm",
  ["install", "--prod", "--frozen-lockfile", "--ignore-scripts", ...(offline ? ["--offline"] : [])],
  { cwd: out, stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, COREPACK_ENABLE_DOWNLOAD_PROMPT: "0" } },
)
if (install.status !== 0) {
  process.stderr.write(`pnpm bundle: pnpm install --prod failed (${install.status ?? install.signal})\n`)
  process.exit(1)
}
process.stderr.write(`pnpm bundle: ${out} (run: node apps/server/bin/portal.js start)\n`)
