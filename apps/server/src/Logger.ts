/**
 * Logs go to standard error as JSON lines (pino), so `portal export` can print only the document
 * on standard output. Written asynchronously (sonic-boom, `sync: false`): lines logged while a
 * write is in flight leave together in the next one, so the access log costs one system call per
 * batch, not per request (issue 9); pino flushes what is pending synchronously when the process
 * exits (also on an uncaught exception; only a SIGKILL can lose the last lines). Secrets never reach the log: cookies, authorization headers, passwords
 * and tokens are redacted.
 */
import { type DestinationStream, type Logger, pino } from "pino"

export type { Logger }

/** `destination`: standard error by default (tests pass a stream to read the lines). */
export const makeLogger = (level = "info", destination?: DestinationStream): Logger =>
  pino(
    {
      level,
      redact: {
        paths: [
          "req.headers.cookie",
          "req.headers.authorization",
          "*.password",
          "*.token",
          "*.newPassword",
          "*.clientSecret",
          "*.secret",
        ],
        censor: "[redacted]",
      },
    },
    destination ?? pino.destination({ fd: 2, sync: false }),
  )

/** A logger that drops everything (tests). */
export const silentLogger = (): Logger => pino({ level: "silent" })
