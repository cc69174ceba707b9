// The webview's side of the channel to the extension host, and the state VS Code keeps
// for this panel while it is hidden or reloaded (getState/setState).
import type { WebviewMessage } from '../protocol/results';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

// Injected by VS Code into every webview; callable once per page.
declare function acquireVsCodeApi(): VsCodeApi;

export type PostToHost = (message: WebviewMessage) => void;

/** What the page keeps across reloads of this panel (the layout only: runs are replayed by the host). */
export interface PanelState {
  read(): unknown;
  write(state: unknown): void;
}

export interface HostConnection {
  readonly post: PostToHost;
  readonly state: PanelState;
}

export function connectToHost(): HostConnection {
  const api = acquireVsCodeApi();
  return {
    post: (message) => api.postMessage(message),
    state: { read: () => api.getState(), write: (state) => api.setState(state) },
  };
}
