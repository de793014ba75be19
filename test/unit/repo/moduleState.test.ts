// No mutable module globals (ARCHITECTURE.md "Composition", practice 4): state lives in instances
// that the composition root builds and owns, so tests never depend on what an earlier test left in
// a module. A module may keep constants: a table that is read-only by its type (`as const`,
// `readonly T[]`, `ReadonlySet`, `ReadonlyMap`). Only the composition root (extension.ts) keeps a
// top-level `let`, for deactivate().
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';

const ROOT = new URL('../../..', import.meta.url).pathname;
const ALLOWED_LET = new Set(['src/extension/extension.ts']);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sources(p);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [p] : [];
  });
}

/** The value an initializer stands for, without `(…)`, `satisfies` and non-const `as`. */
function unwrap(e: ts.Expression): { expr: ts.Expression; asConst: boolean } {
  let expr = e;
  for (;;) {
    if (ts.isParenthesizedExpression(expr) || ts.isSatisfiesExpression(expr)) expr = expr.expression;
    else if (ts.isAsExpression(expr)) {
      if (ts.isTypeReferenceNode(expr.type) && expr.type.typeName.getText() === 'const') return { expr: expr.expression, asConst: true };
      expr = expr.expression;
    } else return { expr, asConst: false };
  }
}

function readonlyType(t: ts.TypeNode | undefined): boolean {
  if (!t) return false;
  if (ts.isTypeOperatorNode(t) && t.operator === ts.SyntaxKind.ReadonlyKeyword) return true;
  return ts.isTypeReferenceNode(t) && /^(ReadonlyArray|ReadonlySet|ReadonlyMap)$/.test(t.typeName.getText());
}

/** What is wrong with one file's top-level declarations, as "file:line: reason". */
function moduleStateProblems(file: string, text: string): string[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const out: string[] = [];
  const at = (n: ts.Node, why: string) => out.push(`${file}:${sf.getLineAndCharacterOfPosition(n.getStart()).line + 1}: ${why}`);
  for (const st of sf.statements) {
    if (!ts.isVariableStatement(st)) continue;
    const isConst = (st.declarationList.flags & ts.NodeFlags.Const) !== 0;
    for (const d of st.declarationList.declarations) {
      const name = d.name.getText();
      if (!isConst) {
        if (!ALLOWED_LET.has(file)) at(d, `top-level let/var ${name}: keep state in an instance the composition root owns`);
        continue;
      }
      if (!d.initializer) continue;
      const { expr, asConst } = unwrap(d.initializer);
      if (ts.isNewExpression(expr) && /^(Map|Set|WeakMap|WeakSet)$/.test(expr.expression.getText())) {
        const kind = expr.expression.getText();
        if (kind.startsWith('Weak') || !readonlyType(d.type)) {
          at(d, `top-level ${kind} ${name}: a cache or registry belongs to an owned instance (a constant table: type it Readonly${kind})`);
        }
      } else if (ts.isArrayLiteralExpression(expr) && !asConst && !readonlyType(d.type)) {
        at(d, `top-level array ${name} is mutable: make it \`as const\` or \`readonly T[]\`, or move it into an instance`);
      }
    }
  }
  return out;
}

describe('no mutable module globals', () => {
  it('src/ keeps no top-level let, no top-level Map/Set cache and no mutable top-level array', () => {
    const files = sources(join(ROOT, 'src'));
    assert.ok(files.length > 100, 'the walk found the sources');
    const problems = files.flatMap((f) => moduleStateProblems(relative(ROOT, f), readFileSync(f, 'utf8')));
    assert.deepEqual(problems, [], problems.join('\n'));
  });

  it('the check sees each kind of module state, and lets constants and locals through', () => {
    const bad = [
      'let n = 0;',
      'export let current: string | undefined;',
      'var legacy = 1;',
      'const cache = new Map<string, string>();',
      'const seen: Set<string> = new Set();',
      'const memo = new WeakMap<object, number>();',
      'const list: string[] = [];',
      "const KINDS = ['a', 'b'];",
      'const wrapped = (new Map());',
    ];
    for (const src of bad) assert.equal(moduleStateProblems('src/x.ts', src).length, 1, src);
    const good = [
      "const KINDS = ['a', 'b'] as const;",
      "const KINDS: readonly string[] = ['a'];",
      "const KINDS: ReadonlyArray<string> = ['a'];",
      "const CODES: ReadonlySet<string> = new Set(['x']);",
      "const USE: ReadonlyMap<string, number> = new Map([['a', 1]]);",
      "const SCRIPT = ['a', 'b'].join('\\n');",
      'const LIMIT = 5;',
      'function f() { let x = 0; const m = new Map(); return [x, m]; }',
      'class C { private readonly m = new Map(); }',
    ];
    for (const src of good) assert.deepEqual(moduleStateProblems('src/x.ts', src), [], src);
    assert.deepEqual(moduleStateProblems('src/extension/extension.ts', 'let shutdownHook: (() => void) | undefined;'), []);
  });
});
