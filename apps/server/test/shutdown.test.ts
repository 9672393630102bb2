/**
 * Issue 12, graceful shutdown, on a real `portal start` child process: on SIGTERM the server
 * stops listening (a new connection is refused), a connection already open gets `/readyz` 503,
 * an upload in flight (a reply with an attachment, its body still arriving) finishes and is
 * stored, and the process exits 0 with the store closed cleanly (the CLI then reads the reply).
 */
import { spawn } from "node:child_process"
import { request } from "node:http"
import { connect } from "node:net"
import { setTimeout as sleep } from "node:timers/promises"
import { describe, expect, it } from "vitest"
import { REPO_ROOT } from "../src/Config.ts"
import { cliWithDataDir, startPortal } from "./support/Cli.ts"
import { Client } from "./support/Http.ts"
import { CUSTOMER_PASSWORD } from "./support/World.ts"

const { env, run } = cliWithDataDir("portal-shutdown-")

/** Resolves with everything a raw socket received once it closes. */
const rawResponse = (socket: ReturnType<typeof connect>) =>
  new Promise<string>((resolve) => {
    let text = ""
    socket.on("data", (c: Buffer) => (text += c.toString()))
    socket.on("close", () => resolve(text))
  })

describe("graceful shutdown (issue 12)", () => {
  it("SIGTERM: readyz 503, new connections refused, the upload in flight finishes and is stored, exit 0", async () => {
    const portal = await startPortal({ ...env, PORTAL_SHUTDOWN_GRACE_SECONDS: "60" }, ["--demo"])
    const ken = new Client(portal.port, "localhost")
    await ken.signIn("ken@globex.test", CUSTOMER_PASSWORD)

    // A connection that has started a request (headers not complete) when the signal comes.
    const probe = connect(portal.port, "127.0.0.1")
    await new Promise((resolve) => probe.once("connect", resolve))
    const probeResponse = rawResponse(probe)
    probe.write("GET /readyz HTTP/1.1\r\nHost: localhost\r\n")

    // An upload whose body is half sent when the signal comes.
    const file = Buffer.alloc(256 * 1024, 7)
    const body = Buffer.from(
      JSON.stringify({
        ticketId: "t2",
        text: "Sent while the server was stopping",
        attachments: [
          { name: "late.bin", contentType: "application/octet-stream", dataBase64: file.toString("base64") },
        ],
        idempotencyKey: "shutdown-upload-1",
      }),
    )
    let uploadRequest: ReturnType<typeof request> | undefined
    const upload = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(
        {
          host: "127.0.0.1",
          port: portal.port,
          method: "POST",
          path: "/trpc/tickets.reply",
          headers: {
            host: `localhost:${portal.port}`,
            cookie: ken.cookieHeader(),
            "content-type": "application/json",
            "content-length": String(body.length),
          },
        },
        (res) => {
          let text = ""
          res.on("data", (c: Buffer) => (text += c.toString()))
          res.on("end", () => resolve({ status: res.statusCode ?? 0, text }))
        },
      )
      req.on("error", reject)
      req.write(body.subarray(0, body.length / 2))
      uploadRequest = req
    })
    await sleep(300)

    const exited = portal.stop() // SIGTERM
    await sleep(1500)
    // New connections are refused.
    await expect(fetch(`http://127.0.0.1:${portal.port}/healthz`)).rejects.toThrow()
    // The open connection's request finishes: 503, and the connection is closed after it.
    probe.write("\r\n")
    const readyz = await probeResponse
    expect(readyz).toMatch(/^HTTP\/1\.1 503/)
    expect(readyz).toMatch(/"status":"stopping"/)
    expect(readyz.toLowerCase()).toMatch(/connection: close/)
    // The rest of the upload arrives; the reply is stored and acknowledged.
    uploadRequest?.end(body.subarray(body.length / 2))
    const reply = await upload
    expect(reply.status, reply.text).toBe(200)
    const messageId = JSON.parse(reply.text).result.data.messageId as string
    expect(await exited, portal.output()).toBe(0)
    expect(portal.output()).toMatch(/"msg":"stopped"/)

    // The store was closed cleanly and holds the acknowledged reply.
    const exported = await run(["export", "acme"])
    expect(exported.code, exported.stderr).toBe(0)
    const doc = JSON.parse(exported.stdout)
    const messages = doc.threads.flatMap((t: { messages: Array<{ id: string }> }) => t.messages)
    expect(messages.map((m: { id: string }) => m.id)).toContain(messageId)
  }, 240_000)
})

describe("pnpm portal start (issue 12)", () => {
  it("SIGTERM to pnpm stops the server too (pnpm exits without passing the signal on)", async () => {
    const child = spawn("pnpm", ["--silent", "portal", "start"], {
      cwd: REPO_ROOT,
      env: { ...env, COREPACK_ENABLE_DOWNLOAD_PROMPT: "0", PORT: "0", HOST: "127.0.0.1" },
    })
    let output = ""
    child.stdout.on("data", (c: Buffer) => (output += c.toString()))
    child.stderr.on("data", (c: Buffer) => (output += c.toString()))
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setInterval(() => {
        const match = /listening on port (\d+)/.exec(output)
        if (match) {
          clearInterval(timer)
          resolve(Number(match[1]))
        } else if (child.exitCode !== null) {
          clearInterval(timer)
          reject(new Error(`pnpm portal start exited with ${child.exitCode}:\n${output}`))
        }
      }, 100)
    })
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200)
    child.kill("SIGTERM")
    // The server notices that pnpm is gone and stops gracefully: the port closes.
    const deadline = Date.now() + 30_000
    let listening = true
    while (listening && Date.now() < deadline) {
      await sleep(250)
      listening = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        () => true,
        () => false,
      )
    }
    expect(listening, output).toBe(false)
  }, 180_000)
})
