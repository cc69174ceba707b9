// The results webview's page. Pure (no `vscode` import), so its security properties are
// unit-tested: a CSP that allows nothing by default, one script carrying a fresh nonce,
// and every interpolated value escaped.

export interface ResultsHtmlInput {
  /** webview.asWebviewUri(out/webview/results.js), as a string. */
  readonly scriptUri: string;
  /** webview.asWebviewUri(media/results.css), as a string. */
  readonly styleUri: string;
  /** webview.cspSource */
  readonly cspSource: string;
  /** Fresh for every page (see newNonce in resultsPanel.ts). */
  readonly nonce: string;
}

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Safe inside a quoted attribute value and inside text. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

export function resultsCsp(cspSource: string, nonce: string): string {
  return (
    [
      "default-src 'none'",
      `style-src ${cspSource}`,
      `script-src 'nonce-${nonce}'`,
      `img-src ${cspSource} data:`,
      `font-src ${cspSource}`,
    ].join('; ') + ';'
  );
}

export function resultsHtml(input: ResultsHtmlInput): string {
  const csp = escapeHtml(resultsCsp(input.cspSource, input.nonce));
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeHtml(input.styleUri)}">
<title>Trailbook results</title>
</head>
<body>
<div id="app"></div>
<script nonce="${escapeHtml(input.nonce)}" src="${escapeHtml(input.scriptUri)}"></script>
</body>
</html>
`;
}
