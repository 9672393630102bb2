/**
 * The `portal` CLI's arguments: `node:util` parseArgs in strict mode, one spec per command.
 * An unknown option, a missing value or an extra argument is a UsageError (exit status 2 with
 * the command's usage); `portal <command> --help` prints that command's help.
 */
import { readFileSync } from "node:fs"
import { parseArgs as parseNodeArgs } from "node:util"

export class UsageError extends Error {}

export interface ParsedArgs {
  readonly positionals: ReadonlyArray<string>
  readonly options: ReadonlyMap<string, string | true>
}

type OptionType = "string" | "boolean"

export interface CommandSpec {
  /** The synopsis after `pnpm portal `. */
  readonly synopsis: string
  readonly help: string
  readonly options: Readonly<Record<string, OptionType>>
  /** Names of the positional arguments, all required. */
  readonly positionals: ReadonlyArray<string>
}

export const COMMANDS: Readonly<Record<string, CommandSpec>> = {
  start: {
    synopsis: "start [--demo]",
    help: `serve the portal and API on PORT (default 3000); the demo workspaces go into an empty
embedded default store (.data/), or with --demo into any empty store. Stops gracefully on
SIGTERM / SIGINT (PORTAL_SHUTDOWN_GRACE_SECONDS).`,
    options: { demo: "boolean" },
    positionals: [],
  },
  migrate: { synopsis: "migrate", help: "run the database migrations", options: {}, positionals: [] },
  import: {
    synopsis: "import FILE [--quiet]",
    help: `load a portal-workspace/v1 document, replacing that workspace (all or nothing). The file
is read as a stream (any size, memory stays flat); the rows loaded per table go to standard
error as it loads (with the percent of the file read when that is a terminal); --quiet: none`,
    options: { quiet: "boolean" },
    positionals: ["FILE"],
  },
  export: {
    synopsis: "export WORKSPACE_ID [--out FILE]",
    help: `print the workspace's document (or write it to FILE); it holds password hashes and
secrets: keep it like a database backup`,
    options: { out: "string" },
    positionals: ["WORKSPACE_ID"],
  },
  "create-agent": {
    synopsis: "create-agent --workspace W --email E --name N [--password P] [--settings] [--work] [--id ID]",
    help: "add (or update) an agent; --settings grants portal.settings, --work grants tickets.work (the agent workspace)",
    options: {
      workspace: "string",
      email: "string",
      name: "string",
      password: "string",
      settings: "boolean",
      work: "boolean",
      id: "string",
    },
    positionals: [],
  },
  gc: {
    synopsis: "gc [--grace-minutes M]",
    help: `delete stored files no attachment references, stored over M minutes ago (default 60),
and expired sessions, keys, tokens, rate limits, old idempotency keys and sent mails (start does this hourly)`,
    options: { "grace-minutes": "string" },
    positionals: [],
  },
}

/** `pnpm portal <command> --help`. */
export const commandHelp = (command: string): string => {
  const spec = COMMANDS[command]
  if (spec === undefined) return USAGE
  return `Usage: pnpm portal ${spec.synopsis}\n\n${spec.help}\n\nSee docs/api.md ("Configuration") for the environment variables.`
}

/** Parse a command's arguments; "help" when --help / -h is among them. */
export const parseCommandArgs = (command: string, argv: ReadonlyArray<string>): ParsedArgs | "help" => {
  const spec = COMMANDS[command]
  if (spec === undefined) throw new UsageError(`unknown command "${command}"`)
  const options: Record<string, { type: OptionType; short?: string }> = { help: { type: "boolean", short: "h" } }
  for (const [name, type] of Object.entries(spec.options)) options[name] = { type }
  let parsed: ReturnType<typeof parseNodeArgs>
  try {
    parsed = parseNodeArgs({ args: [...argv], options, strict: true, allowPositionals: true })
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error))
  }
  if (parsed.values.help === true) return "help"
  const positionals = parsed.positionals
  if (positionals.length < spec.positionals.length)
    throw new UsageError(`${command} needs ${spec.positionals.slice(positionals.length).join(" ")}`)
  if (positionals.length > spec.positionals.length)
    throw new UsageError(`unexpected argument "${positionals[spec.positionals.length]}"`)
  const values = new Map<string, string | true>()
  for (const [name, value] of Object.entries(parsed.values)) {
    if (name === "help") continue
    if (value === true || typeof value === "string") values.set(name, value)
  }
  return { positionals, options: values }
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

/** The server package's version (package.json beside src/ and dist/). */
export const version = (): string =>
  (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version

export const USAGE = `Usage: pnpm portal <command> [options]   (pnpm portal <command> --help; pnpm portal --version)

  start [--demo]                         serve the portal and API on PORT (default 3000); the demo
                                         workspaces go into an empty embedded default store
                                         (.data/), or with --demo into any empty store
  migrate                                run the database migrations
  import FILE [--quiet]                  load a portal-workspace/v1 document (replaces that workspace),
                                         streamed, with progress on standard error
  export WORKSPACE_ID [--out FILE]       print the workspace's document (or write it to FILE)
  create-agent --workspace W --email E --name N [--password P] [--settings] [--work] [--id ID]
                                         add an agent (--settings grants portal.settings,
                                         --work grants tickets.work)
  gc [--grace-minutes M]                 delete stored files no attachment references, stored
                                         over M minutes ago (default 60), and expired sessions,
                                         keys, tokens and rows (start does this hourly)

Store: DATABASE_URL (PostgreSQL) if set, else embedded PGlite in PORTAL_DATA_DIR (default .data/).
Logs go to standard error. See docs/api.md ("Configuration") for every environment variable.`
