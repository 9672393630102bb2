/**
 * Row decoding without the Schema interpreter on the hot path (issue 9). Every row is still
 * decoded by its Schema (DESIGN.md: rows decoded, not cast); this module compiles, once per row
 * schema, a plain-JavaScript decoder from the schema's AST that gives the same value as
 * `Schema.decodeUnknownSync` for a row it accepts, and that hands every other row to
 * `Schema.decodeUnknownSync` itself, so a row that does not decode fails with the schema's own
 * message. The interpreter costs about a microsecond per row in Effects, issues and closures even
 * when the row is good; the compiled decoder pays only the type tests and the schema's own checks.
 *
 * What the compiled decoder runs is what Effect 4.1's parser (SchemaAST.ts `getParser`,
 * internal/schema/interpreter.ts `compile`) runs, on the same nodes:
 * - String, Number, Boolean, BigInt, Symbol: a `typeof` test; Null, Undefined, Literal: `===`;
 *   Unknown, Any: the input;
 * - checks (filters, filter groups; brands are type-level only): every filter's own `run` on the
 *   node's output, with the default parse options; any issue fails the node;
 * - encodings whose every link is a Transformation with a pure `Transform` getter
 *   (NumberFromString, so `Column.Int8`): the encoded side decoded, the getter applied, the
 *   decoded side checked, link by link;
 * - structs (declared keys, tested with `in` as Schema does; an absent optional key stays absent;
 *   excess keys ignored; the output holds the declared keys in order), with index signatures on a
 *   plain string key (Record(String, X); keys failing the key's checks skipped, as Schema does);
 * - arrays (Schema.Array: no tuple elements, one rest type);
 * - anyOf unions: members tried in order, the first that accepts wins. Schema narrows the
 *   members by the input's runtime type and literal tags first, but only drops members that
 *   would refuse the input, so the first accepting member is the same.
 * A node outside that list (declarations such as Uint8Array, effectful or optional-aware
 * transformations such as fromJsonString, oneOf unions, tuples, template literals) is decoded by
 * Schema's own parser for that node, inside the compiled parent. A node that fails is "invalid"
 * (a union then tries its next member, as Schema does); anything else that is not plain success
 * (a check that throws, a Schema-decoded node that fails, an absent key whose node may decode
 * absence into a default) abandons the compiled decoder for the row, which Schema then decodes
 * from the start.
 */
import { Exit, Schema, SchemaAST } from "effect"
import { assignOwn, generatedFunction } from "./Generated.ts"

/** A node refused the input: exactly when Schema's parser for that node refuses it. */
const INVALID: unique symbol = Symbol("invalid")
/** The compiled decoder cannot tell: the whole row goes to Schema. */
class Abandon {}
const ABANDON = new Abandon()

type Decode = (input: unknown) => unknown

/** What `Schema.decodeUnknownSync` passes to every check when given no options (an empty object). */
const OPTIONS: SchemaAST.ParseOptions = Object.freeze({})

type Filter = SchemaAST.Filter<unknown>

const filtersOf = (checks: SchemaAST.Checks, into: Array<Filter> = []): Array<Filter> => {
  for (const check of checks) {
    if (check._tag === "FilterGroup") filtersOf(check.checks, into)
    else into.push(check)
  }
  return into
}

/** SchemaAST.ts `collectIssues`: a filter's result fails the value when truthy. */
const failed = (issue: unknown): boolean => Boolean(issue)

/** `decode` followed by the node's checks (run on the node's output, as the interpreter does). */
const withChecks = (ast: SchemaAST.AST, decode: Decode): Decode => {
  if (ast.checks === undefined) return decode
  const filters = filtersOf(ast.checks)
  return (input) => {
    const value = decode(input)
    if (value === INVALID) return INVALID
    // With the default options ("errors: first") the first issue fails the node; which one does
    // not matter here, since a refused row is decoded again by Schema for its message.
    for (let i = 0; i < filters.length; i++) if (failed((filters[i] as Filter).run(value, ast, OPTIONS))) return INVALID
    return value
  }
}

/** Schema's own parser for a node the compiler does not handle. */
const interpreted = (ast: SchemaAST.AST): Decode => {
  const decode = Schema.decodeUnknownExit(Schema.make<Schema.Decoder<unknown>>(ast))
  return (input) => {
    const exit = decode(input)
    if (Exit.isSuccess(exit)) return exit.value
    throw ABANDON
  }
}

// One function per type, so that each `typeof` compares with a constant.
const isString: Decode = (input) => (typeof input === "string" ? input : INVALID)
const isNumber: Decode = (input) => (typeof input === "number" ? input : INVALID)
const isBoolean: Decode = (input) => (typeof input === "boolean" ? input : INVALID)
const isBigInt: Decode = (input) => (typeof input === "bigint" ? input : INVALID)
const isSymbol: Decode = (input) => (typeof input === "symbol" ? input : INVALID)

