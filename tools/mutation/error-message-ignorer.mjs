// A Stryker ignorer: the human-readable message of a typed error is prose, not behaviour. Callers and tests
// rely on the error's `code` and `details` (those stay mutated); mutating the wording ("" for the text) would
// only ask tests to repeat every message verbatim. A string or template literal is skipped when it is an
// argument of `new SomethingError(...)`, of a call that also passes an error code (`XErrorCode.Member` or a
// literal 'ERR_...'), of the call a `throw` throws (`throw invalid('...')`), or the first argument (the
// message) of a call to a function of the same file declared to return `never` (`invalid('...')` where
// `function invalid(message, details): never` throws). Strings inside a details object are not direct
// arguments, so they stay mutated.

const isErrorCode = (node) =>
  (node.type === 'MemberExpression' &&
    node.object.type === 'Identifier' &&
    /ErrorCode$/.test(node.object.name)) ||
  (node.type === 'StringLiteral' && node.value.startsWith('ERR_'));

const calleeName = (callee) =>
  callee.type === 'Identifier' ? callee.name : callee.type === 'MemberExpression' ? callee.property.name : '';

/** Whether `callee` names a function declared in this file with return type `never` (a throw helper). */
function isThrowHelper(path, callee) {
  if (callee.type !== 'Identifier') return false;
  const declaration = path.scope.getBinding(callee.name)?.path.node;
  const fn = declaration?.type === 'VariableDeclarator' ? declaration.init : declaration;
  if (!fn || !/Function|ArrowFunction/.test(fn.type)) return false;
  return fn.returnType?.typeAnnotation?.type === 'TSNeverKeyword';
}

const errorMessages = {
  shouldIgnore(path) {
    const { node, parent } = path;
    if (node.type !== 'StringLiteral' && node.type !== 'TemplateLiteral') return undefined;
    if (!parent || (parent.type !== 'NewExpression' && parent.type !== 'CallExpression')) return undefined;
    if (!parent.arguments.includes(node) || isErrorCode(node)) return undefined;
    const thrown = path.parentPath?.parent?.type === 'ThrowStatement';
    const typedError =
      thrown ||
      /Error$/.test(calleeName(parent.callee)) ||
      parent.arguments.some(isErrorCode) ||
      (parent.arguments[0] === node && isThrowHelper(path, parent.callee));
    return typedError ? 'the message text of a typed error (its code and details are tested)' : undefined;
  },
};

export const strykerPlugins = [{ kind: 'Ignore', name: 'error-messages', value: errorMessages }];
