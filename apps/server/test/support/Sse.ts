/**
 * A server-sent events reader for the tests: opens `GET path` with `Accept: text/event-stream`
 * (and the client's cookies), parses `id:`/`event:`/`data:` blocks as they arrive, and waits for
 * the one a predicate picks.
 */
import { type ClientRequest, type IncomingMessage, request } from "node:http"
import type { Client } from "./Http.ts"

export interface SseEvent {
  readonly id: string | null
  readonly event: string | null
  // biome-ignore lint/suspicious/noExplicitAny: test JSON is read loosely
  readonly data: any
}

export interface SseStream {
  readonly status: number
  readonly events: Array<SseEvent>
  readonly waitFor: (pick: (e: SseEvent) => boolean, timeoutMs?: number) => Promise<SseEvent>
  readonly close: () => void
}

export const openEvents = (
  client: Client,
  path = "/agent/events",
  headers: Record<string, string> = {},
): Promise<SseStream> =>
  new Promise((resolve, reject) => {
    const events: Array<SseEvent> = []
    const waiters: Array<() => void> = []
    let req: ClientRequest | null = null
    req = request(
      {
        host: "127.0.0.1",
        port: client.port,
        path,
        headers: {
          host: `${client.host}:${client.port}`,
          accept: "text/event-stream",
          ...(client.cookies.size > 0 ? { cookie: client.cookieHeader() } : {}),
          ...headers,
        },
      },
      (res: IncomingMessage) => {
        let buffer = ""
        res.setEncoding("utf8")
        res.on("data", (chunk: string) => {
          buffer += chunk
          let end = buffer.indexOf("\n\n")
          while (end >= 0) {
            const block = buffer.slice(0, end)
            buffer = buffer.slice(end + 2)
            end = buffer.indexOf("\n\n")
            let id: string | null = null
            let event: string | null = null
            const data: Array<string> = []
            for (const line of block.split("\n")) {
              if (line.startsWith("id: ")) id = line.slice(4)
              else if (line.startsWith("event: ")) event = line.slice(7)
              else if (line.startsWith("data: ")) data.push(line.slice(6))
            }
            if (data.length > 0) {
              const text = data.join("\n")
              let parsed: unknown = text
              try {
                parsed = JSON.parse(text)
              } catch {}
              events.push({ id, event, data: parsed })
              for (const w of waiters.splice(0)) w()
            }
          }
        })
        res.on("error", () => {})
        resolve({
          status: res.statusCode ?? 0,
          events,
          waitFor: (pick, timeoutMs = 15_000) =>
            new Promise<SseEvent>((ok, fail) => {
              const timer = setTimeout(
                () => fail(new Error(`no such event in ${timeoutMs} ms; got ${JSON.stringify(events)}`)),
                timeoutMs,
              )
              const check = () => {
                const found = events.find(pick)
                if (found !== undefined) {
                  clearTimeout(timer)
                  ok(found)
                } else waiters.push(check)
              }
              check()
            }),
          close: () => {
            req?.destroy()
            res.destroy()
          },
        })
      },
    )
    req.on("error", reject)
    req.end()
  })
