// Chart colours and fonts from VS Code's theme variables, read at draw time so light/dark/high-contrast all work.

export interface ChartTheme {
  foreground: string;
  muted: string;
  grid: string;
  font: string;
  /** Series colours in order (VS Code's chart palette). */
  series: string[];
}

function cssVar(style: CSSStyleDeclaration, name: string, fallback: string): string {
  const v = style.getPropertyValue(name).trim();
  return v || fallback;
}

/** Reads the current theme from the body's computed style. */
export function readChartTheme(): ChartTheme {
  const style = getComputedStyle(document.body);
  const foreground = cssVar(style, '--vscode-editor-foreground', cssVar(style, '--vscode-foreground', '#cccccc'));
  return {
    foreground,
    muted: cssVar(style, '--vscode-descriptionForeground', foreground),
    grid: cssVar(style, '--vscode-editorWidget-border', cssVar(style, '--vscode-panel-border', 'rgba(128,128,128,0.35)')),
    font: `${cssVar(style, '--vscode-font-size', '12px')} ${cssVar(style, '--vscode-font-family', 'sans-serif')}`,
    series: ['--vscode-charts-blue', '--vscode-charts-orange', '--vscode-charts-green', '--vscode-charts-purple', '--vscode-charts-red', '--vscode-charts-yellow']
      .map((name, i) => cssVar(style, name, ['#3794ff', '#d18616', '#89d185', '#b180d7', '#f14c4c', '#cca700'][i])),
  };
}

/** Calls `onChange` when VS Code switches theme (it rewrites the body's class list). */
export function onThemeChange(onChange: () => void): void {
  new MutationObserver(onChange).observe(document.body, { attributes: true, attributeFilter: ['class'] });
}
