// BullMQ peer: N no-op jobs on the harness's Redis, W Worker instances × S concurrency in one process.
import { Queue, Worker } from 'bullmq';
import IORedis from 'ioredis';
import { settings as s, singleAdds, workDown, now, report, installed } from '../common.mjs';

const connection = { host: s.redisHost, port: s.redisPort };
const prefix = 'bench-bullmq';
const queue = new Queue('noop', { connection, prefix });
await queue.obliterate({ force: true });
// Docs (bullmq.io/guide/going-to-production, /guide/queues/removing-jobs): remove finished jobs to keep Redis small.
const jobOptions = { removeOnComplete: true, removeOnFail: 1000 };

const submit = await singleAdds(s.latencyJobs, s.clients, () => queue.add('noop', {}, jobOptions));
const bulkStart = now();
for (let added = s.latencyJobs; added < s.jobs; added += 1000) {
  const n = Math.min(1000, s.jobs - added);
  await queue.addBulk(Array.from({ length: n }, () => ({ name: 'noop', data: {}, opts: jobOptions })));
}
const bulkSeconds = (now() - bulkStart) / 1000;

const redis = new IORedis(connection);
const commands = async () => {
  const info = await redis.info('commandstats');
  return [...info.matchAll(/calls=(\d+)/g)].reduce((sum, m) => sum + Number(m[1]), 0);
};
let completed = 0;
const before = await commands();
const start = now();
const workers = Array.from({ length: s.workers }, () => new Worker('noop', async () => {}, {
  connection, prefix, concurrency: s.concurrency, removeOnComplete: { count: 0 },
}));
for (const w of workers) w.on('completed', () => { completed++; });
const throughput = await workDown(s.jobs, async () => completed, start);
const after = await commands();
await Promise.all(workers.map((w) => w.close()));
await queue.close();
await redis.quit();

report({
  peer: 'bullmq',
  version: installed('bullmq'),
  config: `${s.workers} Worker × concurrency ${s.concurrency} in one Node process; removeOnComplete; addBulk by 1000 for the backlog`,
  submit,
  bulkSeconds,
  throughput,
  redisCommandsPerJob: completed ? (after - before) / completed : null,
});
process.exit(0);
