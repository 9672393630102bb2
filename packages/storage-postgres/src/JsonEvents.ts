/**
 * A workspace document read as a stream of JSON tokens (stream-json's tokenizer, called
 * synchronously on each chunk) and cut into what the streamed import needs: each top-level
 * key's whole value, except the arrays of the streamed sections (tickets, threads, …), whose
 * elements come one at a time. Only one record (or one small section) is ever held, so memory
 * does not grow with the document. Values are built as JSON.parse builds them (numbers as
 * Number, a `__proto__` key as an own property).
 */
import { isStreamedSection, type StreamedSection } from "@portal/core/usecases"
import { getManyValues, isMany, none } from "stream-chain/defs.js"
import { jsonParser } from "stream-json/core/parser.js"

export type DocumentEvent =
  | { readonly kind: "section"; readonly key: string; readonly value: unknown }
  | { readonly kind: "record"; readonly section: StreamedSection; readonly index: number; readonly value: unknown }
  | { readonly kind: "end"; readonly section: StreamedSection }

/** The tokenizer's errors (plain Errors) as SyntaxErrors. */
const syntax = <A>(f: () => A): A => {
  try {
    return f()
  } catch (error) {
    throw error instanceof SyntaxError ? error : new SyntaxError(error instanceof Error ? error.message : String(error))
  }
}

type Token = { readonly name: string; readonly value?: unknown }

/** Builds one JSON value from its tokens; `token` returns true once the value is complete. */
class ValueBuilder {
  private stack: Array<Record<string, unknown> | Array<unknown>> = []
  private keys: Array<string> = []
  value: unknown = undefined

  private add(v: unknown): boolean {
    const top = this.stack[this.stack.length - 1]
    if (top === undefined) {
      this.value = v
      return true
    }
    if (Array.isArray(top)) top.push(v)
    else {
      const key = this.keys[this.stack.length - 1] as string
      if (key === "__proto__")
        Object.defineProperty(top, key, { value: v, enumerable: true, writable: true, configurable: true })
      else top[key] = v
    }
    return false
  }

  token(t: Token): boolean {
    switch (t.name) {
      case "startObject":
        this.stack.push({})
        return false
      case "startArray":
        this.stack.push([])
        return false
      case "keyValue":
        this.keys[this.stack.length - 1] = t.value as string
        return false
      case "endObject":
      case "endArray":
        return this.add(this.stack.pop())
      case "numberValue":
        return this.add(Number(t.value))
      case "stringValue":
      case "nullValue":
      case "trueValue":
      case "falseValue":
        return this.add(t.value)
      default:
        return false
    }
  }
}

/** The document's tokens in, its events out (`emit`); throws a SyntaxError for what is not a document object. */
export class DocumentSplitter {
  private readonly parser = jsonParser({ packValues: true, streamValues: false })
  private depth = 0 // 0: before the document, 1: in its object, 2: in a streamed array, -1: after it
  private key: string | null = null
  private section: StreamedSection | null = null
  private index = 0
  private builder: ValueBuilder | null = null

  constructor(private readonly emit: (event: DocumentEvent) => void) {}

  /** A chunk of the document's text. */
  write(chunk: string): void {
    this.tokens(syntax(() => this.parser(chunk)))
  }

  /** The end of the text. */
  end(): void {
    this.tokens(syntax(() => this.parser(none as never)))
    if (this.depth !== -1) throw new SyntaxError("Unexpected end of the document")
  }

  private tokens(out: unknown) {
    if (out === none) return
    if (isMany(out)) for (const t of getManyValues(out) as Array<Token>) this.token(t)
    else this.token(out as Token)
  }

  private token(t: Token) {
    if (t.name === "whitespace") return
    if (this.builder !== null) {
      if (this.builder.token(t)) {
        const value = this.builder.value
        this.builder = null
        if (this.section !== null) this.emit({ kind: "record", section: this.section, index: this.index++, value })
        else this.emit({ kind: "section", key: this.key as string, value })
      }
      return
    }
    if (this.depth === 0) {
      if (t.name !== "startObject") throw new SyntaxError("The document is not a JSON object")
      this.depth = 1
    } else if (this.depth === 1) {
      if (t.name === "keyValue") this.key = t.value as string
      else if (t.name === "endObject") this.depth = -1
      else if (t.name === "startArray" && this.key !== null && isStreamedSection(this.key)) {
        this.section = this.key
        this.index = 0
        this.depth = 2
      } else this.startValue(t)
    } else if (this.depth === 2) {
      if (t.name === "endArray") {
        this.emit({ kind: "end", section: this.section as StreamedSection })
        this.section = null
        this.depth = 1
      } else this.startValue(t)
    } else throw new SyntaxError("Unexpected text after the document")
  }

  private startValue(t: Token) {
    const builder = new ValueBuilder()
    if (builder.token(t)) {
      if (this.section !== null)
        this.emit({ kind: "record", section: this.section, index: this.index++, value: builder.value })
      else this.emit({ kind: "section", key: this.key as string, value: builder.value })
    } else this.builder = builder
  }
}
