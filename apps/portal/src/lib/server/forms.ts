// Small helpers for form actions: read fields, and turn API input issues into field errors.
import { type FieldError, issueError } from "$lib/field-error"
import type { ApiFailure } from "./api.ts"

export const text = (data: FormData, name: string): string => {
  const value = data.get(name)
  return typeof value === "string" ? value.trim() : ""
}

/** The raw value (passwords are not trimmed). */
export const raw = (data: FormData, name: string): string => {
  const value = data.get(name)
  return typeof value === "string" ? value : ""
}

export const looksLikeEmail = (value: string): boolean => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)

/** Field errors by the first segment of each issue's path ("password", "values.subject" → "subject"). */
export const fieldErrors = (failure: ApiFailure | null, strip = ""): Record<string, FieldError> => {
  const errors: Record<string, FieldError> = {}
  for (const issue of failure?.issues ?? []) {
    const path = strip && issue.path.startsWith(strip) ? issue.path.slice(strip.length) : issue.path
    const field = path.split(".")[0] ?? ""
    if (!(field in errors)) errors[field] = issueError(issue)
  }
  return errors
}

export const MIN_PASSWORD = 10
