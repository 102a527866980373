/**
 * CPU time of a process tree, from Linux /proc (empty elsewhere): lets the
 * bench say where the time goes (the app's Node process versus PostgreSQL)
 * without instrumenting the app.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";

interface ProcInfo {
  ppid: number;
  comm: string;
  /** utime + stime, clock ticks. */
  ticks: number;
}

export type TreeSnapshot = Map<number, ProcInfo>;

let ticksPerSecond: number | undefined;
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

function readProc(pid: number): ProcInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // "pid (comm) state ppid ..."; comm may contain spaces and parentheses.
    const open = stat.indexOf("(");
    const close = stat.lastIndexOf(")");
    const comm = stat.slice(open + 1, close);
    const fields = stat.slice(close + 2).split(" ");
    // After comm: [0]=state [1]=ppid ... [11]=utime [12]=stime
    return { ppid: Number(fields[1]), comm, ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return undefined; // exited meanwhile
  }
}

/** The process and all its descendants, now. */
export function snapshotTree(rootPid: number | undefined): TreeSnapshot {
  const result: TreeSnapshot = new Map();
  if (rootPid === undefined || !existsSync("/proc")) return result;
  const all = new Map<number, ProcInfo>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const info = readProc(Number(name));
    if (info) all.set(Number(name), info);
  }
  const queue = [rootPid];
  while (queue.length > 0) {
    const pid = queue.shift() as number;
    const info = all.get(pid);
    if (!info || result.has(pid)) continue;
    result.set(pid, info);
    for (const [child, childInfo] of all) if (childInfo.ppid === pid) queue.push(child);
  }
  return result;
}

/** CPU seconds spent between two snapshots, by process name ("node", "postgres", ...). */
export function cpuByName(before: TreeSnapshot, after: TreeSnapshot): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [pid, info] of after) {
    const start = before.get(pid);
    // A process that started during the interval counts from zero.
    const ticks = start && start.comm === info.comm ? info.ticks - start.ticks : info.ticks;
    out[info.comm] = (out[info.comm] ?? 0) + ticks / clockTicks();
  }
  return out;
}

/** The direct child of pid with this name (tsx runs the script in a child `node`). */
export function childNamed(pid: number, comm: string): number | undefined {
  for (const [child, info] of snapshotTree(pid)) {
    if (child !== pid && info.ppid === pid && info.comm === comm) return child;
  }
  return undefined;
}
