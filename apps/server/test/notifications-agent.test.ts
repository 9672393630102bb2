/**
 * The agent workspace and the notifications meet on the one event stream (P-NOT-1, P-NOT-2,
 * P-AGT-3): an agent's answer from /agent mails the requester once, an internal note mails nobody,
 * and closing the ticket from /agent sends the "closed" email — through a real local SMTP server,
 * by the same rule and outbox as the integration API's writes (notifications.test.ts).
 */
import { consumeEvents, deliverOutbox } from "@portal/core/usecases"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { data } from "./support/Http.ts"
import { AGENT_NO_SETTINGS, startWorld, type World } from "./support/World.ts"

let world: World
beforeAll(async () => {
  world = await startWorld()
}, 60_000)
afterAll(() => world?.close())

/** One notifier round to completion: every event consumed, every due mail sent. */
const settle = async () => {
  const options = { secret: world.server.secret, linkOrigin: world.server.linkOrigin }
  await world.server.runtime.runPromise(consumeEvents(options))
  for (;;) {
    const r = await world.server.runtime.runPromise(deliverOutbox())
    if (r.claimed === 0) return
  }
}

const mailsTo = (address: string) => world.smtp.messages.filter((m) => m.to === address)

describe("the agent workspace's changes mail the customer (P-NOT-1, P-NOT-2)", () => {
  it("P-NOT-1, P-NOT-2: an answer from /agent mails the requester once, a note mails nobody, closing mails 'closed'", async () => {
    const taro = world.client()
    await taro.signIn(AGENT_NO_SETTINGS.email, AGENT_NO_SETTINGS.password, true)
    await settle()
    const start = mailsTo("ken@globex.test").length
    const before = data(await taro.query("agent.tickets.get", { ticketId: "t1" }))
    const replied = data(
      await taro.mutate("agent.tickets.reply", {
        ticketId: "t1",
        version: before.ticket.version,
        text: "We refunded the difference.",
        idempotencyKey: "notify-agent-reply",
      }),
    )
    await settle()
    await settle()
    const afterReply = mailsTo("ken@globex.test").slice(start)
    expect(afterReply).toHaveLength(1)
    expect(afterReply[0]?.subject).toBe("[Acme Support] New reply: Invoice is wrong")
    expect(afterReply[0]?.text).toContain("We refunded the difference.")
    expect(afterReply[0]?.text).toMatch(/http:\/\/localhost:\d+\/tickets\/t1\b/)

    const noted = data(
      await taro.mutate("agent.tickets.note", {
        ticketId: "t1",
        version: replied.version,
        text: "Refund approved by finance: internal",
        idempotencyKey: "notify-agent-note",
      }),
    )
    await settle()
    expect(mailsTo("ken@globex.test").slice(start)).toHaveLength(1)
    expect(world.smtp.messages.some((m) => m.text.includes("Refund approved by finance"))).toBe(false)

    const after = data(await taro.query("agent.tickets.get", { ticketId: "t1" }))
    const closedStage = after.choices.pipelines
      .flatMap((p: { stages: Array<{ id: string; state: string }> }) => p.stages)
      .find((s: { state: string }) => s.state === "closed")
    data(await taro.mutate("agent.tickets.update", { ticketId: "t1", version: noted.version, stageId: closedStage.id }))
    await settle()
    await settle()
    const all = mailsTo("ken@globex.test").slice(start)
    expect(all).toHaveLength(2)
    expect(all[1]?.subject).toMatch(/Invoice is wrong/)
    expect(all[1]?.subject).not.toBe(all[0]?.subject)
    expect(all[1]?.text).toMatch(/http:\/\/localhost:\d+\/tickets\/t1\b/)
  })
})
