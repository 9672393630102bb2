/**
 * Calls to the API over HTTP from a browser context (its cookies are the session): what the
 * admin screens do, for setting up and restoring settings around a test.
 */
import type { APIRequestContext } from "playwright-core"

const unwrap = async (response: Awaited<ReturnType<APIRequestContext["get"]>>) => {
  const body = (await response.json()) as { result?: { data: unknown }; error?: unknown }
  if (!response.ok() || body.error) throw new Error(`tRPC ${response.status()}: ${JSON.stringify(body.error ?? body)}`)
  return body.result?.data
}

export const query = async <T>(request: APIRequestContext, base: string, path: string, input?: unknown): Promise<T> => {
  const search = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`
  return (await unwrap(await request.get(`${base}/trpc/${path}${search}`))) as T
}

export const mutate = async <T>(request: APIRequestContext, base: string, path: string, input?: unknown): Promise<T> =>
  (await unwrap(
    await request.post(`${base}/trpc/${path}`, { data: input ?? {}, headers: { "content-type": "application/json" } }),
  )) as T
