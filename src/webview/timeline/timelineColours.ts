// The timeline's colours, read from the theme: results.css maps each role (--tl-error,
// --tl-read, …) onto VS Code's theme variables, and the canvas reads the resolved values,
// so light, dark and high-contrast themes all work. Read again when the theme changes.

export interface TimelineColours {
  readonly foreground: string;
  readonly muted: string;
  readonly grid: string;
  readonly laneStripe: string;
  readonly read: string;
  readonly write: string;
  readonly login: string;
  readonly error: string;
  readonly root: string;
  readonly selection: string;
  /** The star over an event marked in the investigation. */
  readonly star: string;
  readonly histogram: string;
  readonly brush: string;
  readonly shade: string;
  /** One per cell in the investigation view, cycled. */
  readonly runs: readonly string[];
  readonly font: string;
}

const RUN_COLOURS = 8;

export function readTimelineColours(element: Element): TimelineColours {
  const style = getComputedStyle(element);
  const read = (name: string, fallback: string): string => style.getPropertyValue(name).trim() || fallback;
  const runs: string[] = [];
  for (let i = 0; i < RUN_COLOURS; i += 1) runs.push(read(`--tl-run-${i}`, '#4daafc'));
  return {
    foreground: read('--tl-foreground', '#cccccc'),
    muted: read('--tl-muted', '#8b8b8b'),
    grid: read('--tl-grid', 'rgba(128,128,128,0.25)'),
    laneStripe: read('--tl-lane-stripe', 'rgba(128,128,128,0.06)'),
    read: read('--tl-read', '#6a7a8a'),
    write: read('--tl-write', '#4daafc'),
    login: read('--tl-login', '#b180d7'),
    error: read('--tl-error', '#f14c4c'),
    root: read('--tl-root', '#cca700'),
    selection: read('--tl-selection', '#ffffff'),
    star: read('--tl-star', '#d18616'),
    histogram: read('--tl-histogram', '#6a7a8a'),
    brush: read('--tl-brush', 'rgba(77,170,252,0.25)'),
    shade: read('--tl-shade', 'rgba(0,0,0,0.35)'),
    runs,
    font: style.fontFamily || 'sans-serif',
  };
}

/** Calls `onChange` when VS Code switches the theme (it rewrites the body's class and the html's style). */
export function watchTheme(onChange: () => void): void {
  const observer = new MutationObserver(onChange);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
  observer.observe(document.body, { attributes: true, attributeFilter: ['class'] });
}
