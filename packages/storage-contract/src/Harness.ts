/**
 * What every suite shares: the options an adapter passes, the raw-state backdoor, and a small
 * runner over ManagedRuntime (the layer is built once per suite, in beforeAll, and disposed
 * after). Tests isolate themselves with fresh workspace ids, hosts and keys (a per-suite nonce),
 * so an adapter need not reset its storage between tests, and a reused database is fine.
 */
import type { StorePorts } from "@portal/core/ports"
import { Cause, type Context, Effect, Exit, type Layer, ManagedRuntime, Option } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

/** Builds the adapter under test; called once per suite. Extra services (Clock …) are fine. */
export type MakeLayer = () => Layer.Layer<StorePorts, unknown>

/**
 * Raw state as stored, read around the adapter (raw SQL, the memory state) so write tests check
 * what was really written. Counts are per workspace:
 * - contacts, consents, tickets, threads, notes, domains, events: one per stored entity;
 * - messages: every message of every thread, comments included;
 * - attachments: attachment records (imported and replied); blobs: stored blobs (BlobStore keys
 *   and the bytes of imported attachments);
 * - agents, companies, lists: catalog rows; sessions: sessions of the workspace.
 */
export type RowKind =
  | "contacts"
  | "consents"
  | "tickets"
  | "threads"
  | "messages"
  | "attachments"
  | "notes"
  | "events"
  | "domains"
  | "blobs"
  | "agents"
  | "companies"
  | "lists"
  | "sessions"
  | "webhook_endpoints"
  | "webhook_deliveries"
  | "ticket_satisfaction"

export interface Backdoor {
  readonly countRows: (kind: RowKind, workspaceId: string) => Promise<number>
}

export interface SuiteOptions {
  /** Test titles (or suite names) to skip, exactly as registered. */
  readonly skip?: ReadonlyArray<string>
  readonly backdoor?: Backdoor
  /** Runs of each fast-check property (defaults differ per property; the list property's is 200). */
  readonly numRuns?: number
}

export const ROW_KINDS: ReadonlyArray<RowKind> = [
  "contacts",
  "consents",
  "tickets",
  "threads",
  "messages",
  "attachments",
  "notes",
  "events",
  "domains",
  "blobs",
  "agents",
  "companies",
  "lists",
  "sessions",
  "webhook_endpoints",
  "webhook_deliveries",
  "ticket_satisfaction",
]

export interface Harness {
  readonly nonce: string
  readonly run: <A, E>(effect: Effect.Effect<A, E, StorePorts>) => Promise<A>
  /** The error of a failing effect (the test fails if it succeeds or dies). */
  readonly fail: <A, E>(effect: Effect.Effect<A, E, StorePorts>) => Promise<E>
  readonly test: (title: string, fn: () => Promise<void>, timeout?: number) => void
  /** Every row count of a workspace via the backdoor; {} without one. */
  readonly counts: (workspaceId: string) => Promise<Partial<Record<RowKind, number>>>
  readonly options: SuiteOptions
}

/** Registers the describe block "<name>: <title>" with a runtime over `makeLayer()`; `skip` may name `title`. */
export const contractSuite = (
  name: string,
  title: string,
  makeLayer: MakeLayer,
  options: SuiteOptions,
  body: (h: Harness) => void,
): void => {
  const skip = options.skip ?? []
  const register = skip.includes(title) ? describe.skip : describe
  register(`${name}: ${title}`, () => {
    let runtime: ManagedRuntime.ManagedRuntime<StorePorts, unknown> | undefined
    beforeAll(async () => {
      runtime = ManagedRuntime.make(makeLayer())
      await runtime.runPromise(Effect.void)
    })
    afterAll(() => runtime?.dispose())
    const exit = <A, E>(effect: Effect.Effect<A, E, StorePorts>) => {
      if (runtime === undefined) throw new Error("the suite's layer is not built")
      return runtime.runPromiseExit(effect)
    }
    const h: Harness = {
      nonce: Math.random().toString(36).slice(2, 8),
      options,
      run: async (effect) => {
        const result = await exit(effect)
        if (Exit.isSuccess(result)) return result.value
        throw new Error(`expected success, got ${Cause.pretty(result.cause)}`)
      },
      fail: async <A, E>(effect: Effect.Effect<A, E, StorePorts>): Promise<E> => {
        const result = await exit(effect)
        const error = Exit.isFailure(result) ? Exit.findErrorOption(result) : Option.none()
        if (Option.isNone(error))
          throw new Error(`expected a failure, got ${Exit.isSuccess(result) ? "success" : Cause.pretty(result.cause)}`)
        return error.value as E
      },
      test: (name, fn, timeout) => (skip.includes(name) ? it.skip : it)(name, fn, timeout),
      counts: async (workspaceId) => {
        const backdoor = options.backdoor
        if (backdoor === undefined) return {}
        const entries = await Promise.all(
          ROW_KINDS.map(async (k) => [k, await backdoor.countRows(k, workspaceId)] as const),
        )
        return Object.fromEntries(entries)
      },
    }
    body(h)
  })
}

/** Expect `count(kind)` to have moved by exactly `delta` for each kind named (backdoor only). */
export const expectCounts = (
  before: Partial<Record<RowKind, number>>,
  after: Partial<Record<RowKind, number>>,
  deltas: Partial<Record<RowKind, number>> = {},
) => {
  const expected = Object.fromEntries(Object.entries(before).map(([k, n]) => [k, n + (deltas[k as RowKind] ?? 0)]))
  expect(after).toEqual(expected)
}

/** Run `f` with the service of `key` (shorter than a generator for one call). */
export const use = <I, S, A, E>(key: Context.Key<I, S>, f: (service: S) => Effect.Effect<A, E>) =>
  Effect.flatMap(Effect.service(key), f)
