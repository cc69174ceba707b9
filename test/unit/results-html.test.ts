// The results webview's page: nothing loads or runs but our script and stylesheet, and
// no value put into the page can break out of its attribute.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeHtml, resultsHtml } from '../../src/extension/resultsHtml';
import { itemAt } from '../support/itemAt';

const input = {
  scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/out/webview/results.js',
  styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/results.css',
  cspSource: 'https://*.vscode-cdn.net',
  nonce: 'bm9uY2Utb2YtdGhpcy1wYWdl',
};

function cspOf(html: string): string {
  const match = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html);
  assert.ok(match, 'the page has a CSP meta tag');
  return itemAt(match, 1);
}

test('the CSP denies everything by default and allows only our sources', () => {
  const csp = cspOf(resultsHtml(input));
  assert.equal(
    csp,
    "default-src 'none'; style-src https://*.vscode-cdn.net; script-src 'nonce-bm9uY2Utb2YtdGhpcy1wYWdl'; img-src https://*.vscode-cdn.net data:; font-src https://*.vscode-cdn.net;".replace(
      /'/g,
      '&#39;',
    ),
  );
  assert.ok(csp.startsWith('default-src &#39;none&#39;'));
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
});

test('the nonce is on the one script tag and, besides the CSP, nowhere else', () => {
  const html = resultsHtml(input);
  const scripts = html.match(/<script\b[^>]*>/g) ?? [];
  assert.deepEqual(scripts, [`<script nonce="${input.nonce}" src="${input.scriptUri}">`]);
  const withoutCsp = html.replace(cspOf(html), '');
  assert.equal(withoutCsp.split(input.nonce).length - 1, 1);
});

test('the page has the #app root, our stylesheet, and no inline style or script', () => {
  const html = resultsHtml(input);
  assert.match(html, /<div id="app"><\/div>/);
  assert.match(html, new RegExp(`<link rel="stylesheet" href="${input.styleUri.replace(/[.+*]/g, '\\$&')}">`));
  assert.doesNotMatch(html, /<style|style=|<script(?![^>]*\bsrc=)/);
});

test('hostile values cannot leave their attribute', () => {
  const hostile = '"><script>alert(1)</script><x y=\'';
  const html = resultsHtml({ scriptUri: hostile, styleUri: hostile, cspSource: hostile, nonce: hostile });
  assert.doesNotMatch(html, /<script>alert/);
  assert.equal(html.match(/<script\b/g)?.length, 1, 'still exactly one script tag');
  assert.equal(html.match(/<link\b/g)?.length, 1);
  assert.equal(html.match(/<meta\b/g)?.length, 3);
  // Every attribute value is quoted with " and contains none: the structure is intact.
  for (const tag of html.match(/<[a-z][^>]*>/g) ?? []) assert.doesNotMatch(tag, /="[^"]*"[^ >]/, tag);
});

test('escapeHtml escapes the five characters that matter in text and attributes', () => {
  assert.equal(escapeHtml(`a&b<c>d"e'f`), 'a&amp;b&lt;c&gt;d&quot;e&#39;f');
  assert.equal(escapeHtml('plain'), 'plain');
});
