/**
 * @portal/storage-postgres: every store port of @portal/core on PostgreSQL, through one code
 * path over two drivers: a PostgreSQL server (`pg`, DATABASE_URL) or embedded PGlite (a data
 * folder, PORTAL_DATA_DIR). Same SQL, same migrations. See docs/storage-postgres.md.
 */

export { sqlBackdoor, tableCounts } from "./Backdoor.ts"
export {
  exportText,
  exportWorkspace,
  type FileProgress,
  type ImportFileOptions,
  importFile,
  migrate,
  readJsonFile,
} from "./Cli.ts"
export { Database, type DatabaseShape, layerDatabase, makeDatabase } from "./Database.ts"
export type { Driver, Queryable, Row } from "./Driver.ts"
export { isUnavailable, toStoreError } from "./Errors.ts"
export { type ImportProgress, importChunks, type StreamImportOptions } from "./ImportStream.ts"
export { type DocumentEvent, DocumentSplitter } from "./JsonEvents.ts"
export {
  layerPglite,
  layerPostgres,
  layerStores,
  layerWithDriver,
  openDriver,
  type StorageOptions,
} from "./Layers.ts"
export { type Migration, type MigrationReport, migrations, runMigrations, schemaVersion } from "./Migrations.ts"
export { makePgDriver, type PgDriverOptions } from "./PgDriver.ts"
export { DataDirLocked, LOCK_FILE, lockDataDir, makePgliteDriver, type PgliteLocation } from "./PgliteDriver.ts"
