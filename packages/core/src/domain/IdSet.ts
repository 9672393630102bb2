/**
 * A set of strings in little memory, for the ids an import keeps to check a document's
 * references and duplicates (docs/storage-postgres.md, "Import at scale"). A JavaScript Set of
 * 3,000,000 message ids takes about 150 MB of heap; this one keeps the strings in one growing
 * byte buffer and open addressing over their offsets (load at most 3/4): about 17 bytes an
 * 8-character id. A string of at most 127 Latin-1 characters takes a length byte and a byte a
 * character; any other, a marker, 4 bytes of length and 2 bytes a UTF-16 code unit. Exact:
 * equal hashes are always compared character by character.
 */
export class IdSet {
  private bytes = new Uint8Array(1 << 12)
  private used = 1 // offset 0 means "empty slot"
  private slots = new Int32Array(1 << 8)
  private count = 0

  get size(): number {
    return this.count
  }

  /** Adds `id`; false when it was already there. */
  add(id: string): boolean {
    const at = this.find(id)
    if (this.slots[at] !== 0) return false
    const offset = this.used
    const short = id.length < 0x80 && isLatin1(id)
    const need = short ? 1 + id.length : 5 + 2 * id.length
    if (this.used + need > this.bytes.length) this.ensure(need)
    const bytes = this.bytes
    if (short) {
      bytes[offset] = id.length
      for (let i = 0; i < id.length; i++) bytes[offset + 1 + i] = id.charCodeAt(i)
    } else {
      bytes[offset] = 0x80
      new DataView(bytes.buffer).setUint32(offset + 1, id.length, true)
      for (let i = 0; i < id.length; i++) {
        const unit = id.charCodeAt(i)
        bytes[offset + 5 + 2 * i] = unit & 0xff
        bytes[offset + 6 + 2 * i] = unit >>> 8
      }
    }
    this.used += need
    this.slots[at] = offset
    this.count += 1
    if (this.count * 4 > this.slots.length * 3) this.grow()
    return true
  }

  has(id: string): boolean {
    return this.slots[this.find(id)] !== 0
  }

  /** The string stored at `offset`, one code unit at a time (for the hash when growing). */
  private unitsAt(offset: number): { readonly length: number; readonly unit: (i: number) => number } {
    const bytes = this.bytes
    if (bytes[offset] !== 0x80) return { length: bytes[offset] as number, unit: (i) => bytes[offset + 1 + i] as number }
    const length = new DataView(bytes.buffer).getUint32(offset + 1, true)
    return {
      length,
      unit: (i) => (bytes[offset + 5 + 2 * i] as number) | ((bytes[offset + 6 + 2 * i] as number) << 8),
    }
  }

  private equals(offset: number, id: string): boolean {
    const bytes = this.bytes
    const head = bytes[offset] as number
    if (head !== 0x80) {
      if (head !== id.length) return false
      for (let i = 0; i < id.length; i++) if (bytes[offset + 1 + i] !== id.charCodeAt(i)) return false
      return true
    }
    const stored = this.unitsAt(offset)
    if (stored.length !== id.length || (id.length < 0x80 && isLatin1(id))) return false
    for (let i = 0; i < id.length; i++) if (stored.unit(i) !== id.charCodeAt(i)) return false
    return true
  }

  /** The slot holding `id`, or the empty slot where it would go. */
  private find(id: string): number {
    const mask = this.slots.length - 1
    let h = FNV_OFFSET
    for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), FNV_PRIME)
    let at = mix(h) & mask
    for (;;) {
      const offset = this.slots[at] as number
      if (offset === 0 || this.equals(offset, id)) return at
      at = (at + 1) & mask
    }
  }

  private ensure(need: number) {
    let size = this.bytes.length
    // Grow by half: a power-of-two doubling would leave up to half of a large buffer unused.
    while (this.used + need > size) size = Math.ceil(size * 1.5)
    const next = new Uint8Array(size)
    next.set(this.bytes.subarray(0, this.used))
    this.bytes = next
  }

  private grow() {
    const old = this.slots
    this.slots = new Int32Array(old.length * 2)
    const mask = this.slots.length - 1
    for (const offset of old) {
      if (offset === 0) continue
      const { length, unit } = this.unitsAt(offset)
      let h = FNV_OFFSET
      for (let i = 0; i < length; i++) h = Math.imul(h ^ unit(i), FNV_PRIME)
      let at = mix(h) & mask
      while (this.slots[at] !== 0) at = (at + 1) & mask
      this.slots[at] = offset
    }
  }
}

const FNV_OFFSET = 0x811c9dc5
const FNV_PRIME = 0x01000193

/** MurmurHash3's finalizer: FNV-1a alone clusters ids that differ in one character ("m1a", "m2a"). */
const mix = (h: number): number => {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b)
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35)
  return (h ^ (h >>> 16)) >>> 0
}

const isLatin1 = (s: string): boolean => {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0xff) return false
  return true
}
