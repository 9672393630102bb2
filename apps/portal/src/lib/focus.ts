// After a form comes back with errors, put the keyboard focus on the first field that has one.
import { tick } from "svelte"

export const focusFirstInvalid = async (form: HTMLFormElement) => {
  await tick()
  form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus()
}
