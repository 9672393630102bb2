#!/usr/bin/env node
// `pnpm portal <command>`: runs the CLI from the TypeScript sources (tsx), no build needed.
// Logs go to standard error; `export` prints only the document on standard output.
import { register } from "node:module"
import { register as registerTsx } from "tsx/esm/api"

registerTsx()
register("./source-conditions.js", import.meta.url)

const { main } = await import("../src/cli/Main.ts")
const code = await main(process.argv.slice(2))
if (typeof code === "number") process.exitCode = code
