import { builtinModules } from 'node:module';
import { posix } from 'node:path';
import { parse } from '@babel/parser';
import type { Node } from '@babel/types';

/** One source file, its path relative to the project root with `/` separators. */
export interface SourceFile {
  path: string;
  text: string;
}

/** The rules a tree is checked against, as named in breaches and allow-lists. */
export type Rule = 'file-length' | 'function-length' | 'handler-length' | 'import-cycle' | 'layer';

/** One breach of a limit, with enough to find it: the file, what broke the rule, and its size or path. */
export interface Breach {
  rule: Rule;
  file: string;
  subject: string;
  detail: string;
}

/** The limits a source tree is held to. */
export interface Limits {
  maxFileLines: number;
  maxFunctionLines: number;
  maxHandlerLines: number;
}

/** Bolt's registration methods: the function passed to `app.<method>(…)` is a listener. */
const BOLT_METHODS = new Set(['command', 'action', 'event', 'shortcut', 'view', 'message', 'options']);
const BUILTINS = new Set(builtinModules);
// Position and comment fields repeat the tree or carry no code: the walk skips them.
const SKIPPED_KEYS = new Set(['loc', 'start', 'end', 'extra', 'comments', 'leadingComments', 'trailingComments', 'innerComments', 'range']);

interface Parsed {
  file: SourceFile;
  program: Node;
  imports: string[];
}

/** Parses each file as TypeScript; a syntax error names the file. */
export function parseAll(files: SourceFile[]): Map<string, Parsed> {
  const parsed = new Map<string, Parsed>();
  for (const file of files) {
    let ast;
    try {
      ast = parse(file.text, { sourceType: 'module', plugins: ['typescript'] });
    } catch (err) {
      throw new Error(`${file.path}: ${(err as Error).message}`);
    }
    parsed.set(file.path, { file, program: ast.program, imports: importSpecifiers(ast.program) });
  }
  return parsed;
}

export type Visitor = (node: Node, parent: Node | undefined) => void;

export function walk(node: Node, visit: Visitor, parent?: Node): void {
  visit(node, parent);
  for (const [key, value] of Object.entries(node)) {
    if (SKIPPED_KEYS.has(key)) continue;
    const children = Array.isArray(value) ? value : [value];
    for (const child of children) {
      if (child && typeof child === 'object' && typeof (child as Node).type === 'string') walk(child as Node, visit, node);
    }
  }
}

function lineCount(node: Node): number {
  return node.loc ? node.loc.end.line - node.loc.start.line + 1 : 0;
}

/** Every module a file names: static imports and re-exports (type-only too), `import()` calls and `import('…')` types. */
function importSpecifiers(program: Node): string[] {
  const specifiers: string[] = [];
  walk(program, (node) => {
    switch (node.type) {
      case 'ImportDeclaration':
      case 'ExportAllDeclaration':
        specifiers.push(node.source.value);
        break;
      case 'ExportNamedDeclaration':
        if (node.source) specifiers.push(node.source.value);
        break;
      case 'TSImportType':
        specifiers.push(node.argument.value);
        break;
      case 'TSImportEqualsDeclaration':
        if (node.moduleReference.type === 'TSExternalModuleReference') specifiers.push(node.moduleReference.expression.value);
        break;
      case 'CallExpression':
        if (node.callee.type === 'Import' && node.arguments[0]?.type === 'StringLiteral') specifiers.push(node.arguments[0].value);
        break;
      default:
    }
  });
  return specifiers;
}

/** Where an import leads: a file of the tree, a node built-in, or a package. */
export type Target = { kind: 'file'; path: string } | { kind: 'builtin' } | { kind: 'package'; name: string } | { kind: 'missing'; path: string };

function resolve(from: string, specifier: string, known: Set<string>): Target {
  if (!specifier.startsWith('.')) {
    return specifier.startsWith('node:') || BUILTINS.has(specifier.split('/')[0] ?? '') ? { kind: 'builtin' } : { kind: 'package', name: specifier };
  }
  const base = posix.normalize(posix.join(posix.dirname(from), specifier));
  const stem = base.replace(/\.(js|ts)$/, '');
  for (const candidate of [`${stem}.ts`, `${base}/index.ts`]) {
    if (known.has(candidate)) return { kind: 'file', path: candidate };
  }
  return { kind: 'missing', path: base };
}

/** Files longer than the limit, counted as `wc -l` counts them. */
export function longFiles(files: SourceFile[], max: number): Breach[] {
  return files
    .map((f) => ({ f, lines: f.text.endsWith('\n') ? f.text.split('\n').length - 1 : f.text.split('\n').length }))
    .filter(({ lines }) => lines > max)
    .map(({ f, lines }) => ({ rule: 'file-length' as const, file: f.path, subject: '(file)', detail: `${lines} lines > ${max}` }));
}

function isFunction(node: Node): boolean {
  return ['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression', 'ClassMethod', 'ClassPrivateMethod', 'ObjectMethod'].includes(node.type);
}

