/**
 * Logs go to standard error as JSON lines (pino), so `portal export` can print only the document
 * on standard output. Secrets never reach the log: cookies, authorization headers, passwords
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
    destination ?? pino.destination({ fd: 2, sync: true }),
  )

/** A logger that drops everything (tests). */
export const silentLogger = (): Logger => pino({ level: "silent" })
