/**
 * The admin screens' API client: the same routers the pages call in-process, over `/trpc` from
 * the browser (httpBatchLink). The session cookie travels with each call (same origin).
 */
import type { AppRouter } from "@portal/api"
import { createTRPCClient, httpBatchLink, TRPCClientError } from "@trpc/client"
import type { IssueLike } from "$lib/i18n/validation"
import type { MissingStep } from "./draft.ts"

export const trpc = createTRPCClient<AppRouter>({
  links: [httpBatchLink({ url: "/trpc" })],
})

/** What the server's error formatter sends (packages/api trpc.ts): code, message and public data. */
export interface ClientFailure {
  readonly code: string
  readonly message: string
  /** Input issues: path, code (translated by lib/i18n/validation.ts), params, English message. */
  readonly issues: ReadonlyArray<IssueLike & { readonly path: string }>
  /** P-SET-4: the setup steps an enabled portal still lacks. */
  readonly missing: ReadonlyArray<MissingStep>
}

export const clientFailure = (e: unknown): ClientFailure => {
  if (e instanceof TRPCClientError) {
    const data = (e.data ?? {}) as {
      code?: string
      issues?: ClientFailure["issues"]
      missingSteps?: ClientFailure["missing"]
    }
    return {
      code: data.code ?? "INTERNAL_SERVER_ERROR",
      message: e.message,
      issues: data.issues ?? [],
      missing: data.missingSteps ?? [],
    }
  }
  return { code: "NETWORK", message: e instanceof Error ? e.message : String(e), issues: [], missing: [] }
}
