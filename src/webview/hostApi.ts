// The webview's side of the channel to the extension host.
import type { WebviewMessage } from '../protocol/results';

interface VsCodeApi {
  postMessage(message: unknown): void;
}

// Injected by VS Code into every webview; callable once per page.
declare function acquireVsCodeApi(): VsCodeApi;

export type PostToHost = (message: WebviewMessage) => void;

export function connectToHost(): PostToHost {
  const api = acquireVsCodeApi();
  return (message) => api.postMessage(message);
}
