/**
 * The agent workspace's TicketStore methods on SQL (P-AGT-1..3); core's rules/AgentListing.ts
 * says what they return and the storage contract compares them with it.
 * - The list is ONE query over `tickets` ordered by the sort key the migration keeps on the row
 *   (0008: `state`, `status_key`, `owner_key`, `requester_key`, `subject COLLATE "C"`, the times),
 *   each with an index (workspace, key, ticket_id) and (workspace, state, key, ticket_id): the page
 *   is an index range scan in either direction, stopped at LIMIT; keyset paging is a row comparison
 *   on (key, ticket_id). Names are joined for the page's rows only. The counts per state are a
 *   second query with the same conditions but state.
 * - Writes lock the ticket, check its version (P-AGT-3), write, bump the version once and append
 *   the event (with its pg_notify), in one transaction.
 */
import {
  type AgentMessage,
  type AgentNote,
  type AgentSort,
  type AgentTicketQuery,
  type AgentTicketRow,
  type NoteId,
  type RequesterRef,
  type ThreadHead,
  timeMs,
} from "@portal/core/domain"
import {
  type Conflict,
  type MissingReference,
  noteFilesKey,
  StorageError,
  type StoreError,
  type TicketStoreShape,
  type TicketVersionConflict,
} from "@portal/core/ports"
import {
  authorNames,
  compareCodePoints,
  contactRef,
  encodeAgentCursor,
  escapeLike,
  namedContact,
  parseAgentCursor,
  searchTerm,
} from "@portal/core/rules"
import { Effect, Option } from "effect"
import type { DatabaseShape } from "../Database.ts"
import { type Queryable, toNumber } from "../Driver.ts"
import { Params } from "./TicketList.ts"
import {
  appendEvent,
  bumpVersion,
  checkExist,
  checkVersion,
  lockTicket,
  missing,
  stageExists,
  touchTicket,
  versionOf,
} from "./TicketSql.ts"
import { claimKey, replyTx } from "./TicketWrites.ts"

type AgentMethods = Pick<
  TicketStoreShape,
  "agentList" | "agentRow" | "conversation" | "agentReply" | "agentNote" | "updateTicket"
>
type R = Record<string, unknown>

/** The sort key's SQL (on `tickets t`) and the cast of a cursor's key. */
const SORT_KEYS: Record<AgentSort["column"], { readonly sql: string; readonly cast: string }> = {
  lastActivity: { sql: "t.last_activity_ms", cast: "::bigint" },
  created: { sql: "t.created_ms", cast: "::bigint" },
  subject: { sql: `(t.subject COLLATE "C")`, cast: `::text COLLATE "C"` },
  status: { sql: "t.status_key", cast: "::text" },
  owner: { sql: "t.owner_key", cast: "::text" },
  requester: { sql: "t.requester_key", cast: "::text" },
}

/** Every condition of the query but state and cursor. */
const conditionsOf = (p: Params, ws: string, query: AgentTicketQuery): Array<string> => {
  const c = [`t.workspace_id = ${ws}`]
  if (query.pipelineId !== null) c.push(`t.pipeline_id = ${p.add(query.pipelineId)}`)
  if (query.stageId !== null) c.push(`t.stage_id = ${p.add(query.stageId)}`)
  if (query.owner._tag === "Unassigned") c.push("t.owner_id IS NULL")
  if (query.owner._tag === "Agent") c.push(`t.owner_id = ${p.add(query.owner.agentId)}`)
  if (query.requesterId !== null) c.push(`t.requester_id = ${p.add(query.requesterId)}`)
  if (query.companyId !== null)
    c.push(
      `EXISTS (SELECT 1 FROM ticket_companies tc WHERE tc.workspace_id = t.workspace_id AND tc.ticket_id = t.ticket_id AND tc.company_id = ${p.add(query.companyId)})`,
    )
  const term = searchTerm(query.search)
  if (term !== null) {
    const pattern = p.add(`%${escapeLike(term)}%`)
    c.push(`(t.subject ILIKE ${pattern} ESCAPE '\\' OR t.content ILIKE ${pattern} ESCAPE '\\')`)
  }
  return c
}

