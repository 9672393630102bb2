// @portal/core/domain: every module of packages/core/src/domain. Import core by layer
// (`@portal/core/domain`, `/ports`, `/rules`, `/usecases`); there is no flat root export.
// Written by the exports codemod (issue 9); a new module of this folder gets its line here.

export * from "./AgentModels.ts"
export * from "./Caller.ts"
export * from "./CheckedText.ts"
export * from "./DocumentReferences.ts"
export * from "./Entities.ts"
export * from "./IdSet.ts"
export * from "./Ids.ts"
export * from "./Issues.ts"
export * from "./Merge.ts"
export * from "./PortalSettings.ts"
export * from "./ReadModels.ts"
export * from "./WorkspaceDocument.ts"