const isOptional = (ast: SchemaAST.AST) => ast.context?.isOptional === true

/** Own decoders per node, so that a node shared by several rows (an id, IsoTime) compiles once. */
const compiled = new WeakMap<SchemaAST.AST, Decode>()

/**
 * Nodes whose parser may make a value out of an absent key (a decoding default: an optional-aware
 * transformation, on the node or down its encoding): Schema's parser for them, or a compiled node
 * whose encoding goes through one. A struct abandons the row when such a key is absent; every
 * other node gives nothing for nothing (absent stays absent, and fails unless optional).
 */
const absentUnsafe = new WeakSet<SchemaAST.AST>()

const compile = (ast: SchemaAST.AST): Decode => {
  let decode = compiled.get(ast)
  if (decode === undefined) {
    decode = compileNode(ast)
    if (decode === undefined) {
      decode = interpreted(ast)
      absentUnsafe.add(ast)
    }
    compiled.set(ast, decode)
  }
  return decode
}

/** The node's decoder, or undefined when Schema's parser must decode it. */
const compileNode = (ast: SchemaAST.AST): Decode | undefined => {
  if ("encodingChecks" in ast && ast.encodingChecks !== undefined) return undefined
  const local = compileLocal(ast)
  if (local === undefined) return undefined
  if (ast.encoding === undefined) return local
  const decode = compileEncoding(ast.encoding, local)
  if (decode !== undefined && ast.encoding.some((link) => absentUnsafe.has(link.to))) absentUnsafe.add(ast)
  return decode
}

/**
 * interpreter.ts: the last link's `to` decodes the input, then each link's getter runs and the
 * previous link's `to` decodes its result; the node itself (type test and checks) comes last.
 */
const compileEncoding = (links: SchemaAST.Encoding, local: Decode): Decode | undefined => {
  const steps: Array<{ readonly from: Decode; readonly transform: (value: unknown) => unknown }> = []
  for (let i = links.length - 1; i >= 0; i--) {
    const link = links[i] as SchemaAST.Link
    const transformation = link.transformation
    if (transformation._tag !== "Transformation" || transformation.decode._tag !== "Transform") return undefined
    const getter = transformation.decode as unknown as { readonly transform: (value: unknown) => unknown }
    steps.push({ from: compile(link.to), transform: getter.transform })
  }
  return (input) => {
    let value = input
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i] as (typeof steps)[number]
      value = step.from(value)
      if (value === INVALID) return INVALID
      value = step.transform(value)
    }
    return local(value)
  }
}

/** The node's own parser and checks, without its encoding. */
const compileLocal = (ast: SchemaAST.AST): Decode | undefined => {
  switch (ast._tag) {
    case "String":
      return withChecks(ast, isString)
    case "Number":
      return withChecks(ast, isNumber)
    case "Boolean":
      return withChecks(ast, isBoolean)
    case "BigInt":
      return withChecks(ast, isBigInt)
    case "Symbol":
      return withChecks(ast, isSymbol)
    case "Null":
      return withChecks(ast, (input) => (input === null ? input : INVALID))
    case "Undefined":
      return withChecks(ast, (input) => (input === undefined ? input : INVALID))
    case "Literal": {
      const literal = ast.literal
      return withChecks(ast, (input) => (input === literal ? input : INVALID))
    }
    case "Unknown":
    case "Any":
      return withChecks(ast, (input) => input)
    case "Arrays":
      return compileArray(ast)
    case "Objects":
      return compileObject(ast)
    case "Union":
      return compileUnion(ast)
    default:
      return undefined
  }
}

const compileArray = (ast: SchemaAST.Arrays): Decode | undefined => {
  if (ast.elements.length !== 0 || ast.rest.length !== 1) return undefined
  const item = compile(ast.rest[0] as SchemaAST.AST)
  return withChecks(ast, (input) => {
    if (!Array.isArray(input)) return INVALID
    const out = new Array<unknown>(input.length)
    for (let i = 0; i < input.length; i++) {
      const value = item(input[i])
      if (value === INVALID) return INVALID
      out[i] = value
    }
    return out
  })
}

