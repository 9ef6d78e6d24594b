/**
 * Mentions are written in the text as `@0x04…` (the mentioned key, 130 hex digits after `0x`); status-go
 * finds them with its markdown parser (status-im/markdown `mention`): `@`, then `0x` and exactly 130
 * lowercase hex digits, then the end of the text, a space or one of `.,:;`. Text inside inline code
 * spans and fenced code blocks is not parsed, so mentions there do not count.
 */
const MENTION_KEY_LENGTH = 132; // `0x` + 130 hex digits
const MENTION = /@(0x[0-9a-f]{130})(?=$|[\t\n\v\f\r .,:;])/g;
const CODE = /```[\s\S]*?```|`[^`\n]*`/g;

/** The keys (`0x04…` strings) mentioned in `text`, in order of appearance, without duplicates. */
export function extractMentions(text: string): string[] {
  const withoutCode = text.includes('`') ? text.replace(CODE, (code) => ' '.repeat(code.length)) : text;
  const found = new Set<string>();
  for (const match of withoutCode.matchAll(MENTION)) {
    const key = match[1];
    if (key !== undefined && key.length === MENTION_KEY_LENGTH) found.add(key);
  }
  return [...found];
}

/** The text that mentions `key` (a `0x04…` 1:1 chat id): `@0x04…`. Follow it with a space or punctuation. */
export function mentionText(key: string): string {
  return `@${key}`;
}
