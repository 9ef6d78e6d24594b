// A Stryker ignorer: the human-readable message of a typed error is prose, not behaviour. Callers and tests
// rely on the error's `code` and `details` (those stay mutated); mutating the wording ("" for the text) would
// only ask tests to repeat every message verbatim. A string or template literal is skipped when it is an
// argument of `new SomethingError(...)`, of a call that also passes an error code (`XErrorCode.Member` or a
// literal 'ERR_...'), or of the call a `throw` throws (`throw invalid('...')`). Strings inside a details
// object are not direct arguments, so they stay mutated.

const isErrorCode = (node) =>
  (node.type === 'MemberExpression' &&
    node.object.type === 'Identifier' &&
    /ErrorCode$/.test(node.object.name)) ||
  (node.type === 'StringLiteral' && node.value.startsWith('ERR_'));

const calleeName = (callee) =>
  callee.type === 'Identifier' ? callee.name : callee.type === 'MemberExpression' ? callee.property.name : '';

const errorMessages = {
  shouldIgnore(path) {
    const { node, parent } = path;
    if (node.type !== 'StringLiteral' && node.type !== 'TemplateLiteral') return undefined;
    if (!parent || (parent.type !== 'NewExpression' && parent.type !== 'CallExpression')) return undefined;
    if (!parent.arguments.includes(node) || isErrorCode(node)) return undefined;
    const thrown = path.parentPath?.parent?.type === 'ThrowStatement';
    const typedError =
      thrown || /Error$/.test(calleeName(parent.callee)) || parent.arguments.some(isErrorCode);
    return typedError ? 'the message text of a typed error (its code and details are tested)' : undefined;
  },
};

export const strykerPlugins = [{ kind: 'Ignore', name: 'error-messages', value: errorMessages }];
