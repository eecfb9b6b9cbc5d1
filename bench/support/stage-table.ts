/**
 * The CPU of a load phase by stage of the request path: each sample's self time goes to the stage
 * of the innermost frame on its stack that belongs to a known package or folder (so the SQL the
 * rate limiter sends counts as SQL, its own code as the limiter's), then divided by the requests
 * of the phase.
 * Run: node -r @swc-node/register bench/support/stage-table.ts bench/profiles/app-booking.cpuprofile <requests>
 */
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

/** Stages in the order a booking meets them; the first rule that matches a frame's URL wins. */
const STAGES: Array<[string, RegExp]> = [
  ['guards and rate limiter', /\/src\/auth\/|\/src\/common\/rate-limit|rate-limiter-flexible/],
  [
    'validation and transformation',
    /class-validator|class-transformer|validator\/|\/src\/common\/(errors|validation|email-address|localized-text)/,
  ],
  ['request logging', /pino|nestjs-pino|\/src\/common\/logging/],
  [
    'composing the mail (text, HTML, calendar, QR)',
    /ical-generator|luxon|qrcode|pngjs|\/src\/visits\/visit-mail|\/src\/mail\/qr-image|\/src\/common\/mail-html|handlebars|\/src\/volunteers\/volunteer-mail/,
  ],
  ['sealing (job encryption)', /\/src\/jobs\/jobs\.service/],
  ['sending (outbox processor, SMTP)', /nodemailer|\/src\/mail\//],
  ['SQL (TypeORM, pg)', /typeorm|\/pg\/|pg-protocol|pg-pool|\/src\/database\/|repository\.ts/],
  ['service logic', /\/src\/(visits|ceremonies|volunteers|common)\//],
  ['pipeline (Fastify, Nest, helmet, serialisation)', /fastify|find-my-way|avvio|@nestjs|rxjs|helmet|\/src\//],
];

const [file, requestsArg] = process.argv.slice(2);
const requests = Number(requestsArg);
if (!file || !(requests > 0)) throw new Error('usage: stage-table.ts <profile> <requests>');
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

const stageCache = new Map<number, string>();
function stageOf(id: number): string {
  const cached = stageCache.get(id);
  if (cached) return cached;
  const node = byId.get(id)!;
  const name = node.callFrame.functionName;
  let stage: string;
  if (name === '(garbage collector)') stage = 'garbage collection';
  else if (name === '(idle)' || name === '(program)') stage = name;
  else {
    const rule = node.callFrame.url ? STAGES.find(([, pattern]) => pattern.test(node.callFrame.url)) : undefined;
    const up = parent.get(id);
    stage = rule ? rule[0] : up === undefined ? 'other (Node.js internals, native)' : stageOf(up);
  }
  stageCache.set(id, stage);
  return stage;
}

const totals = new Map<string, number>();
profile.samples.forEach((id, index) => {
  const stage = stageOf(id);
  totals.set(stage, (totals.get(stage) ?? 0) + (profile.timeDeltas[index] ?? 0) / 1000);
});
totals.delete('(idle)');
const busy = [...totals.values()].reduce((sum, ms) => sum + ms, 0);
console.log(`| stage | CPU ms per request | share |\n| --- | --- | --- |`);
for (const [stage, ms] of [...totals.entries()].sort((a, b) => b[1] - a[1])) {
  console.log(`| ${stage} | ${(ms / requests).toFixed(3)} | ${((100 * ms) / busy).toFixed(1)} % |`);
}
console.log(`| **all of the main thread** | **${(busy / requests).toFixed(2)}** | 100 % |`);