const compileObject = (ast: SchemaAST.Objects): Decode | undefined => {
  // An empty struct returns its input itself in Schema; not worth a case of its own.
  if (ast.propertySignatures.length === 0 && ast.indexSignatures.length === 0) return undefined
  if (ast.indexSignatures.length > 1) return undefined
  const names = ast.propertySignatures.map((p) => p.name)
  const decoders = ast.propertySignatures.map((p) => compile(p.type))
  const optional = ast.propertySignatures.map((p) => isOptional(p.type))
  const absent = ast.propertySignatures.map((p) => absentUnsafe.has(p.type))
  const count = names.length

  let index: ((input: Record<PropertyKey, unknown>, out: Record<PropertyKey, unknown>) => boolean) | undefined
  const signature = ast.indexSignatures[0]
  if (signature !== undefined) {
    const parameter = signature.parameter
    // Keys as Schema finds them (getIndexSignatureKeys): a plain string key matches every own
    // enumerable string key; its checks, when it has some, skip the keys they refuse.
    if (parameter._tag !== "String" || parameter.encoding !== undefined) return undefined
    const keyAst = SchemaAST.toEncoded(parameter)
    const keyFilters = keyAst.checks === undefined ? [] : filtersOf(keyAst.checks)
    const value = compile(signature.type)
    const declared = new Set(names.map((name) => (typeof name === "number" ? String(name) : name)))
    index = (input, out) => {
      const keys = Object.keys(input)
      next: for (let k = 0; k < keys.length; k++) {
        const key = keys[k] as string
        for (let f = 0; f < keyFilters.length; f++) {
          if (failed((keyFilters[f] as Filter).run(key, keyAst, OPTIONS))) continue next
        }
        const decoded = value(input[key])
        if (decoded === INVALID) return false
        // A declared key's value is decoded by both and kept from the property signature.
        if (!declared.has(key)) assignOwn(out, key, decoded)
      }
      return true
    }
  }

  const types = ast.propertySignatures.map((p) => p.type)
  const generated = generateObject(types, names, decoders, optional, absent, index)
  if (generated !== undefined) return withChecks(ast, generated)
  return withChecks(ast, (input) => {
    if (typeof input !== "object" || input === null || Array.isArray(input)) return INVALID
    const record = input as Record<PropertyKey, unknown>
    const out: Record<PropertyKey, unknown> = {}
    for (let i = 0; i < count; i++) {
      const name = names[i] as PropertyKey
      if (name === "__proto__" ? Object.hasOwn(record, name) : name in record) {
        const value = (decoders[i] as Decode)(record[name])
        if (value === INVALID) return INVALID
        assignOwn(out, name, value)
      } else if (absent[i]) {
        throw ABANDON
      } else if (!optional[i]) {
        return INVALID
      }
    }
    if (index !== undefined && !index(record, out)) return INVALID
    return out
  })
}

/**
 * The struct loop above as straight-line code for one struct: each key a constant and each
 * field's decoder called from its own site, so the engine keeps every property access and call
 * monomorphic instead of one shared megamorphic loop (about 25 ns per column saved). A field that
 * is a plain leaf (`inlineTest`) is tested in place. The source holds only the schema's own key
 * names, as JSON string literals, and numbered constants; the values (decoders, literals, filters
 * and their nodes) come in as `C`. Symbol and "__proto__" keys keep the loop.
 */
const generateObject = (
  types: ReadonlyArray<SchemaAST.AST>,
  names: ReadonlyArray<PropertyKey>,
  decoders: ReadonlyArray<Decode>,
  optional: ReadonlyArray<boolean>,
  absent: ReadonlyArray<boolean>,
  index: ((input: Record<PropertyKey, unknown>, out: Record<PropertyKey, unknown>) => boolean) | undefined,
): Decode | undefined => {
  if (names.some((name) => typeof name === "symbol" || name === "__proto__")) return undefined
  const constants: Array<unknown> = []
  const constant = (value: unknown) => {
    const at = constants.indexOf(value)
    return `c${at === -1 ? constants.push(value) - 1 : at}`
  }
  const keys = names.map((name) => JSON.stringify(String(name)))
  const body = ['if(typeof i!=="object"||i===null||Array.isArray(i))return I']
  for (const [i, key] of keys.entries()) {
    const test = inlineTest(types[i] as SchemaAST.AST, `v${i}`, constant)
    const decode =
      test === undefined ? `v${i}=${constant(decoders[i])}(i[${key}]);if(v${i}===I)return I` : `v${i}=i[${key}];${test}`
    const ifAbsent = absent[i] ? `throw ${constant(ABANDON)}` : "return I"
    body.push(
      optional[i]
        ? `const h${i}=${key} in i;let v${i};if(h${i}){${decode}}${absent[i] ? `else ${ifAbsent}` : ""}`
        : `if(!(${key} in i))${ifAbsent};let ${decode}`,
    )
  }
  if (index === undefined && !optional.includes(true)) {
    body.push(`return {${keys.map((key, i) => `${key}:v${i}`).join(",")}}`)
  } else {
    body.push("const o={}")
    for (const [i, key] of keys.entries()) body.push(optional[i] ? `if(h${i})o[${key}]=v${i}` : `o[${key}]=v${i}`)
    if (index !== undefined) body.push(`if(!${constant(index)}(i,o))return I`)
    body.push("return o")
  }
  const source = [
    '"use strict"',
    ...constants.map((_, k) => `const c${k}=C[${k}]`),
    `return function(i){${body.join(";\n")}}`,
  ].join(";\n")
  const make = generatedFunction(["C", "I", "O"], source)
  return make === undefined ? undefined : (make as (...args: Array<unknown>) => Decode)(constants, INVALID, OPTIONS)
}

