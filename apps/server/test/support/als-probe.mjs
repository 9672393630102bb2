// Serves one page through a built SvelteKit handler (argv[2]: its handler.js) in a fresh process,
// then prints which symbols a new promise's async resource carries. A process where any
// AsyncLocalStorage has run tags every later async resource with its store symbol
// (Symbol(kResourceStore)): the promise hooks are on for good. pages-build.test.ts reads it.
import { executionAsyncResource } from "node:async_hooks"
import { createServer } from "node:http"
import { pathToFileURL } from "node:url"

const { handler } = await import(pathToFileURL(process.argv[2]).href)
const server = createServer((req, res) =>
  handler(req, res, () => {
    res.statusCode = 404
    res.end()
  }),
)
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve))
const res = await fetch(`http://127.0.0.1:${server.address().port}/no-such-page`)
const html = await res.text()
const symbols = await Promise.resolve().then(() => Object.getOwnPropertySymbols(executionAsyncResource()).map(String))
process.stdout.write(`${JSON.stringify({ status: res.status, sveltekit: html.includes("<!doctype html"), symbols })}\n`)
server.close()
