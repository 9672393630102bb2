/**
 * What every page's frame needs, from the portal settings and the signed-in viewer. Built on the
 * server by the root layout (lib/server/shell.ts) and safe to send to the browser: no secrets.
 */
import type { Lang } from "$lib/i18n"

export interface Branding {
  readonly primaryColor: string | null
  readonly accentColor: string | null
  readonly logoUrl: string | null
  readonly faviconUrl: string | null
}

export interface Viewer {
  readonly type: "contact" | "agent"
  readonly name: string
  readonly email: string
  /** An agent with `portal.settings`. */
  readonly canAdmin: boolean
  /** An agent with `tickets.work`: the agent workspace at /agent (P-AGT-5). */
  readonly canWork: boolean
}

export interface Shell {
  readonly lang: Lang
  readonly workspaceName: string
  readonly pageTitle: string
  /** The ticket display name (P-SET-3), already defaulted per language. */
  readonly ticketLabel: string
  readonly slug: string
  /** The IANA zone every date of the portal is shown in (`portal.info`), on the server and in the browser. */
  readonly timeZone: string
  readonly branding: Branding
  readonly navigation: ReadonlyArray<{ readonly label: string; readonly url: string }>
  readonly supportForm: { readonly menuText: string; readonly headerText: string } | null
  /** P-AUTH-3: the sign-in page shows "Register". */
  readonly selfRegistration: boolean
  readonly passwordSignIn: boolean
  /** P-EXT-6: the sign-in page offers "Email me a sign-in link". */
  readonly emailLink: boolean
  /** SAML / OpenID Connect: where "Continue with single sign-on" goes; null for JWT (started by the team's app). */
  readonly ssoLoginUrl: string | null
  readonly consent: {
    readonly noticeText: string
    readonly checkboxLabel: string
    readonly legalUrl: string | null
  } | null
  readonly idleTimeoutMinutes: number
  /** false: only agents see the portal, as a preview (P-AUTH-7). */
  readonly enabled: boolean
  readonly viewer: Viewer | null
}

/** Relative luminance (WCAG) of #rrggbb. */
const luminance = (hex: string): number => {
  const channel = (i: number) => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
  }
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
}

/** `#rrggbb` (either case), the only colour form the branding takes (core's rules/Branding). */
export const isHexColor = (value: string | null | undefined): value is string =>
  typeof value === "string" && /^#[0-9a-fA-F]{6}$/.test(value)
const isHex = isHexColor

/** WCAG contrast ratio of two #rrggbb colours (1 to 21). */
export const contrastRatio = (a: string, b: string): number => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number]
  return (hi + 0.05) / (lo + 0.05)
}

/** The CSS custom properties of a branding: brand colour, readable text on it, accent. */
export const brandStyle = (branding: Pick<Branding, "primaryColor" | "accentColor">): string => {
  const parts: string[] = []
  if (isHex(branding.primaryColor)) {
    parts.push(`--brand: ${branding.primaryColor}`)
    // White text where it reaches 4.5:1 on the brand colour, near-black otherwise.
    parts.push(`--brand-ink: ${(1.05 / (luminance(branding.primaryColor) + 0.05)) >= 4.5 ? "#ffffff" : "#111827"}`)
  }
  if (isHex(branding.accentColor)) parts.push(`--accent: ${branding.accentColor}`)
  return parts.join("; ")
}
