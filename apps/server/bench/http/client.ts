/** The benchmark's HTTP client: node:http with a keep-alive agent, the body read in full. */
import { Agent, request } from "node:http"
import { BENCH_HOST, BENCH_PASSWORD, type BenchCustomer } from "../http-list-workspace.ts"

export const agent = new Agent({ keepAlive: true, maxSockets: 256 })

export interface Res {
  readonly status: number
  readonly body: Buffer
  readonly headers: Record<string, string | ReadonlyArray<string> | undefined>
}

export const send = (port: number, method: string, path: string, cookie: string, body?: string): Promise<Res> =>
  new Promise<Res>((resolve, reject) => {
    const headers: Record<string, string> = { host: `${BENCH_HOST}:${port}` }
    if (cookie !== "") headers.cookie = cookie
    if (body !== undefined) headers["content-type"] = "application/json"
    const req = request({ host: "127.0.0.1", port, path, method, headers, agent }, (res) => {
      const chunks: Array<Buffer> = []
      res.on("data", (c: Buffer) => chunks.push(c))
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), headers: res.headers }))
      res.on("error", reject)
    })
    req.on("error", reject)
    req.end(body)
  })

export const trpcPath = (procedure: string, input: unknown) =>
  `/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(input))}`

/** Signs a customer in over HTTP (`auth.signIn`): the `portal_session=…` cookie. */
export const signIn = async (port: number, who: BenchCustomer): Promise<string> => {
  const res = await send(
    port,
    "POST",
    "/trpc/auth.signIn",
    "",
    JSON.stringify({ email: who.email, password: BENCH_PASSWORD }),
  )
  const setCookie = res.headers["set-cookie"]
  const cookies = typeof setCookie === "string" ? [setCookie] : (setCookie ?? [])
  const cookie = cookies.map((c) => c.split(";")[0] ?? "").find((c) => c.startsWith("portal_session="))
  if (res.status !== 200 || cookie === undefined)
    throw new Error(`sign-in of ${who.email}: HTTP ${res.status} ${res.body.toString().slice(0, 200)}`)
  return cookie
}
