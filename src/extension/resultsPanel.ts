// The results webview's host side. The panel does not keep its page alive while hidden
// (retainContextWhenHidden costs memory for every run ever shown); instead it keeps a
// bounded log of what it posted and replays it whenever the page says 'ready'.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { isWebviewMessage, type HostMessage, type WebviewMessage } from '../protocol/results';
import { resultsHtml } from './resultsHtml';
import { ReplayLog } from './replayLog';

export class ResultsPanel implements vscode.Disposable {
  static readonly viewType = 'trailbook.results';

  private panel: vscode.WebviewPanel | undefined;
  private panelListeners: vscode.Disposable[] = [];
  /** The page listens: live messages go to it; before that they only go to the log. */
  private ready = false;
  private readonly log = new ReplayLog();

  /**
   * @param onMessage every valid message of the page except 'copy', which the panel
   *   puts on the clipboard itself.
   */
  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly onMessage: (message: WebviewMessage) => void,
  ) {}

  /** Sends a message; a run starting (or a run to reveal) opens the panel beside the editor, without taking focus. */
  post(message: HostMessage): void {
    this.log.record(message);
    const opens = message.type === 'runStarted' || message.type === 'reveal';
    if (this.panel === undefined) {
      // The new page says 'ready' and gets the log, this message included.
      if (opens) this.open(true);
      return;
    }
    if (opens && !this.panel.visible) {
      // Shown again, the page reloads and says 'ready'; until then the log holds this message.
      this.ready = false;
      this.panel.reveal(undefined, true);
    }
    if (this.ready) void this.panel.webview.postMessage(message);
  }

  /** Opens or brings forward the panel, focused (the "Show results" command). */
  show(): void {
    if (this.panel === undefined) this.open(false);
    else this.panel.reveal(undefined, false);
  }

  dispose(): void {
    // Disposing the panel fires onDidDispose, which releases its listeners.
    this.panel?.dispose();
    this.disposePanelListeners();
  }

  private open(preserveFocus: boolean): void {
    const mediaRoots = [vscode.Uri.joinPath(this.extensionUri, 'out', 'webview'), vscode.Uri.joinPath(this.extensionUri, 'media')];
    const panel = vscode.window.createWebviewPanel(
      ResultsPanel.viewType,
      'Trailbook results',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus },
      { enableScripts: true, localResourceRoots: mediaRoots },
    );
    this.panel = panel;
    this.ready = false;
    this.panelListeners = [
      panel.webview.onDidReceiveMessage((message: unknown) => this.receive(message)),
      panel.onDidChangeViewState(() => {
        // A hidden page is discarded; the page shown again starts empty and says 'ready'.
        if (!panel.visible) this.ready = false;
      }),
      panel.onDidDispose(() => {
        this.panel = undefined;
        this.ready = false;
        this.disposePanelListeners();
      }),
    ];
    const webview = panel.webview;
    webview.html = resultsHtml({
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'out', 'webview', 'results.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', 'results.css')).toString(),
      cspSource: webview.cspSource,
      nonce: newNonce(),
    });
  }

  private receive(message: unknown): void {
    // The page is web content: nothing it sends is trusted before it is checked.
    if (!isWebviewMessage(message)) return;
    switch (message.type) {
      case 'ready':
        this.ready = true;
        for (const logged of this.log.messages()) void this.panel?.webview.postMessage(logged);
        break;
      case 'copy':
        void vscode.env.clipboard.writeText(message.text);
        return;
      case 'cancel':
      case 'revealCell':
        break;
    }
    this.onMessage(message);
  }

  private disposePanelListeners(): void {
    for (const listener of this.panelListeners) listener.dispose();
    this.panelListeners = [];
  }
}

function newNonce(): string {
  return randomBytes(18).toString('base64');
}
