/**
 * The agent list's latency at 100,000 tickets (P-AGT-1), outside the test suite: builds the
 * storage benchmark's workspace (packages/storage-postgres/bench/Generate.ts) on the PostgreSQL
 * server, then runs core's `agentListTickets` (the use-case the `agent.tickets.list` procedure
 * runs: permission check, cursor check, store query with counts) over the real store, ROUNDS
 * times per query shape, in shuffled order, and prints each shape's median and p99 and all of them.
 * Run: pnpm --filter @portal/server bench:agent-list   (TICKETS=…, ROUNDS=…; BENCH_DATABASE_URL)
 */
import type { AgentCaller } from "@portal/core/domain"
import { type AgentListInput, agentListTickets } from "@portal/core/usecases"
import { layerPostgres } from "@portal/storage-postgres"
import { ManagedRuntime } from "effect"
import { build } from "../../../packages/storage-postgres/bench/Generate.ts"
import { dropServerDatabase, freshServerDatabase, timed } from "../../../packages/storage-postgres/bench/Setup.ts"
import { median, quantile, shuffle } from "./stats.ts"

const DB = "portal_bench_agent_list"
const TICKETS = Number(process.env.TICKETS ?? 100_000)
const ROUNDS = Number(process.env.ROUNDS ?? 100)

const caller = {
  portal: {
    workspaceId: "bench",
    host: "bench",
    domain: { host: "bench", language: "en" },
    settings: {},
    settingsVersion: 1,
  },
  subject: { _tag: "Agent", agentId: "u7", permissions: ["tickets.work"] },
} as unknown as AgentCaller

const SHAPES: ReadonlyArray<readonly [string, AgentListInput]> = [
  ["default (all, last activity desc)", {}],
  ["open, last activity desc", { state: "open" }],
  ["mine (u7), open", { owner: "me", state: "open" }],
  ["unassigned", { owner: "unassigned" }],
  ["company c1, open", { companyId: "c1" as never, state: "open" }],
  ["requester p42", { requesterId: "p42" as never }],
  ["stage support/new", { pipelineId: "support" as never, stageId: "new" as never }],
  ["subject asc", { sort: { column: "subject", direction: "asc" } }],
  ["status asc, open", { state: "open", sort: { column: "status", direction: "asc" } }],
  ["owner asc", { sort: { column: "owner", direction: "asc" } }],
  ["requester desc", { sort: { column: "requester", direction: "desc" } }],
  ['search "dark mode"', { search: "dark mode" }],
]

const main = async () => {
  const { driver, url } = await freshServerDatabase(DB)
  try {
    console.log(`Building a ${TICKETS}-ticket workspace…`)
    await timed("build", () => build(driver, TICKETS))
    const runtime = ManagedRuntime.make(layerPostgres({ databaseUrl: url, poolSize: 2 }))
    try {
      const run = (input: AgentListInput) => runtime.runPromise(agentListTickets(caller, input))
      for (const [, input] of SHAPES) await run(input) // warm up
      const samples = new Map<string, Array<number>>(SHAPES.map(([name]) => [name, []]))
      const order = shuffle(SHAPES.flatMap((shape) => Array.from({ length: ROUNDS }, () => shape)))
      for (const [name, input] of order) {
        const start = performance.now()
        await run(input)
        samples.get(name)?.push(performance.now() - start)
      }
      const row = (name: string, xs: Array<number>) => {
        const sorted = [...xs].sort((a, b) => a - b)
        return `| ${name} | ${median(sorted).toFixed(2)} ms | ${quantile(sorted, 0.99).toFixed(2)} ms |`
      }
      console.log(`\nagent list, ${TICKETS} tickets, ${ROUNDS} runs per shape (first page of 25, with counts)\n`)
      console.log("| query | median | p99 |\n| --- | --- | --- |")
      for (const [name, xs] of samples) console.log(row(name, xs))
      console.log(row("**all shapes**", [...samples.values()].flat()))
    } finally {
      await runtime.dispose()
    }
  } finally {
    await driver.close()
    if (process.env.KEEP === undefined) await dropServerDatabase(DB)
  }
}

await main()
