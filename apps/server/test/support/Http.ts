/**
 * A small HTTP client over node:http for the tests: full control of the Host header (portals are
 * chosen by host), a cookie jar per client (like one browser), raw bodies, no redirects followed.
 */
import { request as httpRequest } from "node:http"

export interface HttpResponse {
  readonly status: number
  readonly headers: Record<string, string | string[] | undefined>
  readonly body: Buffer
  readonly text: string
  /** Parsed JSON body, or undefined. */
  // biome-ignore lint/suspicious/noExplicitAny: test JSON is read loosely
  readonly json: any
  readonly setCookies: ReadonlyArray<string>
}

export interface RequestOptions {
  readonly method?: string
  readonly headers?: Record<string, string>
  readonly body?: string | Buffer
}

export class Client {
  readonly cookies = new Map<string, string>()
  constructor(
    readonly port: number,
    /** The Host header, e.g. "localhost" (acme) or "127.0.0.1" (sakura). */
    readonly host = "localhost",
  ) {}

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ")
  }

  async request(path: string, options: RequestOptions = {}): Promise<HttpResponse> {
    const headers: Record<string, string> = { host: `${this.host}:${this.port}`, ...(options.headers ?? {}) }
    if (this.cookies.size > 0 && headers.cookie === undefined) headers.cookie = this.cookieHeader()
    const response = await new Promise<HttpResponse>((resolve, reject) => {
      const req = httpRequest(
        { host: "127.0.0.1", port: this.port, path, method: options.method ?? "GET", headers },
        (res) => {
          const chunks: Buffer[] = []
          res.on("data", (c: Buffer) => chunks.push(c))
          res.on("end", () => {
            const body = Buffer.concat(chunks)
            const text = body.toString("utf8")
            let json: unknown
            try {
              json = JSON.parse(text)
            } catch {
              json = undefined
            }
            const raw = res.headers["set-cookie"]
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text, json, setCookies: raw ?? [] })
          })
        },
      )
      req.on("error", reject)
      if (options.body !== undefined) req.write(options.body)
      req.end()
    })
    for (const line of response.setCookies) {
      const [pair = ""] = line.split(";")
      const eq = pair.indexOf("=")
      const name = pair.slice(0, eq).trim()
      const value = pair.slice(eq + 1).trim()
      if (value === "" || /max-age=0/i.test(line)) this.cookies.delete(name)
      else this.cookies.set(name, value)
    }
    return response
  }

  /** A tRPC query (GET) with a JSON input. */
  query(path: string, input?: unknown, headers: Record<string, string> = {}) {
    const qs = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`
    return this.request(`/trpc/${path}${qs}`, { headers })
  }

  /** A tRPC mutation (POST, application/json). */
  mutate(path: string, input?: unknown, headers: Record<string, string> = {}) {
    return this.request(`/trpc/${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: input === undefined ? "" : JSON.stringify(input),
    })
  }

  async signIn(email: string, password: string, agent = false) {
    const res = await this.mutate(agent ? "auth.agentSignIn" : "auth.signIn", { email, password })
    if (res.status !== 200) throw new Error(`sign-in of ${email} failed: ${res.status} ${res.text}`)
    return res
  }
}

/** The data of a tRPC success. */
export const data = (res: HttpResponse) => res.json?.result?.data
/** The tRPC error of a failure. */
export const error = (res: HttpResponse) =>
  res.json?.error as
    | { message: string; code: number; data: { code: string; httpStatus: number; path?: string; [k: string]: unknown } }
    | undefined