const isPlain = (ast: SchemaAST.AST) =>
  ast.encoding === undefined && !("encodingChecks" in ast && ast.encodingChecks !== undefined)

/** Without checks, encoding or encoding checks. */
const isBare = (ast: SchemaAST.AST) => isPlain(ast) && ast.checks === undefined

/**
 * Statements that `return I` unless `x` decodes as `ast`, for the leaves whose decoded value is
 * their input: a string, number or boolean with its filters; null; a literal; a union of bare
 * literals (and null); a union of a bare null and a leaf that refuses null itself (NullOr), so
 * that null can pass only through the Null member. Undefined for anything else (the generated
 * code then calls the node's decoder).
 */
const inlineTest = (ast: SchemaAST.AST, x: string, constant: (value: unknown) => string): string | undefined => {
  if (!isPlain(ast)) return undefined
  const filters = (ast.checks === undefined ? [] : filtersOf(ast.checks))
    .map((f) => `if(${constant(f)}.run(${x},${constant(ast)},O))return I`)
    .join(";")
  switch (ast._tag) {
    case "String":
    case "Number":
    case "Boolean":
      return `if(typeof ${x}!==${JSON.stringify(ast._tag.toLowerCase())})return I;${filters}`
    case "Null":
      return `if(${x}!==null)return I;${filters}`
    case "Literal":
      return `if(${x}!==${constant(ast.literal)})return I;${filters}`
    case "Union": {
      if (ast.checks !== undefined || ast.options?.mode === "oneOf" || ast.types.length === 0) return undefined
      if (ast.types.every((t) => isBare(t) && (t._tag === "Literal" || t._tag === "Null"))) {
        const values = ast.types.map((t) => (t._tag === "Literal" ? constant(t.literal) : "null"))
        return `if(${values.map((v) => `${x}!==${v}`).join("&&")})return I`
      }
      const [a, b] = ast.types
      if (ast.types.length !== 2 || a === undefined || b === undefined) return undefined
      const [nul, other] = a._tag === "Null" ? [a, b] : [b, a]
      const refusesNull =
        other._tag === "String" ||
        other._tag === "Number" ||
        other._tag === "Boolean" ||
        other._tag === "Literal" ||
        (other._tag === "Union" && other.types.every((t) => t._tag === "Literal"))
      if (nul._tag !== "Null" || !isBare(nul) || !refusesNull) return undefined
      const test = inlineTest(other, x, constant)
      return test === undefined ? undefined : `if(${x}!==null){${test}}`
    }
    default:
      return undefined
  }
}

const compileUnion = (ast: SchemaAST.Union): Decode | undefined => {
  if (ast.options?.mode === "oneOf") return undefined
  const members = ast.types.map(compile)
  return withChecks(ast, (input) => {
    for (let i = 0; i < members.length; i++) {
      const value = (members[i] as Decode)(input)
      if (value !== INVALID) return value
    }
    return INVALID
  })
}

/**
 * `Schema.decodeUnknownSync(Row)` with a compiled fast path: the same value for every row, the
 * same thrown error for every row that does not decode (Schema's own, since such a row is decoded
 * by Schema).
 */
export const compileRowDecoder = <A>(Row: Schema.Decoder<A>): ((row: unknown) => A) => {
  const full = Schema.decodeUnknownSync(Row) as (row: unknown) => A
  const fast = compileNode(Row.ast)
  if (fast === undefined) return full
  return (row) => {
    let value: unknown
    try {
      value = fast(row)
    } catch {
      // A check or getter that threw, or a node Schema refused inside the compiled decoder:
      // Schema decodes the row from the start and says what it says.
      return full(row)
    }
    return value === INVALID ? full(row) : (value as A)
  }
}

/**
 * The compiled decoder alone, for tests: the value, "invalid" (Schema refuses the row too) or
 * "abandoned" (left to Schema); undefined when the row schema itself is left to Schema.
 */
export const compiledPathOf = (
  Row: Schema.Decoder<unknown>,
): ((row: unknown) => { readonly value: unknown } | "invalid" | "abandoned") | undefined => {
  const fast = compileNode(Row.ast)
  if (fast === undefined) return undefined
  return (row) => {
    try {
      const value = fast(row)
      return value === INVALID ? "invalid" : { value }
    } catch {
      return "abandoned"
    }
  }
}
