/**
 * Every issue a test sees must be translatable: a code of VALIDATION_CODES, an English message,
 * params of strings and numbers only. The helpers return what they checked, so a test can go on.
 */
import { expect } from "vitest"
import { type FieldIssue, VALIDATION_CODES } from "../../src/domain/index.ts"

export const expectCoded = <I extends FieldIssue>(issues: ReadonlyArray<I>): ReadonlyArray<I> => {
  for (const issue of issues) {
    expect(VALIDATION_CODES, `${issue.path}: ${issue.message}`).toContain(issue.code)
    expect(issue.message.length).toBeGreaterThan(0)
    for (const value of Object.values(issue.params ?? {})) expect(["string", "number"]).toContain(typeof value)
  }
  return issues
}

/** "path:code" of each issue, after checking its code. */
export const pathCodes = (issues: ReadonlyArray<FieldIssue>): ReadonlyArray<string> =>
  expectCoded(issues).map((i) => `${i.path}:${i.code}`)
