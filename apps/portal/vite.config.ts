import { sveltekit } from "@sveltejs/kit/vite"
import { defineConfig } from "vite"

// The workspace packages (@portal/api, @portal/core) are imported for their types only: the
// pages reach the API through the caller the server hands over, never by bundling it.
export default defineConfig({
  plugins: [sveltekit()],
})
