/**
 * How a ticket's status is shown (P-LIST-3).
 * - By default (`statusDisplay: "openClosed"`) only "Open" or "Closed", from the state of the
 *   ticket's stage. The rule returns the state, not English text: the UI translates it through
 *   its message catalog (P-DOM-4), e.g. `status.open` → "Open" / "対応中".
 * - With `statusDisplay: "stages"` the pipeline's stage label, shown as the admin typed it.
 * The same label appears in the list (P-LIST-2's status column) and on the detail page.
 */
import type { StageState } from "../domain/Entities.ts"
import type { StatusDisplay } from "../domain/PortalSettings.ts"
import type { TicketStatus } from "../domain/ReadModels.ts"

/** What the status column shows: a state to translate, or a stage label to show as is. */
export type StatusLabel =
  | { readonly kind: "state"; readonly state: StageState }
  | { readonly kind: "stage"; readonly label: string; readonly state: StageState }

export const statusLabel = (status: Pick<TicketStatus, "state" | "stageLabel">, display: StatusDisplay): StatusLabel =>
  display === "stages"
    ? { kind: "stage", label: status.stageLabel, state: status.state }
    : { kind: "state", state: status.state }

/** The message-catalog key of a state label (the UI owns the texts). */
export const stateMessageKey = (state: StageState): "status.open" | "status.closed" =>
  state === "open" ? "status.open" : "status.closed"

/**
 * A plain-text fallback for places without a catalog (logs, CSV export, tests).
 * Prefer translating `StatusLabel` in the UI.
 */
export const statusText = (label: StatusLabel): string =>
  label.kind === "stage" ? label.label : label.state === "open" ? "Open" : "Closed"