/** The SELECT of a row (on a subquery `t` of tickets) with its names joined. */
const ROW_SQL = (from: string, order: string) => `SELECT t.ticket_id, t.subject, t.created_at, t.last_activity_at,
    t.pipeline_id, t.stage_id, t.state, t.version, t.sort_key, pl.label AS pipeline_label, st.label AS stage_label,
    rq.contact_id AS requester_id, rq.email AS requester_email, rq.first_name AS requester_first_name,
    rq.last_name AS requester_last_name, co.company_id AS company_id, co.name AS company_name,
    ow.agent_id AS owner_id, ow.name AS owner_name,
    sat.rating AS satisfaction_rating, sat.comment AS satisfaction_comment, sat.at AS satisfaction_at
  FROM ${from} t
  LEFT JOIN pipelines pl ON pl.workspace_id = t.workspace_id AND pl.pipeline_id = t.pipeline_id
  LEFT JOIN stages st ON st.workspace_id = t.workspace_id AND st.pipeline_id = t.pipeline_id AND st.stage_id = t.stage_id
  LEFT JOIN contacts rq ON rq.workspace_id = t.workspace_id AND rq.contact_id = t.requester_id
  LEFT JOIN companies co ON co.workspace_id = t.workspace_id AND co.company_id = t.company_ids[1]
  LEFT JOIN agents ow ON ow.workspace_id = t.workspace_id AND ow.agent_id = t.owner_id
  LEFT JOIN ticket_satisfaction sat ON sat.workspace_id = t.workspace_id AND sat.ticket_id = t.ticket_id
  ${order}`

const TICKET_FIELDS =
  "t.workspace_id, t.ticket_id, t.subject, t.created_at, t.last_activity_at, t.pipeline_id, t.stage_id, t.state, t.version, t.requester_id, t.owner_id, t.company_ids"

const requesterFrom = (r: R): RequesterRef | null =>
  r.requester_id === null || r.requester_id === undefined
    ? null
    : ({
        ...contactRef(
          namedContact(
            r.requester_id as string,
            r.requester_email as string,
            r.requester_first_name as string | null,
            r.requester_last_name as string | null,
          ),
        ),
        email: r.requester_email,
      } as RequesterRef)

export const agentRowFrom = (r: R): AgentTicketRow =>
  ({
    id: r.ticket_id,
    subject: r.subject,
    requester: requesterFrom(r),
    company: r.company_id === null ? null : { id: r.company_id, name: r.company_name },
    owner: r.owner_id === null ? null : { id: r.owner_id, name: r.owner_name },
    pipeline: { id: r.pipeline_id, label: r.pipeline_label ?? r.pipeline_id },
    stage: { id: r.stage_id, label: r.stage_label ?? r.stage_id },
    state: r.state,
    createdAt: r.created_at,
    lastActivityAt: r.last_activity_at,
    version: toNumber(r.version),
    // P-EXT-2: the customer's rating, once given.
    ...(r.satisfaction_rating === null || r.satisfaction_rating === undefined
      ? {}
      : {
          satisfaction: {
            rating: r.satisfaction_rating,
            ...(r.satisfaction_comment === null ? {} : { comment: r.satisfaction_comment }),
            at: r.satisfaction_at,
          },
        }),
  }) as AgentTicketRow

