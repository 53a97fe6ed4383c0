// Sign-in figures (issue 3, item 4), run by bench/run.sh against the bench server:
//  1. timing: median time of a sign-in with an unknown login vs a known login with a
//     wrong password (they must not be told apart), alternating
//     (bench/run.sh starts the server without throttling);
//  2. a flood: 200 sign-ins at once while one client reads complaints; how many were
//     answered 503 at once, and the read latency meanwhile.
// Usage: node bench/login.mjs URL TOKEN NUMBER
const [url, token, number] = process.argv.slice(2);
const post = (body) => fetch(url + '/api/session', {
  method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
});
const median = (a) => { const s = [...a].sort((x, y) => x - y); return s[Math.floor(s.length / 2)]; };
const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;

async function timing(rounds) {
  const unknown = [], wrong = [];
  for (let i = 0; i < rounds; i++) {
    for (const [list, login] of [[unknown, `nobody${i}`], [wrong, 'bench']]) {
      const t0 = process.hrtime.bigint();
      const r = await post({ login, password: `Wrong-Passw0rd-${i}` });
      await r.arrayBuffer();
      if (r.status === 401) list.push(ms(t0));
    }
  }
  return { unknown, wrong };
}

async function flood(n) {
  const reads = [];
  let stop = false;
  const reader = (async () => {
    while (!stop) {
      const t0 = process.hrtime.bigint();
      const r = await fetch(`${url}/api/complaints/${number}`, { headers: { Authorization: `Bearer ${token}` } });
      await r.arrayBuffer();
      reads.push(ms(t0));
    }
  })();
  const statuses = {};
  const t0 = process.hrtime.bigint();
  await Promise.all(Array.from({ length: n }, async (_, i) => {
    const r = await post({ login: `flood${i}`, password: 'Wrong-Passw0rd-1' });
    await r.arrayBuffer();
    statuses[r.status] = (statuses[r.status] || 0) + 1;
  }));
  const total = ms(t0);
  stop = true;
  await reader;
  return { statuses, total, reads };
}

const t = await timing(20);
console.log(`login: unknown login median ${median(t.unknown).toFixed(1)} ms (${t.unknown.length}), ` +
  `wrong password median ${median(t.wrong).toFixed(1)} ms (${t.wrong.length}), ` +
  `ratio ${(median(t.unknown) / median(t.wrong)).toFixed(3)}`);
const f = await flood(200);
const s = [...f.reads].sort((x, y) => x - y);
console.log(`login: flood of 200 sign-ins answered in ${f.total.toFixed(0)} ms: ${JSON.stringify(f.statuses)}; ` +
  `GET by number meanwhile: ${f.reads.length} reads, median ${median(f.reads).toFixed(2)} ms, ` +
  `max ${s[s.length - 1].toFixed(2)} ms`);
