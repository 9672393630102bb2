/**
 * tRPC is patched (patches/@trpc__server@11.25.2.patch, applied by pnpm at install): its middleware
 * chain (`callRecursive`) copied the call's options, and the context at every middleware that
 * extends it, with Babel's property-by-property object-spread helper; it now uses Object.assign
 * (docs/http-bench.md, "Eighth session"). These tests check that the installed tRPC is the patched
 * one (an upgrade that drops the patch fails here) and that the chain still behaves as tRPC
 * documents it: each middleware's `ctx` is merged over the one before, a middleware that passes no
 * ctx leaves it as it was, `input` and `meta` reach every middleware, and a thrown error in a
 * middleware is the call's error.
 */
import { readdirSync, readFileSync } from "node:fs"
import { createRequire } from "node:module"
import { dirname, join } from "node:path"
import { initTRPC, TRPCError } from "@trpc/server"
import { describe, expect, it } from "vitest"

const distOfTrpc = (): string => {
  const require = createRequire(import.meta.url)
  return dirname(require.resolve("@trpc/server"))
}

/** The body of `callRecursive` in every built file of the installed tRPC that defines it. */
const callRecursiveBodies = (): ReadonlyArray<{ readonly file: string; readonly body: string }> => {
  const dist = distOfTrpc()
  return readdirSync(dist)
    .filter((f) => /\.(mjs|cjs|js)$/.test(f))
    .flatMap((f) => {
      const text = readFileSync(join(dist, f), "utf8")
      const start = text.indexOf("async function callRecursive(")
      if (start < 0) return []
      const end = text.indexOf("function createProcedureCaller", start)
      return [{ file: f, body: text.slice(start, end < 0 ? undefined : end) }]
    })
}

describe("the patched tRPC middleware chain", () => {
  it("is installed: callRecursive copies with Object.assign, in the ESM and the CommonJS build", () => {
    const bodies = callRecursiveBodies()
    expect(bodies.map((b) => b.file.split(".").pop()).sort()).toEqual(["cjs", "mjs"])
    for (const { file, body } of bodies) {
      expect(body, file).not.toContain("_objectSpread2")
      expect(body, file).toContain("Object.assign({}, opts.ctx, nextOpts.ctx)")
    }
  })

  interface Ctx {
    readonly base: string
    readonly shared: string
  }
  const t = initTRPC.context<Ctx>().meta<{ readonly name: string }>().create()
  const seen: Array<unknown> = []
  const withA = t.procedure.use(({ ctx, next, meta, input }) => {
    seen.push({ step: "a", ctx, meta, input })
    return next({ ctx: { a: 1, shared: "from a" } })
  })
  const passThrough = withA.use(({ ctx, next }) => {
    seen.push({ step: "pass", ctx })
    return next()
  })
  const withB = passThrough.use(({ next }) => next({ ctx: { b: 2 } }))
  const router = t.router({
    merged: withB
      .meta({ name: "merged" })
      .input((raw) => raw as { readonly n: number })
      .query(({ ctx, input }) => ({ ctx, input })),
    refused: withA
      .use(() => {
        throw new TRPCError({ code: "FORBIDDEN", message: "no" })
      })
      .query(() => "never"),
  })
  const caller = t.createCallerFactory(router)({ base: "base", shared: "from base" })

  it("merges each middleware's ctx over the one before; one without ctx keeps it; input and meta reach every middleware", async () => {
    seen.length = 0
    const result = await caller.merged({ n: 7 })
    expect(result).toEqual({ ctx: { base: "base", shared: "from a", a: 1, b: 2 }, input: { n: 7 } })
    expect(seen).toEqual([
      { step: "a", ctx: { base: "base", shared: "from base" }, meta: { name: "merged" }, input: undefined },
      { step: "pass", ctx: { base: "base", shared: "from a", a: 1 } },
    ])
  })

  it("a middleware's thrown error is the call's error", async () => {
    await expect(caller.refused()).rejects.toMatchObject({ code: "FORBIDDEN", message: "no" })
  })
})
