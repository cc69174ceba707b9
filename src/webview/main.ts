// The results webview: applies the host's messages to the run store and redraws.
// It starts empty each time VS Code loads it; 'ready' asks the host to replay its runs.
import type { HostMessage } from '../protocol/results';
import { connectToHost } from './hostApi';
import { ResultsView } from './resultsView';
import { RunStore } from './runStore';

const host = connectToHost();
const store = new RunStore();
const view = new ResultsView(document.getElementById('app')!, store, host);

function apply(message: HostMessage): void {
  switch (message.type) {
    case 'runStarted':
      view.forget(store.start(message));
      view.select(message.runId);
      break;
    case 'progress':
      store.progress(message);
      break;
    case 'rows':
      store.appendRows(message);
      break;
    case 'rowsReset':
      store.resetRows(message.runId);
      break;
    case 'runFinished':
      store.finish(message);
      break;
    case 'reveal':
      view.select(message.runId);
      break;
    case 'wholeEvent':
      view.wholeEvent(message);
      break;
    case 'investigation':
      view.setInvestigation(message);
      break;
    case 'resultKept':
      store.keep(message);
      break;
    case 'bins':
    case 'marks':
    case 'page':
    case 'position':
    case 'keptError':
      view.keptAnswer(message);
      return;
    case 'clear':
      store.clear();
      view.clear();
      break;
  }
  view.invalidate();
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const data = event.data;
  // Only the host posts here; the check keeps a stray message from throwing mid-draw.
  if (typeof data === 'object' && data !== null && typeof (data as { type?: unknown }).type === 'string') apply(data as HostMessage);
});

host.post({ type: 'ready' });
