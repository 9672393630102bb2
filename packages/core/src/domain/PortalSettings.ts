/**
 * The `portal` object of WORKSPACE_FORMAT.md: every rule an admin configures (P-SET, P-DOM-2,
 * P-AUTH, P-CON, P-VIS, P-ACT, P-LIST-3, P-FORM, P-BRAND-4).
 */
import { Schema } from "effect"
import { FormId, InboxId, ListId, PipelineId, StageId } from "./Ids.ts"
import { SCHEMA_CHECK_MESSAGES } from "./Issues.ts"

export const ListAudience = Schema.Struct({ listIds: Schema.Array(ListId) })
export const Audience = Schema.Union([Schema.Literal("all"), ListAudience])
export type Audience = typeof Audience.Type

export const JwtConfig = Schema.Union([
  Schema.Struct({ algorithm: Schema.Literal("HS256"), secret: Schema.NonEmptyString }),
  Schema.Struct({ algorithm: Schema.Literals(["RS256", "ES256"]), publicKeyPem: Schema.NonEmptyString }),
])
export type JwtConfig = typeof JwtConfig.Type

export const SamlConfig = Schema.Struct({
  entryPoint: Schema.NonEmptyString,
  idpCertPem: Schema.NonEmptyString,
  issuer: Schema.NonEmptyString,
})
export type SamlConfig = typeof SamlConfig.Type

export const OidcConfig = Schema.Struct({
  issuer: Schema.NonEmptyString,
  clientId: Schema.NonEmptyString,
  clientSecret: Schema.NonEmptyString,
})
export type OidcConfig = typeof OidcConfig.Type

export const MembershipSelf = Schema.Struct({
  method: Schema.Literal("membership"),
  registration: Schema.Literal("self"),
})
export const MembershipAccessGroups = Schema.Struct({
  method: Schema.Literal("membership"),
  registration: Schema.Literal("accessGroups"),
  listIds: Schema.Array(ListId),
})
export const SsoJwt = Schema.Struct({
  method: Schema.Literal("sso"),
  protocol: Schema.Literal("jwt"),
  audience: Audience,
  jwt: JwtConfig,
})
export const SsoSaml = Schema.Struct({
  method: Schema.Literal("sso"),
  protocol: Schema.Literal("saml"),
  audience: Audience,
  saml: SamlConfig,
})
export const SsoOidc = Schema.Struct({
  method: Schema.Literal("sso"),
  protocol: Schema.Literal("oidc"),
  audience: Audience,
  oidc: OidcConfig,
})
export const Access = Schema.Union([MembershipSelf, MembershipAccessGroups, SsoJwt, SsoSaml, SsoOidc])
export type Access = typeof Access.Type

export const Consent = Schema.Struct({
  noticeText: Schema.NonEmptyString,
  checkboxLabel: Schema.NonEmptyString,
  legalUrl: Schema.optionalKey(Schema.String),
})
export type Consent = typeof Consent.Type

export const TicketScope = Schema.Union([
  Schema.Literals(["contact", "company"]),
  Schema.Struct({ company: ListAudience }),
])
export type TicketScope = typeof TicketScope.Type

export const TicketFilter = Schema.Struct({
  property: Schema.NonEmptyString,
  operator: Schema.Literals(["in", "notIn"]),
  values: Schema.Array(Schema.String),
})
export type TicketFilter = typeof TicketFilter.Type

export const TicketActions = Schema.Struct({
  allowReplyToClosed: Schema.Boolean,
  allowClose: Schema.Boolean,
  closedStageByPipeline: Schema.optionalKey(Schema.Record(PipelineId, StageId)),
  /** P-EXT-5: the open stage a customer reply moves a closed ticket to, per pipeline; absent: it stays closed. */
  reopenStageByPipeline: Schema.optionalKey(Schema.Record(PipelineId, StageId)),
})
export type TicketActions = typeof TicketActions.Type

export const SupportForm = Schema.Struct({
  formId: FormId,
  menuText: Schema.NonEmptyString,
  headerText: Schema.String,
})
export type SupportForm = typeof SupportForm.Type

export const NavigationItem = Schema.Struct({ label: Schema.NonEmptyString, url: Schema.NonEmptyString })
export type NavigationItem = typeof NavigationItem.Type

export const IdleTimeoutMinutes = Schema.Literals([20, 40, 60, 1440])
export type IdleTimeoutMinutes = typeof IdleTimeoutMinutes.Type

export const StatusDisplay = Schema.Literals(["openClosed", "stages"])
export type StatusDisplay = typeof StatusDisplay.Type

/**
 * P-NOT: which emails the portal sends its customers, and the domain of the reply address
 * (`reply+<token>@<replyDomain>`, P-NOT-5). Absent (or a field absent): every email on, and the
 * reply domain is the portal's first domain.
 */
export const NotificationSettings = Schema.Struct({
  /** P-NOT-1: an agent's message the portal shows. */
  agentMessage: Schema.Boolean,
  /** P-NOT-2: the confirmation of a support-form submission. */
  formConfirmation: Schema.Boolean,
  /** P-NOT-2: an agent closed the ticket. */
  closed: Schema.Boolean,
  replyDomain: Schema.optionalKey(
    Schema.String.check(
      Schema.isPattern(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, {
        message: SCHEMA_CHECK_MESSAGES.invalid_domain,
      }),
    ),
  ),
})
export type NotificationSettings = typeof NotificationSettings.Type

export const PortalSettings = Schema.Struct({
  enabled: Schema.Boolean,
  pageTitle: Schema.String,
  /** P-SET-3; absent: the language's default ("Tickets" / "チケット"). */
  ticketLabel: Schema.optionalKey(Schema.String),
  slug: Schema.String.check(Schema.isPattern(/^[a-z0-9][a-z0-9-]*$/, { message: SCHEMA_CHECK_MESSAGES.invalid_slug })),
  access: Access,
  consent: Schema.optionalKey(Consent),
  ticketScope: TicketScope,
  ticketFilters: Schema.Array(TicketFilter),
  actions: TicketActions,
  defaultInboxId: Schema.NullOr(InboxId),
  statusDisplay: StatusDisplay,
  supportForm: Schema.NullOr(SupportForm),
  navigation: Schema.Array(NavigationItem),
  idleTimeoutMinutes: IdleTimeoutMinutes,
  /**
   * The IANA time zone the portal shows dates in ("Asia/Tokyo", "UTC", "America/New_York");
   * absent: the language's default (rules/Locale.ts: "Asia/Tokyo" for ja, "UTC" for en).
   */
  timeZone: Schema.optionalKey(Schema.String),
  /** P-NOT; absent: every email on (NotificationSettings). */
  notifications: Schema.optionalKey(NotificationSettings),
  /**
   * P-EXT-6: offer "Email me a sign-in link" beside the password (membership portals only);
   * absent: off.
   */
  emailSignIn: Schema.optionalKey(Schema.Boolean),
})
export type PortalSettings = typeof PortalSettings.Type
