/**
 * `portal export` at scale: the document's text as `JSON.stringify(encoded, null, 2)` writes it,
 * byte for byte, produced a batch of records at a time, so the whole document never exists in
 * memory. The head (the document with its streamed sections empty) is encoded with the
 * document's schema, each record with its section's element schema (the same encoding).
 */
import { Schema } from "effect"
import { encodeWorkspaceDocument, WorkspaceDocument } from "../domain/WorkspaceDocument.ts"
import { isStreamedSection, STREAMED_SECTIONS, type StreamedRecord, type StreamedSection } from "./ImportChecks.ts"

const encoders = Object.fromEntries(
  STREAMED_SECTIONS.map((section) => [
    section,
    Schema.encodeSync(WorkspaceDocument.fields[section].value as Schema.Codec<unknown, unknown>),
  ]),
) as { readonly [S in StreamedSection]: (record: StreamedRecord<S>) => unknown }

/** `text` as a value nested `pad` deep: every line but the first indented. */
const nested = (value: unknown, pad: string) => JSON.stringify(value, null, 2).replace(/\n/g, `\n${pad}`)

/** The document's text (with its final newline), `head`'s streamed sections filled from `records`. */
export async function* documentText(
  head: WorkspaceDocument,
  records: <S extends StreamedSection>(section: S) => AsyncIterable<ReadonlyArray<StreamedRecord<S>>>,
): AsyncGenerator<string> {
  const encoded = encodeWorkspaceDocument(head) as Record<string, unknown>
  const keys = Object.keys(encoded)
  yield "{\n"
  for (const [n, key] of keys.entries()) {
    const prefix = `  ${JSON.stringify(key)}: `
    if (isStreamedSection(key)) {
      const encode = encoders[key] as (record: unknown) => unknown
      let first = true
      for await (const batch of records(key)) {
        let text = ""
        for (const record of batch) {
          text += `${first ? `${prefix}[\n` : ",\n"}    ${nested(encode(record), "    ")}`
          first = false
        }
        if (text !== "") yield text
      }
      yield first ? `${prefix}[]` : "\n  ]"
    } else yield `${prefix}${nested(encoded[key], "  ")}`
    yield n === keys.length - 1 ? "\n" : ",\n"
  }
  yield "}\n"
}
