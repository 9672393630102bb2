/**
 * Posts a form to a SvelteKit form action with XMLHttpRequest, for its upload progress events
 * (fetch has none). The answer is the same ActionResult `use:enhance` gets.
 */

import type { ActionResult } from "@sveltejs/kit"
import { deserialize } from "$app/forms"

export const postAction = (
  action: string,
  body: FormData,
  onProgress: (fraction: number) => void,
): Promise<ActionResult> =>
  new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open("POST", action)
    xhr.setRequestHeader("accept", "application/json")
    xhr.setRequestHeader("x-sveltekit-action", "true")
    xhr.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total)
    })
    xhr.addEventListener("load", () => {
      try {
        resolve(deserialize(xhr.responseText))
      } catch {
        resolve({ type: "error", status: xhr.status, error: new Error(xhr.statusText) })
      }
    })
    xhr.addEventListener("error", () => reject(new Error("network")))
    xhr.addEventListener("abort", () => reject(new Error("aborted")))
    xhr.send(body)
  })
