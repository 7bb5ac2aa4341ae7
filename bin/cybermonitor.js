#!/usr/bin/env node
// Entry point for `npx cybermonitor` / the installed bin: the CLI itself is TypeScript run by
// Node 24's type stripping, so this shim only refuses an end-of-life Node before loading it.
const [major] = process.versions.node.split('.').map(Number);
if (major < 24) {
  console.error(`cybermonitor needs Node.js 24 or newer (this is ${process.version}); run it through npm (npm start) to use the pinned Node.`);
  process.exit(1);
}
const { main } = await import('../src/cli/main.ts');
const code = await main(process.argv);
if (code !== 0) process.exit(code);
