/** A small argument parser for the `portal` CLI: positionals and `--name value` / `--flag`. */

export class UsageError extends Error {}

export interface ParsedArgs {
  readonly positionals: ReadonlyArray<string>
  readonly options: ReadonlyMap<string, string | true>
}

export const parseArgs = (argv: ReadonlyArray<string>, flags: ReadonlyArray<string> = []): ParsedArgs => {
  const positionals: Array<string> = []
  const options = new Map<string, string | true>()
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string
    if (!arg.startsWith("--")) {
      positionals.push(arg)
      continue
    }
    const eq = arg.indexOf("=")
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq)
    if (eq !== -1) options.set(name, arg.slice(eq + 1))
    else if (flags.includes(name)) options.set(name, true)
    else {
      const value = argv[i + 1]
      if (value === undefined || value.startsWith("--")) throw new UsageError(`--${name} needs a value`)
      options.set(name, value)
      i++
    }
  }
  return { positionals, options }
}

export const required = (args: ParsedArgs, name: string): string => {
  const value = args.options.get(name)
  if (typeof value !== "string" || value.trim() === "") throw new UsageError(`--${name} is required`)
  return value
}

export const optional = (args: ParsedArgs, name: string): string | undefined => {
  const value = args.options.get(name)
  return typeof value === "string" ? value : undefined
}

export const USAGE = `Usage: pnpm portal <command>

  start [--demo]                         serve the portal and API on PORT (default 3000); the demo
                                         workspaces go into an empty embedded default store
                                         (.data/), or with --demo into any empty store
  migrate                                run the database migrations
  import FILE                            load a portal-workspace/v1 document (replaces that workspace)
  export WORKSPACE_ID [--out FILE]       print the workspace's document (or write it to FILE)
  create-agent --workspace W --email E --name N [--password P] [--settings] [--id ID]
                                         add an agent (--settings grants portal.settings)
  gc [--grace-minutes M]                 delete stored files no attachment references, stored
                                         over M minutes ago (default 60; start does this hourly)

Store: DATABASE_URL (PostgreSQL) if set, else embedded PGlite in PORTAL_DATA_DIR (default .data/).
Logs go to standard error. See docs/api.md for every environment variable.`
