/**
 * bench:pages' measurement inside the page (LCP, CLS, INP with its attribution), injected before any
 * page script, and how a load's figures are read from it.
 */
import { round } from "../loop/report";

/**
 * Injected before any page script: collects LCP, CLS, and INP as Chrome's web-vitals library does:
 * only event entries with an interactionId (click, tap, key press: pointerdown/up, click, keydown/up)
 * are interactions; hovers and other pointer moves are not. An interaction's latency is the longest
 * of its entries. For attribution, each interaction keeps its phases (input delay, processing,
 * presentation delay) and the scripts of the long animation frames that overlap it.
 */
export const OBSERVERS = `
  window.__vitals = { lcp: 0, cls: 0, interactions: {}, frames: [] };
  new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__vitals.lcp = e.startTime; }).observe({ type: "largest-contentful-paint", buffered: true });
  new PerformanceObserver((list) => { for (const e of list.getEntries()) if (!e.hadRecentInput) window.__vitals.cls += e.value; }).observe({ type: "layout-shift", buffered: true });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (!e.interactionId) continue;
      // One interaction is several entries (pointerdown, pointerup, click; keydown, keyup): its
      // latency is the longest, its processing runs from the first handler's start to the last one's end.
      const t = e.target;
      const known = window.__vitals.interactions[e.interactionId] || {
        type: e.name, duration: 0, startTime: e.startTime, processingStart: e.processingStart, processingEnd: e.processingEnd,
        target: t ? (t.tagName.toLowerCase() + (t.getAttribute("aria-label") ? "[" + t.getAttribute("aria-label") + "]" : "") + " " + (t.textContent || "").trim().slice(0, 30)) : "",
      };
      known.startTime = Math.min(known.startTime, e.startTime);
      known.processingStart = Math.min(known.processingStart, e.processingStart);
      known.processingEnd = Math.max(known.processingEnd, e.processingEnd);
      known.duration = Math.max(known.duration, e.duration);
      if (e.name === "click" || e.name === "keydown") known.type = e.name;
      known.inputDelay = known.processingStart - known.startTime;
      known.processing = known.processingEnd - known.processingStart;
      known.presentation = Math.max(0, known.startTime + known.duration - known.processingEnd);
      window.__vitals.interactions[e.interactionId] = known;
    }
  }).observe({ type: "event", buffered: true, durationThreshold: 16 });
  try {
    new PerformanceObserver((list) => {
      for (const f of list.getEntries()) window.__vitals.frames.push({
        startTime: f.startTime, duration: f.duration, blockingDuration: f.blockingDuration,
        renderStart: f.renderStart, styleAndLayoutStart: f.styleAndLayoutStart,
        scripts: f.scripts.map((s) => ({ invoker: s.invoker, sourceURL: (s.sourceURL || "").replace(location.origin, ""), sourceFunctionName: s.sourceFunctionName, duration: s.duration, forcedStyleAndLayoutDuration: s.forcedStyleAndLayoutDuration })),
      });
    }).observe({ type: "long-animation-frame", buffered: true });
  } catch {}
`;

export interface Interaction {
  /** click or keydown when the interaction has one, else its first entry's name. */
  type: string;
  processingStart: number;
  processingEnd: number;
  duration: number;
  startTime: number;
  inputDelay: number;
  processing: number;
  presentation: number;
  target: string;
}
export interface Frame {
  startTime: number;
  duration: number;
  blockingDuration: number;
  renderStart: number;
  styleAndLayoutStart: number;
  scripts: Array<{
    invoker: string;
    sourceURL: string;
    sourceFunctionName: string;
    duration: number;
    forcedStyleAndLayoutDuration: number;
  }>;
}
export interface Vitals {
  lcp: number;
  cls: number;
  interactions: Record<string, Interaction>;
  frames: Frame[];
}

/** The slowest interaction of a load and what ran in the long frames around it. */
export interface Attribution {
  interaction: Omit<Interaction, "startTime" | "processingStart" | "processingEnd">;
  /** Long animation frames overlapping the interaction: script time, style and layout time, render time. */
  frames: Array<{ duration: number; scriptMs: number; styleLayoutMs: number; scripts: string[] }>;
}

export function attribute(v: Vitals): Attribution | undefined {
  const worst = Object.values(v.interactions).sort((a, b) => b.duration - a.duration)[0];
  if (!worst) return undefined;
  const end = worst.startTime + worst.duration;
  const frames = v.frames
    .filter((f) => f.startTime < end && f.startTime + f.duration > worst.startTime)
    .map((f) => ({
      duration: round(f.duration, 0),
      scriptMs: round(
        f.scripts.reduce((t, s) => t + s.duration, 0),
        0,
      ),
      styleLayoutMs: round(
        f.startTime + f.duration - (f.styleAndLayoutStart || f.renderStart || f.startTime + f.duration),
        0,
      ),
      scripts: f.scripts
        .filter((s) => s.duration >= 5)
        .map(
          (s) =>
            `${s.invoker} ${s.sourceFunctionName || ""}@${s.sourceURL.split("/").pop()} ${round(s.duration, 0)} ms${s.forcedStyleAndLayoutDuration >= 5 ? ` (forced layout ${round(s.forcedStyleAndLayoutDuration, 0)})` : ""}`,
        ),
    }));
  const { startTime: _s, processingStart: _ps, processingEnd: _pe, ...interaction } = worst;
  return {
    interaction: {
      ...interaction,
      duration: round(interaction.duration, 0),
      inputDelay: round(interaction.inputDelay, 0),
      processing: round(interaction.processing, 0),
      presentation: round(interaction.presentation, 0),
    },
    frames,
  };
}

/** INP of a load: its longest interaction (a hover or any other non-interaction event is not one); 0 if none reached 16 ms. */
export function inpOf(v: Pick<Vitals, "interactions">): number {
  return Math.max(0, ...Object.values(v.interactions).map((x) => x.duration));
}
