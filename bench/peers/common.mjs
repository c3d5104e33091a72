// Shared by the Node peers: the harness's settings, latency statistics and the one result line it reads.
export const settings = {
  jobs: Number(process.env.BENCH_JOBS ?? 2000),
  latencyJobs: Number(process.env.BENCH_LATENCY_JOBS ?? 200),
  clients: Number(process.env.BENCH_CLIENTS ?? 16),
  workers: Number(process.env.BENCH_WORKERS ?? 2),
  concurrency: Number(process.env.BENCH_CONCURRENCY ?? 50),
  deadlineSeconds: Number(process.env.BENCH_DEADLINE_SECONDS ?? 30),
  pgUrl: process.env.PG_URL,
  redisHost: process.env.REDIS_HOST ?? '127.0.0.1',
  redisPort: Number(process.env.REDIS_PORT ?? 6379),
};

export const now = () => Number(process.hrtime.bigint()) / 1e6;

export function percentiles(ms) {
  const s = [...ms].sort((a, b) => a - b);
  const at = (p) => (s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] : null);
  return { p50: at(50), p95: at(95), p99: at(99) };
}

/** Adds `count` jobs one at a time from `clients` concurrent callers; latency per add and jobs/s overall. */
export async function singleAdds(count, clients, add) {
  const latencies = [];
  let next = 0;
  const start = now();
  await Promise.all(Array.from({ length: clients }, async () => {
    while (next < count) {
      next++;
      const t = now();
      await add();
      latencies.push(now() - t);
    }
  }));
  const seconds = (now() - start) / 1000;
  return { jobs: count, clients, seconds, jobsPerSecond: count / seconds, ...percentiles(latencies) };
}

/** Polls `done()` until it reaches `total` or the deadline passes; a partial count is reported, not hidden. */
export async function workDown(total, done, start) {
  const deadline = start + settings.deadlineSeconds * 1000;
  let completed = 0;
  while ((completed = await done()) < total && now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
  }
  const seconds = (now() - start) / 1000;
  return { jobs: total, completed, seconds, jobsPerSecond: completed / seconds, timedOut: completed < total };
}

export async function pgCommits(client) {
  const r = await client.query('SELECT xact_commit::bigint AS c FROM pg_stat_database WHERE datname = current_database()');
  return Number(r.rows[0].c);
}

export function report(result) {
  console.log('RESULT ' + JSON.stringify(result));
}

import { readFileSync } from 'node:fs';

/** The installed version of a package, read from its manifest (its exports may hide package.json). */
export function installed(pkg) {
  return JSON.parse(readFileSync(new URL(`./${process.env.BENCH_PEER_DIR}/node_modules/${pkg}/package.json`, import.meta.url))).version;
}
