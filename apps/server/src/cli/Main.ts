/** `pnpm portal <command>`: the CLI entry (bin/portal.js). Returns the exit status. */
import { Cause } from "effect"
import { ConfigError, readConfig } from "../Config.ts"
import { makeLogger } from "../Logger.ts"
import { commandHelp, parseCommandArgs, USAGE, UsageError, version } from "./Args.ts"
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

/** Exit status 2 with the reason and the command's usage (the general one for an unknown command). */
const usageError = (command: string, message: string): number => {
  process.stderr.write(`portal ${command}: ${message}\n\n${commandHelp(command)}\n`)
  return 2
}

export const main = async (argv: ReadonlyArray<string>): Promise<number> => {
  const [command, ...rest] = argv
  if (command === undefined) {
    process.stderr.write(`${USAGE}\n`)
    return 2
  }
  if (command === "--version" || command === "-v" || command === "version") {
    if (rest.length > 0) return usageError(command, `unexpected argument "${rest[0]}"`)
    process.stdout.write(`${version()}\n`)
    return 0
  }
  if (command === "help" || command === "--help" || command === "-h") {
    if (rest.length > 1) return usageError(command, `unexpected argument "${rest[1]}"`)
    process.stdout.write(`${rest[0] === undefined ? USAGE : commandHelp(rest[0])}\n`)
    return 0
  }
  let logger = makeLogger("info")
  try {
    // Arguments first: a typo never reaches the store.
    const args = parseCommandArgs(command, rest)
    if (args === "help") {
      process.stdout.write(`${commandHelp(command)}\n`)
      return 0
    }
    const config = readConfig()
    logger = makeLogger(config.logLevel)
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
    if (error instanceof UsageError) return usageError(command, error.message)
    if (error instanceof ConfigError) {
      process.stderr.write(`portal ${command}: configuration: ${error.message}\n`)
      return 2
    }
    process.stderr.write(`portal ${command} failed: ${reasonOf(error)}\n`)
    return 1
  }
}