/** The list's page query and its counts query. */
export const agentListSql = (
  workspaceId: string,
  query: AgentTicketQuery,
  cursor: { key: unknown; id: string } | null,
) => {
  const p = new Params()
  const ws = p.add(workspaceId)
  const where = conditionsOf(p, ws, query)
  const key = SORT_KEYS[query.sort.column]
  const dir = query.sort.direction === "asc" ? "ASC" : "DESC"
  const page = [...where]
  if (query.state !== null) page.push(`t.state = ${p.add(query.state)}`)
  if (cursor !== null)
    page.push(
      `(${key.sql}, t.ticket_id) ${dir === "ASC" ? ">" : "<"} (${p.add(cursor.key)}${key.cast}, ${p.add(cursor.id)}::text)`,
    )
  const limit = p.add(query.limit + 1)
  const inner = `(SELECT ${TICKET_FIELDS}, ${key.sql} AS sort_key FROM tickets t
    WHERE ${page.join("\n      AND ")}
    ORDER BY ${key.sql} ${dir}, t.ticket_id ${dir}
    LIMIT ${limit})`
  const sql = ROW_SQL(inner, `ORDER BY t.sort_key ${dir}, t.ticket_id ${dir}`)
  const cp = new Params()
  const cws = cp.add(workspaceId)
  const counts = `SELECT t.state, count(*)::int AS n FROM tickets t WHERE ${conditionsOf(cp, cws, query).join(" AND ")} GROUP BY t.state`
  return { page: { sql, params: p.values }, counts: { sql: counts, params: cp.values } }
}

const byTimeThenId = <T extends { readonly createdAt: string; readonly id: string }>(a: T, b: T) =>
  timeMs(a.createdAt) - timeMs(b.createdAt) || compareCodePoints(a.id, b.id)

const rowOf = async (q: Queryable, workspaceId: string, ticketId: string) => {
  const [row] = await q.query(
    ROW_SQL(
      `(SELECT ${TICKET_FIELDS}, NULL AS sort_key FROM tickets t WHERE t.workspace_id = $1 AND t.ticket_id = $2)`,
      "",
    ),
    [workspaceId, ticketId],
  )
  return row === undefined ? undefined : agentRowFrom(row)
}

