/**
 * Summarises a .cpuprofile: self time per function and per package/folder.
 * Run: node -r @swc-node/register bench/support/profile-summary.ts bench/profiles/app-booking.cpuprofile
 */
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

const profile = JSON.parse(readFileSync(process.argv[2], 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const self = new Map<number, number>();
profile.samples.forEach((id, index) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)));
const total = [...self.values()].reduce((sum, value) => sum + value, 0);

const where = (url: string) => {
  const match = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url);
  if (match) return match[1];
  const src = /\/(src|bench)\/(.*)$/.exec(url);
  if (src) return `${src[1]}/${src[2].split('/')[0]}`;
  return url ? url.replace(/^.*\//, '') : '(native)';
};
const functions = new Map<string, number>();
const places = new Map<string, number>();
for (const [id, time] of self) {
  const node = byId.get(id)!;
  const key = `${node.callFrame.functionName || '(anonymous)'} ${where(node.callFrame.url)}:${node.callFrame.lineNumber}`;
  functions.set(key, (functions.get(key) ?? 0) + time);
  const place = node.callFrame.url ? where(node.callFrame.url) : node.callFrame.functionName;
  places.set(place, (places.get(place) ?? 0) + time);
}
const top = (map: Map<string, number>, count: number) =>
  [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([key, time]) => `${((100 * time) / total).toFixed(1).padStart(5)}%  ${key}`)
    .join('\n');
// Inclusive time of our own functions (src/) and of the big libraries' entry points.
const parent = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
const inclusive = new Map<string, number>();
for (const [id, time] of self) {
  const seen = new Set<string>();
  for (let current: number | undefined = id; current !== undefined; current = parent.get(current)) {
    const node = byId.get(current)!;
    if (!/\/src\//.test(node.callFrame.url) && !process.argv.includes('--all')) continue;
    const key = `${node.callFrame.functionName || '(anonymous)'} ${where(node.callFrame.url)}:${node.callFrame.lineNumber}`;
    if (seen.has(key)) continue;
    seen.add(key);
    inclusive.set(key, (inclusive.get(key) ?? 0) + time);
  }
}
console.log(`-- inclusive (src) --\n${top(inclusive, 30)}`);
console.log(
  `total ${(total / 1e6).toFixed(1)} s sampled\n-- by package/folder --\n${top(places, 25)}\n-- by function --\n${top(functions, 40)}`,
);
