// @portal/core/ports: every module of packages/core/src/ports. Import core by layer
// (`@portal/core/domain`, `/ports`, `/rules`, `/usecases`); there is no flat root export.
// Written by the exports codemod (issue 9); a new module of this folder gets its line here.

export * from "./ApiTokenStore.ts"
export * from "./BlobStore.ts"
export * from "./CatalogCache.ts"
export * from "./ContactStore.ts"
export * from "./Errors.ts"
export * from "./EventWakeups.ts"
export * from "./Outbox.ts"
export * from "./SecurityStore.ts"
export * from "./SessionStore.ts"
export * from "./SettingsStore.ts"
export * from "./StorePorts.ts"
export * from "./System.ts"
export * from "./TicketStore.ts"
export * from "./WebhookStore.ts"
export * from "./WorkspaceStore.ts"
