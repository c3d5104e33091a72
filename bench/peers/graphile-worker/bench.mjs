// graphile-worker peer: N no-op jobs in its own database, W runners × concurrency S in one process.
import { run, makeWorkerUtils } from 'graphile-worker';
import pg from 'pg';
import { settings as s, singleAdds, workDown, now, report, installed, pgCommits } from '../common.mjs';

const utils = await makeWorkerUtils({ connectionString: s.pgUrl });
await utils.migrate();
const submit = await singleAdds(s.latencyJobs, s.clients, () => utils.addJob('noop', {}));
const bulkStart = now();
const rest = s.jobs - s.latencyJobs;
let bulk = 'addJobs by 1000';
if (typeof utils.addJobs === 'function') {
  for (let added = 0; added < rest; added += 1000) {
    const n = Math.min(1000, rest - added);
    await utils.addJobs(Array.from({ length: n }, () => ({ identifier: 'noop', payload: {} })));
  }
} else {
  bulk = 'addJob one by one (no addJobs in this version)';
  await singleAdds(rest, s.clients, () => utils.addJob('noop', {}));
}
const bulkSeconds = (now() - bulkStart) / 1000;

const stats = new pg.Client({ connectionString: s.pgUrl });
await stats.connect();
let completed = 0;
const before = await pgCommits(stats);
const start = now();
// Docs (worker.graphile.org/docs/performance): concurrency per process near the pool size, several processes.
const runners = await Promise.all(Array.from({ length: s.workers }, () => run({
  connectionString: s.pgUrl, concurrency: s.concurrency, maxPoolSize: s.concurrency + 2, noHandleSignals: true,
  pollInterval: 2000, taskList: { noop: async () => {} },
})));
for (const r of runners) r.events.on('job:success', () => { completed++; });
const throughput = await workDown(s.jobs, async () => completed, start);
const after = await pgCommits(stats);
await Promise.all(runners.map((r) => r.stop()));
await utils.release();
await stats.end();

report({
  peer: 'graphile-worker',
  version: installed('graphile-worker'),
  config: `${s.workers} runners × concurrency ${s.concurrency} in one Node process, pool ${s.concurrency + 2}, LISTEN/NOTIFY; ${bulk}`,
  submit,
  bulkSeconds,
  throughput,
  commitsPerJob: completed ? (after - before) / completed : null,
});
process.exit(0);
