// SvelteKit config: adapter-node builds `build/handler.js`, which apps/server mounts after its
// own routes (/trpc, /sso/*, /files/*). The server passes each request's API caller through
// `platform.req.portalRequest` (see src/hooks.server.ts).
import adapter from "@sveltejs/adapter-node"

/** @type {import('@sveltejs/kit').Config} */
export default {
  kit: {
    adapter: adapter({ out: "build", precompress: false }),
    csp: {
      mode: "hash",
      directives: {
        "default-src": ["self"],
        "img-src": ["self", "data:", "https:"],
        "style-src": ["self", "unsafe-inline"],
        "script-src": ["self"],
        "object-src": ["none"],
        "base-uri": ["self"],
        "form-action": ["self"],
        "frame-ancestors": ["none"],
      },
    },
  },
}