function keyName(key: Node): string {
  if (key.type === 'Identifier') return key.name;
  if (key.type === 'PrivateName') return `#${key.id.name}`;
  if (key.type === 'StringLiteral' || key.type === 'NumericLiteral') return String(key.value);
  return '[computed]';
}

/** A readable name for a function: its own, its variable's or property's, or where it stands. */
function functionName(node: Node, parent: Node | undefined, className: string | undefined): string {
  const line = node.loc?.start.line ?? 0;
  if ((node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression') && node.id) return node.id.name;
  if (node.type === 'ClassMethod' || node.type === 'ClassPrivateMethod') return `${className ?? '(class)'}.${keyName(node.key)}`;
  if (node.type === 'ObjectMethod') return keyName(node.key);
  if (parent?.type === 'VariableDeclarator' && parent.id.type === 'Identifier') return parent.id.name;
  if ((parent?.type === 'ObjectProperty' || parent?.type === 'ClassProperty') && parent.value === node) return keyName(parent.key);
  if (parent?.type === 'CallExpression' && parent.callee.type === 'MemberExpression') return `(callback of .${keyName(parent.callee.property)} at line ${line})`;
  return `(anonymous at line ${line})`;
}

/** Functions of any form (declarations, methods, arrows, expressions) longer than the limit. */
export function longFunctions(parsed: Map<string, Parsed>, max: number): Breach[] {
  const breaches: Breach[] = [];
  for (const { file, program } of parsed.values()) {
    const classes: Array<{ start: number; end: number; name: string | undefined }> = [];
    walk(program, (node, parent) => {
      if (node.type === 'ClassDeclaration' || node.type === 'ClassExpression') classes.push({ start: node.start!, end: node.end!, name: node.id?.name });
      if (!isFunction(node)) return;
      const lines = lineCount(node);
      if (lines <= max) return;
      const owner = classes.filter((c) => c.start <= node.start! && node.end! <= c.end).at(-1);
      breaches.push({ rule: 'function-length', file: file.path, subject: functionName(node, parent, owner?.name), detail: `${lines} lines > ${max}` });
    });
  }
  return breaches;
}

function isBoltRegistration(node: Node): node is Node & { type: 'CallExpression' } {
  if (node.type !== 'CallExpression' || node.callee.type !== 'MemberExpression') return false;
  const { object, property } = node.callee;
  const receiverIsApp = (object.type === 'Identifier' && object.name === 'app')
    || (object.type === 'MemberExpression' && object.property.type === 'Identifier' && object.property.name === 'app');
  return receiverIsApp && property.type === 'Identifier' && BOLT_METHODS.has(property.name);
}

/** The top-level function a file declares under `name` (declaration or `const name = () => …`), or where it imports it from. */
function findDeclared(program: Node, name: string): { fn: Node } | { importedFrom: string; exported: string } | undefined {
  if (program.type !== 'Program') return undefined;
  for (const statement of program.body) {
    const declaration = statement.type === 'ExportNamedDeclaration' && statement.declaration ? statement.declaration : statement;
    if (declaration.type === 'FunctionDeclaration' && declaration.id?.name === name) return { fn: declaration };
    if (declaration.type === 'VariableDeclaration') {
      for (const d of declaration.declarations) {
        if (d.id.type === 'Identifier' && d.id.name === name && d.init && isFunction(d.init)) return { fn: d.init };
      }
    }
    if (declaration.type === 'ImportDeclaration') {
      for (const s of declaration.specifiers) {
        if (s.type === 'ImportSpecifier' && s.local.name === name) {
          return { importedFrom: declaration.source.value, exported: s.imported.type === 'Identifier' ? s.imported.name : s.imported.value };
        }
      }
    }
  }
  return undefined;
}

/** Follows a handler named by an identifier to the function it names, across imports. */
function resolveHandler(parsed: Map<string, Parsed>, file: string, name: string, depth = 0): { file: string; fn: Node } | undefined {
  const here = parsed.get(file);
  const found = here && depth < 5 ? findDeclared(here.program, name) : undefined;
  if (!found) return undefined;
  if ('fn' in found) return { file, fn: found.fn };
  const target = resolve(file, found.importedFrom, new Set(parsed.keys()));
  return target.kind === 'file' ? resolveHandler(parsed, target.path, found.exported, depth + 1) : undefined;
}

/** The function a handler factory returns: its expression body, or a `return` at the top of its block. */
function returnedFunction(factory: Node): Node | undefined {
  if (!('body' in factory) || !factory.body || typeof factory.body !== 'object' || !('type' in factory.body)) return undefined;
  const body = factory.body as Node;
  if (isFunction(body)) return body;
  if (body.type !== 'BlockStatement') return undefined;
  const returned = body.body.find((s) => s.type === 'ReturnStatement' && s.argument && isFunction(s.argument));
  return returned?.type === 'ReturnStatement' ? returned.argument ?? undefined : undefined;
}

/** The listener an argument of a registration stands for: inline, named, or made by a named factory (`onCommand(services)`). */
function handlerOf(parsed: Map<string, Parsed>, file: string, arg: Node): { file: string; fn: Node } | undefined {
  if (isFunction(arg)) return { file, fn: arg };
  if (arg.type === 'Identifier') return resolveHandler(parsed, file, arg.name);
  if (arg.type !== 'CallExpression' || arg.callee.type !== 'Identifier') return undefined;
  const factory = resolveHandler(parsed, file, arg.callee.name);
  const fn = factory && returnedFunction(factory.fn);
  return factory && fn ? { file: factory.file, fn } : undefined;
}

/** Bolt listeners (the functions passed to `app.command`, `app.action` …) longer than the limit. */
export function longHandlers(parsed: Map<string, Parsed>, max: number): Breach[] {
  const breaches: Breach[] = [];
  for (const { file, program } of parsed.values()) {
    walk(program, (node) => {
      if (!isBoltRegistration(node)) return;
      const method = node.callee.type === 'MemberExpression' ? keyName(node.callee.property) : '?';
      for (const arg of node.arguments.slice(1)) {
        const handler = handlerOf(parsed, file.path, arg);
        if (!handler) continue;
        const lines = lineCount(handler.fn);
        if (lines <= max) continue;
        const where = handler.file === file.path ? '' : ` (defined in ${handler.file})`;
        breaches.push({ rule: 'handler-length', file: file.path, subject: `app.${method} handler at line ${node.loc?.start.line}${where}`, detail: `${lines} lines > ${max}` });
      }
    });
  }
  return breaches;
}

/** The import graph of the tree: file → files it imports (type-only imports included). */
export function importGraph(parsed: Map<string, Parsed>): Map<string, string[]> {
  const known = new Set(parsed.keys());
  const graph = new Map<string, string[]>();
  for (const [path, { imports }] of parsed) {
    const targets = imports.map((s) => resolve(path, s, known)).flatMap((t) => (t.kind === 'file' ? [t.path] : []));
    graph.set(path, [...new Set(targets)].sort());
  }
  return graph;
}

/** Every import cycle, one per strongly connected group of files, shown as one closed path through it. */
export function importCycles(graph: Map<string, string[]>): Breach[] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  const connect = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) !== index.get(v)) return;
    const group: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      group.push(w);
    } while (w !== v);
    if (group.length > 1 || (graph.get(v) ?? []).includes(v)) groups.push(group.sort());
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) connect(v);
  return groups.map((group) => ({ rule: 'import-cycle' as const, file: group[0]!, subject: `import cycle of ${group.length} files`, detail: cyclePath(graph, group).join(' → ') }));
}

