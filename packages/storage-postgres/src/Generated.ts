/**
 * What the adapter's generated code shares (RowDecoder.ts: the compiled row decoders; PgDriver.ts:
 * the row builders): a function made from source text, or none where Node refuses code generation
 * (`--disallow-code-generation-from-strings`; the callers then take their loop), and the
 * assignment that keeps "__proto__" an own property, as Schema and pg do.
 */

/** Whether `new Function` works here: unknown until first tried, then remembered. */
let codeGeneration: boolean | undefined

/** `new Function(...params, body)`, or undefined where code generation is refused. */
export const generatedFunction = (
  params: ReadonlyArray<string>,
  body: string,
): ((...args: Array<never>) => unknown) | undefined => {
  if (codeGeneration === false) return undefined
  try {
    const made = new Function(...params, body) as (...args: Array<never>) => unknown
    codeGeneration = true
    return made
  } catch (error) {
    if (codeGeneration === undefined && error instanceof EvalError) {
      codeGeneration = false
      return undefined
    }
    throw error
  }
}

/** SchemaAST.ts `assignProperty`: "__proto__" becomes an own property, never the prototype. */
export const assignOwn = (out: Record<PropertyKey, unknown>, key: PropertyKey, value: unknown): void => {
  if (key === "__proto__")
    Object.defineProperty(out, key, { value, writable: true, enumerable: true, configurable: true })
  else out[key] = value
}
