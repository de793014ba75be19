import type { ITheme } from '@xterm/xterm';

/** xterm needs concrete colours: take them from VS Code's terminal theme variables. */
export function terminalTheme(): ITheme {
  const css = getComputedStyle(document.body);
  const v = (name: string, fallback = ''): string => css.getPropertyValue(`--vscode-${name}`).trim() || fallback;
  const bg = v('terminal-background', v('editor-background', '#1e1e1e'));
  const fg = v('terminal-foreground', v('editor-foreground', '#cccccc'));
  return {
    background: bg,
    foreground: fg,
    cursor: bg,
    cursorAccent: bg,
    selectionBackground: v('terminal-selectionBackground', v('editor-selectionBackground', '#264f78')),
    black: v('terminal-ansiBlack', '#000000'),
    red: v('terminal-ansiRed', '#cd3131'),
    green: v('terminal-ansiGreen', '#0dbc79'),
    yellow: v('terminal-ansiYellow', '#e5e510'),
    blue: v('terminal-ansiBlue', '#2472c8'),
    magenta: v('terminal-ansiMagenta', '#bc3fbc'),
    cyan: v('terminal-ansiCyan', '#11a8cd'),
    white: v('terminal-ansiWhite', '#e5e5e5'),
    brightBlack: v('terminal-ansiBrightBlack', '#666666'),
    brightRed: v('terminal-ansiBrightRed', '#f14c4c'),
    brightGreen: v('terminal-ansiBrightGreen', '#23d18b'),
    brightYellow: v('terminal-ansiBrightYellow', '#f5f543'),
    brightBlue: v('terminal-ansiBrightBlue', '#3b8eea'),
    brightMagenta: v('terminal-ansiBrightMagenta', '#d670d6'),
    brightCyan: v('terminal-ansiBrightCyan', '#29b8db'),
    brightWhite: v('terminal-ansiBrightWhite', '#e5e5e5'),
  };
}

export function terminalFont(): { fontFamily: string; fontSize: number } {
  const css = getComputedStyle(document.body);
  const family = css.getPropertyValue('--vscode-editor-font-family').trim() || 'monospace';
  const size = parseInt(css.getPropertyValue('--vscode-editor-font-size'), 10);
  return { fontFamily: family, fontSize: Number.isFinite(size) && size > 0 ? size : 13 };
}
