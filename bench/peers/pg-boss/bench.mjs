// pg-boss peer: N no-op jobs in its own database, W work() subscriptions fetching batches of S in one process.
import PgBoss from 'pg-boss';
import pg from 'pg';
import { settings as s, singleAdds, workDown, now, report, installed, pgCommits } from '../common.mjs';

const boss = new PgBoss({ connectionString: s.pgUrl, max: s.workers + s.clients + 2 });
boss.on('error', (e) => console.error(e));
await boss.start();
await boss.createQueue('noop');
const submit = await singleAdds(s.latencyJobs, s.clients, () => boss.send('noop', {}));
const bulkStart = now();
for (let added = s.latencyJobs; added < s.jobs; added += 1000) {
  const n = Math.min(1000, s.jobs - added);
  await boss.insert(Array.from({ length: n }, () => ({ name: 'noop', data: {} })));
}
const bulkSeconds = (now() - bulkStart) / 1000;

const stats = new pg.Client({ connectionString: s.pgUrl });
await stats.connect();
const done = async () => Number((await stats.query(
  "SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'noop' AND state = 'completed'")).rows[0].n);
const before = await pgCommits(stats);
const start = now();
// v10 dropped teamSize: docs point to batchSize (jobs fetched and completed per round trip) for throughput.
for (let i = 0; i < s.workers; i++) {
  await boss.work('noop', { batchSize: s.concurrency, pollingIntervalSeconds: 0.5 }, async () => {});
}
const throughput = await workDown(s.jobs, done, start);
const after = await pgCommits(stats);
const completed = throughput.completed;
await boss.stop({ graceful: false, wait: false });
await stats.end();

report({
  peer: 'pg-boss',
  version: installed('pg-boss'),
  config: `${s.workers} work() × batchSize ${s.concurrency} in one Node process, polling 0.5 s (the minimum; v10 waits it between fetches even after a full batch, so the ceiling is ${s.workers} × ${s.concurrency} / 0.5 s); insert() by 1000 for the backlog`,
  submit,
  bulkSeconds,
  throughput,
  commitsPerJob: completed ? (after - before) / completed : null,
});
process.exit(0);
