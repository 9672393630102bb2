// SvelteKit config: adapter-node builds `build/handler.js`, which apps/server mounts after its
// own routes (/trpc, /sso/*, /files/*). The server passes each request's API caller through
// `platform.req.portalRequest` (see src/hooks.server.ts).
import adapter from "@sveltejs/adapter-node"

/** @type {import('@sveltejs/kit').Config} */
export default {
  kit: {
    adapter: adapter({ out: "build", precompress: false }),
    csp: {
      // A nonce in every rendered page (all of them are: nothing is prerendered), a hash in a
      // prerendered one. A fresh random nonce per response allows no more than the hash of the
      // page's inline start script did, and costs no sha256 of that script (with the page's data,
      // ~8 KB on the ticket list) in pure JavaScript on every request (bench:http).
      mode: "auto",
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
