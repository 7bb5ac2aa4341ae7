// Runs the mail benchmark's fixture internet in its own process (as real servers would be) and
// prints one JSON line with how to reach it. Then answers each `queries` line on stdin with a
// JSON line: the questions every resolver has received so far. Serves until stdin closes.
//   node bench/mail-fixtures-server.ts DOMAINS RESOLVERS
import { createInterface } from 'node:readline';
import { startMailFixtures } from './mail-fixtures.ts';

const fixtures = await startMailFixtures({ domains: Number(process.argv[2] ?? '500'), resolverSlots: Number(process.argv[3] ?? '16') });
const { queries: _queries, close: _close, ...info } = fixtures;
process.stdout.write(`${JSON.stringify(info)}\n`);
const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  if (line.trim() === 'queries') process.stdout.write(`${JSON.stringify(fixtures.queries())}\n`);
});
lines.on('close', () => {
  void fixtures.close().then(() => process.exit(0));
});
