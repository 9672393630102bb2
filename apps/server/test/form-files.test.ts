/**
 * P-EXT-3 over real HTTP: the support form takes files with a reply's limits; they land on the new
 * ticket's first message, download with the sniffed type and only for who may see the ticket, and
 * a re-submit of one form stores one ticket with its files once.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Client, data, error } from "./support/Http.ts"
import { CUSTOMER_PASSWORD, startWorld, type World } from "./support/World.ts"

let world: World
let ken: Client
beforeAll(async () => {
  world = await startWorld()
  ken = world.client()
  await ken.signIn("ken@globex.test", CUSTOMER_PASSWORD)
})
afterAll(() => world.close())

const PNG = Buffer.from("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489", "hex")
const values = { subject: "Screen is black", content: "See the photo", category: "bug" }
const file = (name: string, contentType: string, bytes: Buffer) => ({
  name,
  contentType,
  dataBase64: bytes.toString("base64"),
})

describe("P-EXT-3 form.submit with files", () => {
  it("P-EXT-3 the files are on the ticket's first message, sniffed on download; a re-submit stores them once", async () => {
    const submit = {
      values,
      idempotencyKey: "form-files-1",
      attachments: [
        file("photo.png", "image/png", PNG),
        // Claims to be a picture; the download's type comes from the bytes, never from the upload.
        file("not-a-picture.png", "image/png", Buffer.from("<script>alert(1)</script>")),
      ],
    }
    const first = data(await ken.mutate("form.submit", submit))
    const again = data(await ken.mutate("form.submit", submit))
    expect(again).toEqual({ ticketId: first.ticketId, duplicate: true })
    const detail = data(await ken.query("tickets.get", { ticketId: first.ticketId }))
    expect(detail.messages).toHaveLength(1)
    const [png, fake] = detail.messages[0].attachments
    expect([png.name, fake.name]).toEqual(["photo.png", "not-a-picture.png"])
    const image = await ken.request(png.url)
    expect(image.status).toBe(200)
    expect(image.headers["content-type"]).toBe("image/png")
    expect(image.body.equals(PNG)).toBe(true)
    const script = await ken.request(fake.url)
    expect(script.headers["content-type"]).toBe("text/plain; charset=utf-8")
    expect(script.headers["x-content-type-options"]).toBe("nosniff")
    // Another company's customer may not download it: exactly a missing file.
    const mia = world.client()
    await mia.signIn("mia@initech.test", CUSTOMER_PASSWORD)
    const refused = await mia.request(png.url)
    const missing = await mia.request("/files/att-no-such-file")
    expect(refused.status).toBe(404)
    expect([refused.status, refused.body.toString()]).toEqual([missing.status, missing.body.toString()])
    // The same key with other files is another request: 409, nothing stored.
    const other = await ken.mutate("form.submit", { ...submit, attachments: [file("other.png", "image/png", PNG)] })
    expect(other.status).toBe(409)
    expect(error(other)?.data.reason).toBe("idempotency_key_reused")
  })

  it("P-EXT-3 a reply's limits: too large or too many files is a 400 with the path, and no ticket", async () => {
    const before = data(await ken.query("tickets.list", { limit: 100 })).items.length
    const big = await ken.mutate("form.submit", {
      values,
      idempotencyKey: "form-files-big",
      attachments: [file("big.bin", "application/octet-stream", Buffer.alloc(10 * 1024 * 1024 + 1))],
    })
    expect(big.status).toBe(400)
    expect(error(big)?.data.issues).toEqual([
      {
        path: "attachments[0]",
        code: "file_too_large",
        message: '"big.bin" is larger than 10 MiB.',
        params: { name: "big.bin", maxMiB: 10 },
      },
    ])
    const many = await ken.mutate("form.submit", {
      values,
      idempotencyKey: "form-files-many",
      attachments: Array.from({ length: 11 }, (_, i) => file(`f${i}.txt`, "text/plain", Buffer.from("x"))),
    })
    expect(many.status).toBe(400)
    expect(error(many)?.data.issues).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: "attachments", code: "too_many_files" })]),
    )
    const badType = await ken.mutate("form.submit", {
      values,
      idempotencyKey: "form-files-type",
      attachments: [file("a.txt", "not a type", Buffer.from("x"))],
    })
    expect(badType.status).toBe(400)
    expect(data(await ken.query("tickets.list", { limit: 100 })).items.length).toBe(before)
  })
})
