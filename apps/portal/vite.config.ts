import { sveltekit } from "@sveltejs/kit/vite"
import { defaultServerConditions, defineConfig } from "vite"

// The pages reach the API through the caller the server hands over, never by bundling it, and
// the browser code imports only types of the workspace packages. The server code uses a few pure
// functions of @portal/core (people's names): bundled from core's sources ("source" condition),
// so the build never depends on a stale `dist`. `noExternal` matches by package name, so it covers
// core's layer subpaths (`@portal/core/rules`, …) too.
export default defineConfig({
  plugins: [sveltekit()],
  ssr: {
    noExternal: ["@portal/core"],
    resolve: { conditions: ["source", ...defaultServerConditions] },
  },
})
