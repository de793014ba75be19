/**
 * A compile-time pin: `Fits<A, B>` compiles only when A is assignable to B, the type-space form of
 * `a satisfies B`. Core declares the VS Code shapes it needs as its own small interfaces (it runs
 * without VS Code) and pins each to the real one with `import type * as vscode`, so a VS Code
 * typings update that breaks the fit fails `tsc`, not the extension at run time. Types only: no
 * value is emitted and the `vscode` import is erased.
 */
export type Fits<A extends B, B> = A;
