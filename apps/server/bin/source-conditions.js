// A module resolve hook that adds the "source" export condition, so workspace packages
// (@portal/core, @portal/api, …) resolve to their TypeScript sources (run by tsx) and the CLI
// works without a build. Registered by portal.js.
export async function resolve(specifier, context, nextResolve) {
  const conditions = context.conditions.includes("source") ? context.conditions : [...context.conditions, "source"]
  return nextResolve(specifier, { ...context, conditions })
}