export const makeAgentMethods = (db: DatabaseShape): AgentMethods => ({
  agentList: (workspaceId, query) => {
    const cursor = query.cursor === null ? null : parseAgentCursor(query.cursor, query.sort)
    if (cursor !== null && Option.isNone(cursor))
      return Effect.fail(new StorageError({ method: "TicketStore.agentList", cause: "malformed cursor" }))
    return db.run("TicketStore.agentList", async (q) => {
      const built = agentListSql(workspaceId, query, cursor === null ? null : cursor.value)
      const rows = await q.query(built.page.sql, built.page.params)
      const countRows = await q.query(built.counts.sql, built.counts.params)
      const page = rows.slice(0, query.limit)
      const last = page[page.length - 1]
      const more = rows.length > query.limit && last !== undefined
      const count = (state: string) => toNumber(countRows.find((r) => r.state === state)?.n ?? 0)
      return {
        items: page.map(agentRowFrom),
        nextCursor: more
          ? encodeAgentCursor(query.sort, {
              key:
                query.sort.column === "created" || query.sort.column === "lastActivity"
                  ? toNumber(last.sort_key)
                  : (last.sort_key as string),
              id: last.ticket_id as string,
            })
          : null,
        counts: { open: count("open"), closed: count("closed") },
      }
    })
  },

  agentRow: (workspaceId, ticketId) =>
    db.run("TicketStore.agentRow", async (q) => Option.fromUndefinedOr(await rowOf(q, workspaceId, ticketId))),

  conversation: (workspaceId, ticketId) =>
    db.run("TicketStore.conversation", async (q) => {
      const [ticket] = await q.query<{ contact_ids: Array<string>; company_ids: Array<string> }>(
        "SELECT contact_ids, company_ids FROM tickets WHERE workspace_id = $1 AND ticket_id = $2",
        [workspaceId, ticketId],
      )
      if (ticket === undefined) return { threads: [], notes: [], contacts: [], companies: [] }
      const heads = await q.query(
        `SELECT thread_id, ticket_id, channel, inbox_id, created_at FROM threads
         WHERE workspace_id = $1 AND ticket_id = $2 ORDER BY created_ms, thread_id`,
        [workspaceId, ticketId],
      )
      const files = `(SELECT coalesce(json_agg(json_build_object('id', a.attachment_id, 'name', a.name,
                 'contentType', a.content_type, 'size', a.size) ORDER BY a.position), '[]'::json)
               FROM attachments a WHERE a.workspace_id = $1 AND a.message_id = X) AS attachments`
      const messages = await q.query(
        `SELECT m.thread_id, m.message_id, m.kind, m.created_at, m.author_type, m.author_id, m.text,
           ag.name AS agent_name, c.contact_id AS c_id, c.email AS c_email, c.first_name AS c_first, c.last_name AS c_last,
           ${files.replace("X", "m.message_id")}
         FROM messages m JOIN threads th ON th.workspace_id = m.workspace_id AND th.thread_id = m.thread_id
         LEFT JOIN agents ag ON m.author_type = 'agent' AND ag.workspace_id = m.workspace_id AND ag.agent_id = m.author_id
         LEFT JOIN contacts c ON m.author_type = 'contact' AND c.workspace_id = m.workspace_id AND c.contact_id = m.author_id
         WHERE th.workspace_id = $1 AND th.ticket_id = $2
         ORDER BY m.created_ms, m.message_id`,
        [workspaceId, ticketId],
      )
      const notes = await q.query(
        `SELECT n.note_id, n.author_id, n.created_at, n.text, ag.name AS agent_name, ${files.replace("X", "('note:' || n.note_id)")}
         FROM notes n LEFT JOIN agents ag ON ag.workspace_id = n.workspace_id AND ag.agent_id = n.author_id
         WHERE n.workspace_id = $1 AND n.ticket_id = $2`,
        [workspaceId, ticketId],
      )
      const contacts = await q.query(
        `SELECT c.contact_id, c.email, c.first_name, c.last_name FROM unnest($2::text[]) WITH ORDINALITY AS u(id, n)
         JOIN contacts c ON c.workspace_id = $1 AND c.contact_id = u.id ORDER BY u.n`,
        [workspaceId, ticket.contact_ids],
      )
      const companies = await q.query(
        `SELECT c.company_id, c.name FROM unnest($2::text[]) WITH ORDINALITY AS u(id, n)
         JOIN companies c ON c.workspace_id = $1 AND c.company_id = u.id ORDER BY u.n`,
        [workspaceId, ticket.company_ids],
      )
      const messageOf = (r: R): AgentMessage =>
        ({
          id: r.message_id,
          kind: r.kind,
          createdAt: r.created_at,
          author: { type: r.author_type, id: r.author_id },
          ...(r.author_type === "agent"
            ? { authorName: (r.agent_name as string | null) ?? "" }
            : authorNames(
                r.c_id === null
                  ? null
                  : contactRef(
                      namedContact(
                        r.c_id as string,
                        r.c_email as string,
                        r.c_first as string | null,
                        r.c_last as string | null,
                      ),
                    ),
              )),
          text: r.text,
          attachments: r.attachments,
        }) as AgentMessage
      return {
        threads: heads.map((h) => ({
          ...({
            id: h.thread_id,
            ticketId: h.ticket_id,
            channel: h.channel,
            inboxId: h.inbox_id ?? null,
            createdAt: h.created_at,
          } as ThreadHead),
          messages: messages.filter((m) => m.thread_id === h.thread_id).map(messageOf),
        })),
        notes: notes
          .map(
            (n) =>
              ({
                id: n.note_id,
                authorId: n.author_id,
                authorName: (n.agent_name as string | null) ?? "",
                createdAt: n.created_at,
                text: n.text,
                attachments: n.attachments,
              }) as AgentNote,
          )
          .sort(byTimeThenId),
        contacts: contacts.map(
          (c) =>
            ({
              ...contactRef(
                namedContact(
                  c.contact_id as string,
                  c.email as string,
                  c.first_name as string | null,
                  c.last_name as string | null,
                ),
              ),
              email: c.email,
            }) as RequesterRef,
        ),
        companies: companies.map((c) => ({ id: c.company_id as string, name: c.name as string })),
      }
    }),

  agentReply: (c) => replyTx(db, c),

  agentNote: (c) =>
    db.transaction<{ noteId: NoteId; duplicate: boolean; version: number }, Conflict | TicketVersionConflict>(
      "TicketStore.agentNote",
      async (tx) => {
        const ws = c.workspaceId
        const note = c.note
        const prior = await claimKey(tx, ws, c.idempotency, {
          command: "note",
          ticketId: c.ticketId,
          threadId: "",
          messageId: note.id,
        })
        if (prior !== null)
          return {
            noteId: prior.message_id as NoteId,
            duplicate: true,
            version: await versionOf(tx, ws, prior.ticket_id),
          }
        ;(await lockTicket(tx, ws, c.ticketId)) ?? missing("ticket", c.ticketId)
        await checkVersion(tx, ws, c.ticketId, c.expectedVersion)
        await checkExist(tx, ws, "agent", [note.authorId])
        await tx.query(
          "INSERT INTO notes (workspace_id, note_id, ticket_id, author_id, created_at, text) VALUES ($1, $2, $3, $4, $5, $6)",
          [ws, note.id, c.ticketId, note.authorId, note.createdAt, note.text],
        )
        for (const [i, a] of note.attachments.entries())
          await tx.query(
            `INSERT INTO attachments (workspace_id, attachment_id, message_id, ticket_id, position, name, content_type, size, blob_key)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
            [ws, a.id, noteFilesKey(note.id), c.ticketId, i, a.name, a.contentType, a.size, a.blobKey],
          )
        const version = await bumpVersion(tx, ws, c.ticketId)
        await appendEvent(tx, ws, {
          id: c.eventId,
          kind: "note.added",
          ticketId: c.ticketId,
          messageId: null,
          at: note.createdAt,
        })
        return { noteId: note.id, duplicate: false, version }
      },
    ) as Effect.Effect<
      { noteId: NoteId; duplicate: boolean; version: number },
      StoreError | Conflict | TicketVersionConflict
    >,

  updateTicket: (c) =>
    db.transaction<{ changed: boolean; version: number }, MissingReference | TicketVersionConflict>(
      "TicketStore.updateTicket",
      async (tx) => {
        const ws = c.workspaceId
        const ticket = (await lockTicket(tx, ws, c.ticketId)) ?? missing("ticket", c.ticketId)
        await checkVersion(tx, ws, c.ticketId, c.expectedVersion)
        if (c.stageId !== undefined && !(await stageExists(tx, ws, ticket.pipelineId, c.stageId)))
          missing("stage", c.stageId)
        if (c.ownerId !== undefined && c.ownerId !== null) await checkExist(tx, ws, "agent", [c.ownerId])
        const stageChanged = c.stageId !== undefined && c.stageId !== ticket.stageId
        const ownerChanged = c.ownerId !== undefined && (c.ownerId ?? undefined) !== ticket.ownerId
        if (!stageChanged && !ownerChanged) return { changed: false, version: c.expectedVersion }
        if (ownerChanged)
          await tx.query("UPDATE tickets SET owner_id = $3 WHERE workspace_id = $1 AND ticket_id = $2", [
            ws,
            c.ticketId,
            c.ownerId ?? null,
          ])
        // One bump: the stage change's (it moves the last activity), or the owner's alone.
        const version = stageChanged
          ? await touchTicket(tx, ws, c.ticketId, c.at, c.stageId)
          : await bumpVersion(tx, ws, c.ticketId)
        const base = { ticketId: c.ticketId, messageId: null, at: c.at }
        if (stageChanged) await appendEvent(tx, ws, { ...base, id: c.eventIds.stage, kind: "stageChanged" })
        if (ownerChanged) await appendEvent(tx, ws, { ...base, id: c.eventIds.owner, kind: "ticket.ownerChanged" })
        return { changed: true, version }
      },
    ),
})
