/**
 * Where a Node process spent its CPU: summarises V8 .cpuprofile files (written
 * by `npm run bench:webhooks -- --cpu-prof[=DIR]`) by package (self time) and by
 * function (self and inclusive time).
 *
 *   npx tsx tests/bench/profile-summary.ts DIR_OR_FILE [--top=25] [--match=text]
 *
 * With a folder, the largest profile is read (the app process; tsx's wrapper
 * process writes a small one too). --match lists only functions whose
 * name or file contains the text.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

function pickFile(target: string): string {
  if (!statSync(target).isDirectory()) return target;
  const files = readdirSync(target)
    .filter((f) => f.endsWith(".cpuprofile"))
    .map((f) => path.join(target, f))
    .sort((a, b) => statSync(b).size - statSync(a).size);
  const first = files[0];
  if (!first) throw new Error(`no .cpuprofile in ${target}`);
  return first;
}

/** node_modules/<pkg> (scoped too), node:internal, the app build, or a V8 pseudo-frame. */
function category(frame: CallFrame): string {
  const url = frame.url;
  if (!url) return frame.functionName.startsWith("(") ? frame.functionName : "(native/V8)";
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url.replaceAll("%40", "@"));
  if (nm?.[1]) return nm[1];
  if (url.startsWith("node:")) return "node: (core)";
  if (url.includes("/build/server/")) return "app (build/server)";
  return path.relative(process.cwd(), url.replace(/^file:\/\//, "")) || url;
}

function frameKey(frame: CallFrame): string {
  const file = frame.url ? `${category(frame)} ${path.basename(frame.url)}:${frame.lineNumber + 1}` : "";
  return `${frame.functionName || "(anonymous)"} ${file}`.trim();
}

function main(): void {
  const args = process.argv.slice(2);
  const target = args.find((a) => !a.startsWith("--"));
  if (!target) throw new Error("usage: profile-summary.ts DIR_OR_FILE [--top=25] [--match=text]");
  const top = Number(args.find((a) => a.startsWith("--top="))?.slice(6) ?? 25);
  const match = args.find((a) => a.startsWith("--match="))?.slice(8);
  const file = pickFile(target);
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;

  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const child of node.children ?? []) parent.set(child, node.id);
  }

  const selfByNode = new Map<number, number>();
  let total = 0;
  let idle = 0;
  profile.samples.forEach((id, i) => {
    const dt = (profile.timeDeltas[i] ?? 0) / 1000; // µs -> ms
    selfByNode.set(id, (selfByNode.get(id) ?? 0) + dt);
    total += dt;
    if (byId.get(id)?.callFrame.functionName === "(idle)") idle += dt;
  });
  const busy = total - idle;

  const selfByCategory = new Map<string, number>();
  const selfByFunction = new Map<string, number>();
  const inclusiveByFunction = new Map<string, number>();
  for (const [id, ms] of selfByNode) {
    const node = byId.get(id);
    if (!node || node.callFrame.functionName === "(idle)") continue;
    const cat = category(node.callFrame);
    selfByCategory.set(cat, (selfByCategory.get(cat) ?? 0) + ms);
    const key = frameKey(node.callFrame);
    selfByFunction.set(key, (selfByFunction.get(key) ?? 0) + ms);
    // Inclusive: every distinct function on the stack gets the sample once.
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const frame = byId.get(cur)?.callFrame;
      if (!frame) break;
      const k = frameKey(frame);
      if (seen.has(k)) continue;
      seen.add(k);
      inclusiveByFunction.set(k, (inclusiveByFunction.get(k) ?? 0) + ms);
    }
  }

  const pct = (ms: number) => `${((100 * ms) / busy).toFixed(1).padStart(5)}%`;
  const list = (title: string, map: Map<string, number>, filter?: string) => {
    console.log(`\n${title}`);
    [...map.entries()]
      .filter(([k]) => !filter || k.toLowerCase().includes(filter.toLowerCase()))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .forEach(([k, ms]) => console.log(`  ${pct(ms)} ${(ms / 1000).toFixed(2).padStart(7)} s  ${k}`));
  };

  console.log(`${file}`);
  console.log(
    `wall ${(total / 1000).toFixed(1)} s, busy (not idle) ${(busy / 1000).toFixed(1)} s; percentages are of busy time`,
  );
  list("Self time by package", selfByCategory);
  list("Self time by function", selfByFunction, match);
  list("Inclusive time by function", inclusiveByFunction, match);
}

main();
