// The root Vitest config: one test project per package (Vitest 4 `test.projects`).
// `source` resolves workspace packages to their TypeScript sources, so tests need no build.
import { fileURLToPath } from "node:url"
import { defineConfig } from "vitest/config"

const shared = {
  resolve: { conditions: ["source"] },
  ssr: { resolve: { conditions: ["source"] } },
}

const project = (name: string, dir: string, extra: Record<string, unknown> = {}) => ({
  ...shared,
  // Absolute, so `pnpm --filter <package> test` (run from the package's folder) finds the same files.
  test: { name, root: fileURLToPath(new URL(`${dir}/`, import.meta.url)), include: ["test/**/*.test.ts"], ...extra },
})

export default defineConfig({
  test: {
    projects: [
      project("core", "packages/core"),
      project("storage-memory", "packages/storage-memory"),
      project("storage-postgres", "packages/storage-postgres", { testTimeout: 60_000, hookTimeout: 120_000 }),
      project("identity", "packages/identity", { testTimeout: 30_000 }),
      project("mail", "packages/mail"),
      project("api", "packages/api"),
      project("server", "apps/server", { testTimeout: 60_000, hookTimeout: 120_000 }),
      project("portal-e2e", "apps/portal", {
        testTimeout: 120_000,
        hookTimeout: 300_000,
        fileParallelism: false,
        // Builds the portal if needed and starts the real server once (apps/portal/test/global-setup.ts).
        globalSetup: ["test/global-setup.ts"],
      }),
    ],
  },
})