/** A shortest closed path from the group's first file back to itself, inside the group. */
function cyclePath(graph: Map<string, string[]>, group: string[]): string[] {
  const members = new Set(group);
  const start = group[0]!;
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift()!;
    for (const w of graph.get(v) ?? []) {
      if (!members.has(w)) continue;
      if (w === start) {
        const path = [start];
        for (let u = v; u !== start; u = previous.get(u)!) path.splice(1, 0, u);
        return [...path, start];
      }
      if (!previous.has(w)) {
        previous.set(w, v);
        queue.push(w);
      }
    }
  }
  return group;
}

/** A layer rule: files under `from` may import only what `allows` accepts. */
export interface LayerRule {
  name: string;
  from: string;
  allows: (target: Target) => boolean;
}

/** Imports that break a layer rule, each named with the file, the import and the rule. */
export function layerBreaches(parsed: Map<string, Parsed>, rules: LayerRule[]): Breach[] {
  const known = new Set(parsed.keys());
  const breaches: Breach[] = [];
  for (const [path, { imports }] of parsed) {
    for (const rule of rules.filter((r) => path.startsWith(r.from))) {
      for (const specifier of imports) {
        if (!rule.allows(resolve(path, specifier, known))) breaches.push({ rule: 'layer', file: path, subject: `imports '${specifier}'`, detail: rule.name });
      }
    }
  }
  return breaches;
}

/** The project's layer rules: the domain imports only itself and node; services never reach adapters. */
export function layerRules(root: string): LayerRule[] {
  const domain = `${root}/domain/`;
  const adapters = `${root}/adapters/`;
  return [
    { name: 'the domain imports only the domain and node built-ins', from: domain, allows: (t) => t.kind === 'builtin' || (t.kind === 'file' && t.path.startsWith(domain)) },
    { name: 'services do not import adapters', from: `${root}/services/`, allows: (t) => !((t.kind === 'file' || t.kind === 'missing') && t.path.startsWith(adapters)) },
  ];
}

/** Every breach of the limits and rules in the tree, allow-listed ones included. */
export function checkTree(files: SourceFile[], root: string, limits: Limits): Breach[] {
  const parsed = parseAll(files);
  return [
    ...longFiles(files, limits.maxFileLines),
    ...longFunctions(parsed, limits.maxFunctionLines),
    ...longHandlers(parsed, limits.maxHandlerLines),
    ...importCycles(importGraph(parsed)),
    ...layerBreaches(parsed, layerRules(root)),
  ];
}

/** One breach per line, for a failure message a reader can act on. */
export function describeBreaches(breaches: Breach[]): string {
  return breaches.map((b) => `${b.file}: ${b.rule}: ${b.subject}: ${b.detail}`).join('\n');
}
