/**
 * Finds RegExps built from text that is not a constant. Text from a policy, CloudTrail or Slack
 * is the attacker's to write: as a RegExp it can backtrack for hours (or simply not mean what
 * it says). Wildcards go through `src/domain/wildcard.ts`; RegExps are literals.
 */
import type { Node } from '@babel/types';
import { type SourceFile, parseAll, walk } from './architecture-rules.js';

/** Methods that turn a string argument into a RegExp. */
const REGEXP_METHODS = new Set(['match', 'matchAll', 'search']);

const line = (node: Node): number => node.loc?.start.line ?? 0;

/** Names bound to a RegExp literal anywhere in the tree (`const READ_VERB = /^Get/`). */
function constantRegExps(programs: Node[]): Set<string> {
  const names = new Set<string>();
  for (const program of programs) {
    walk(program, (node) => {
      if (node.type === 'VariableDeclarator' && node.id.type === 'Identifier' && node.init?.type === 'RegExpLiteral') names.add(node.id.name);
    });
  }
  return names;
}

/** A RegExp's source that is fixed in the code: a literal, never an expression. */
function isConstantSource(arg: Node | undefined): boolean {
  if (!arg) return true;
  return arg.type === 'StringLiteral' || arg.type === 'RegExpLiteral' || (arg.type === 'TemplateLiteral' && arg.expressions.length === 0);
}

function breachOf(node: Node, constants: Set<string>): string | undefined {
  if (node.type !== 'NewExpression' && node.type !== 'CallExpression') return undefined;
  const [arg] = node.arguments;
  const { callee } = node;
  if (callee.type === 'Identifier' && callee.name === 'RegExp' && !isConstantSource(arg as Node | undefined)) {
    return `RegExp built from an expression at line ${line(node)}`;
  }
  if (node.type !== 'CallExpression' || callee.type !== 'MemberExpression' || callee.property.type !== 'Identifier') return undefined;
  if (!REGEXP_METHODS.has(callee.property.name)) return undefined;
  const ok = arg?.type === 'RegExpLiteral' || (arg?.type === 'Identifier' && constants.has(arg.name));
  return ok ? undefined : `.${callee.property.name}() on something not a RegExp constant at line ${line(node)}`;
}

/** One line per RegExp made from something other than a constant, `path: what at line n`. */
export function dynamicRegExps(files: SourceFile[]): string[] {
  const parsed = [...parseAll(files).values()];
  const constants = constantRegExps(parsed.map((p) => p.program));
  const found: string[] = [];
  for (const { file, program } of parsed) {
    walk(program, (node) => {
      const breach = breachOf(node, constants);
      if (breach) found.push(`${file.path}: ${breach}`);
    });
  }
  return found;
}
