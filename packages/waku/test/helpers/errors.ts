/** The `code` of what `fn` throws, or 'no error': lets a test assert typed rejections in one line. */
export function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return 'no error';
}
