/**
 * A set of strings in little memory, for the ids an import keeps to check a document's
 * references and duplicates (docs/storage-postgres.md, "Import at scale"). A JavaScript Set of
 * 3,000,000 message ids takes about 150 MB of heap; this one keeps the strings' UTF-16 code
 * units in one growing Uint16Array (a length, then the units) and open addressing over their
 * offsets (load at most 1/2): about 30 bytes an 8-character id. Exact: no hash is trusted alone.
 */
export class IdSet {
  private units = new Uint16Array(1 << 12)
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
    this.ensureUnits(id.length + 1)
    const offset = this.used
    this.units[offset] = id.length
    for (let i = 0; i < id.length; i++) this.units[offset + 1 + i] = id.charCodeAt(i)
    this.used += id.length + 1
    this.slots[at] = offset
    this.count += 1
    if (this.count * 2 > this.slots.length) this.grow()
    return true
  }

  has(id: string): boolean {
    return this.slots[this.find(id)] !== 0
  }

  private static hash(id: string): number {
    let h = 0x811c9dc5
    for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193)
    return h >>> 0
  }

  private equals(offset: number, id: string): boolean {
    if (this.units[offset] !== id.length) return false
    for (let i = 0; i < id.length; i++) if (this.units[offset + 1 + i] !== id.charCodeAt(i)) return false
    return true
  }

  /** The slot holding `id`, or the empty slot where it would go. */
  private find(id: string): number {
    const mask = this.slots.length - 1
    let at = IdSet.hash(id) & mask
    for (;;) {
      const offset = this.slots[at] as number
      if (offset === 0 || this.equals(offset, id)) return at
      at = (at + 1) & mask
    }
  }

  private ensureUnits(n: number) {
    if (this.used + n <= this.units.length) return
    let size = this.units.length * 2
    while (this.used + n > size) size *= 2
    const next = new Uint16Array(size)
    next.set(this.units.subarray(0, this.used))
    this.units = next
  }

  private grow() {
    const old = this.slots
    this.slots = new Int32Array(old.length * 2)
    const mask = this.slots.length - 1
    for (const offset of old) {
      if (offset === 0) continue
      const length = this.units[offset] as number
      let h = 0x811c9dc5
      for (let i = 0; i < length; i++) h = Math.imul(h ^ (this.units[offset + 1 + i] as number), 0x01000193)
      let at = (h >>> 0) & mask
      while (this.slots[at] !== 0) at = (at + 1) & mask
      this.slots[at] = offset
    }
  }
}
