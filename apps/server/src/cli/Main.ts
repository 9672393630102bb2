/** `pnpm portal <command>`: the CLI entry (bin/portal.js). Returns the exit status. */
import { Cause } from "effect"
import { readConfig } from "../Config.ts"
import { makeLogger } from "../Logger.ts"
import { parseArgs, USAGE, UsageError } from "./Args.ts"
import { createAgentCommand, exportCommand, importCommand, migrateCommand } from "./Commands.ts"
import { gcCommand } from "./Gc.ts"
import { startCommand } from "./Start.ts"

/** A readable reason for any failure: typed errors carry their own message (e.g. InvalidDocument). */
const reasonOf = (error: unknown): string => {
  if (Cause.isCause(error)) return Cause.pretty(error)
  if (typeof error === "object" && error !== null && "_tag" in error) {
    const e = error as {
      _tag: string
      message?: string
      key?: string
      issues?: ReadonlyArray<unknown>
      cause?: unknown
    }
    if (e._tag === "WorkspaceNotFound") return `no workspace "${e.key ?? ""}"`
    if (e.message) return e.message
    if (e.issues) return `${e._tag}:\n- ${e.issues.join("\n- ")}`
    return e.cause === undefined ? e._tag : `${e._tag}: ${reasonOf(e.cause)}`
  }
  if (error instanceof Error) return error.message
  return String(error)
}

export const main = async (argv: ReadonlyArray<string>): Promise<number> => {
  const [command, ...rest] = argv
  if (command === undefined || command === "help" || command === "--help") {
    process.stderr.write(`${USAGE}\n`)
    return command === undefined ? 2 : 0
  }
  let logger = makeLogger(process.env.LOG_LEVEL ?? "info")
  try {
    const config = readConfig()
    logger = makeLogger(config.logLevel)
    const args = parseArgs(rest, ["settings", "demo"])
    switch (command) {
      case "start":
        return await startCommand(config, logger, args)
      case "migrate":
        await migrateCommand(config, logger)
        return 0
      case "import":
        await importCommand(config, logger, args)
        return 0
      case "export":
        await exportCommand(config, logger, args)
        return 0
      case "create-agent":
        await createAgentCommand(config, logger, args)
        return 0
      case "gc":
        await gcCommand(config, logger, args)
        return 0
      default:
        throw new UsageError(`unknown command "${command}"`)
    }
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`portal ${command}: ${error.message}\n\n${USAGE}\n`)
      return 2
    }
    process.stderr.write(`portal ${command} failed: ${reasonOf(error)}\n`)
    return 1
  }
}
