/**
 * P-AUTH-1 (hole 12b): a short built-in list of passwords that attackers try first, refused as
 * new passwords by `passwordIssues` (Credentials.ts). Entries are lowercase; the rule compares
 * case-insensitively and also refuses an entry followed only by digits and common symbols
 * ("password1234", "Welcome2026!"), so short entries still matter under the 10-character rule.
 * Kept small on purpose (a few hundred words, no download): the length rule does the rest.
 */

/** Whitespace-separated entries; lines starting with "#" are headings. */
const LIST = `
# Words and phrases
password passw0rd p@ssword p@ssw0rd pass passwd password1 mypassword
secret secure security letmein letmeinplease welcome welcomehome hello
helloworld iloveyou iloveu loveme lovely love trustno1 trustnoone
changeme changeit default temp temporary tempuser guest user username
login admin administrator root toor master superman batman spiderman
ironman starwars pokemon naruto princess sunshine shadow monkey
dragon football baseball basketball soccer hockey golf tennis jordan
michael michelle jennifer jessica ashley daniel andrew joshua thomas
robert charlie george harley hunter ranger buster tigger ginger
pepper maggie cookie chocolate cheese banana orange apple summer
winter spring autumn flower freedom whatever nothing something
anything qwerty qwertyuiop qwerty123 qwertz azerty asdf asdfgh
asdfghjkl zxcvbn zxcvbnm qazwsx qazwsxedc 1qaz2wsx 1q2w3e4r 1q2w3e4r5t
q1w2e3r4 q1w2e3r4t5 abc abcd abcdef abcdefg abcdefgh abcdefghij
abc123 a1b2c3 aaaaaa computer internet google facebook twitter
microsoft windows apple123 samsung iphone android killer matrix
mustang ferrari porsche corvette mercedes yankees liverpool chelsea
arsenal barcelona madrid london paris tokyo osaka japan nippon
america canada england germany france china india hannah silver
golden diamond purple yellow blue green red black white angel
angels heaven jesus christ blessed faith family friends friend
forever always together happy smile lucky money business company
office work school student teacher doctor family123 music guitar
piano dance party beer coffee pizza computer1 letmein1 access
accessdenied allow open opensesame sesame private public system
server database oracle mysql postgres support service helpdesk
customer portal account myaccount newpassword oldpassword yourpassword
thepassword nopassword passwordpassword test testing tester test1234
demo example sample qwerty12345 iloveyou1 starwars1 baseball1 football1
# Keyboard and number runs (the rule also accepts them with trailing digits)
1234 12345 123456 1234567 12345678 123456789
1234567890 0123456789 9876543210 987654321 11111111 00000000 111111
000000 121212 123123 123321 654321 666666 696969 777777 888888
112233 147258369 159753 1qazxsw2 zaq12wsx !qaz2wsx qweasd qweasdzxc
asdasd zxczxc qweqwe aaaaaaaaaa abcabc xxxxxx zzzzzz
# Japanese favourites, romanized and in kana
sakura doraemon pikachu totoro ganbare daisuki aishiteru himitsu
kawaii ohayou konnichiwa arigatou pasuwado pasuwaado ぱすわーど パスワード
あいしてる だいすき さくら
`

export const COMMON_PASSWORDS: ReadonlyArray<string> = LIST.split("\n")
  .filter((line) => !line.startsWith("#"))
  .flatMap((line) => line.split(" "))
  .filter((word) => word.length > 0)

const COMMON = new Set(COMMON_PASSWORDS)

/** Only digits and the symbols people tack on at the end ("2026!", "123#"). */
const SUFFIX = /^[0-9!@#$%^&*.?_\-+=~]*$/u

/** Is this password a listed one, ignoring case and surrounding spaces, maybe followed by digits/symbols? */
export const isCommonPassword = (password: string): boolean => {
  const p = password.trim().toLowerCase()
  for (let end = p.length; end > 0; end--) if (COMMON.has(p.slice(0, end)) && SUFFIX.test(p.slice(end))) return true
  return false
}
