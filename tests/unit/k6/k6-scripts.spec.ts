import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../../..');
const scripts = ['k6/flash-sale.js', 'k6/read-vs-write.js', 'k6/best-available.js'];

describe('k6 scripts', () => {
  for (const script of scripts) {
    const source = readFileSync(path.join(root, script), 'utf8');

    it(`when ${script} is parsed, then it is valid JavaScript that imports only k6 modules`, () => {
      execFileSync(process.execPath, ['--check', path.join(root, script)]);
      const imports = [...source.matchAll(/^import .* from '([^']+)';$/gm)].map((match) => match[1]);
      expect(imports.length).to.be.greaterThan(0);
      for (const name of imports) expect(name).to.match(/^k6(\/|$)/);
    });

    it(`when ${script} runs, then it reads the seed output and has latency, error and oversell thresholds`, () => {
      expect(source).to.contain('new SharedArray(');
      expect(source).to.match(/open\(SEED_FILE\)/);
      expect(source).to.match(/http_req_duration\{[^}]+\}': \['p\(95\)</);
      expect(source).to.contain("http_req_failed: ['rate<0.01']");
      expect(source).to.contain("oversold: ['count==0']");
      expect(source).to.contain('export function teardown()');
    });
  }
});
