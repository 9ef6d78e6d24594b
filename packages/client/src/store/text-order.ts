/**
 * Compares two well-formed strings in code point order, which is the order of their UTF-8 bytes: the order
 * SQLite's default (BINARY) collation gives TEXT. Plain `<` compares UTF-16 units, which puts U+E000–U+FFFF
 * after the surrogate pairs of U+10000 and above; the memory store sorts with this so that both stores list
 * ids in the same order.
 */
export function compareText(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

// Surrogates (D800–DFFF) move above E000–FFFF, which move down to make room: the order of code points.
function codePointRank(unit: number): number {
  if (unit >= 0xe000) return unit - 0x800;
  if (unit >= 0xd800) return unit + 0x2000;
  return unit;
}
