import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { startEmbeddedServer, type EmbeddedServer } from '../../support/embedded-server.js';
import { exportedSeries, metricNamesIn, ruleExpressions } from '../../support/promql-names.js';
import { requireTool } from '../../support/require-tool.js';

const root = path.resolve(import.meta.dirname, '../../..');
const prometheusDir = path.join(root, 'ops/prometheus');
const alertsYaml = readFileSync(path.join(prometheusDir, 'alerts.yml'), 'utf8');
const dashboard = JSON.parse(readFileSync(path.join(root, 'ops/grafana/onsale.json'), 'utf8')) as {
  panels: { id: number; type: string; title: string; targets?: { expr: string }[] }[];
};

function promtool(...args: string[]): string {
  return execFileSync('promtool', args, { cwd: prometheusDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

describe('ops/prometheus: scrape config and alert rules (promtool)', function () {
  this.timeout(30_000);

  before(function () {
    requireTool(this, 'promtool', "Debian's prometheus package; .ci/run installs it");
  });

  it('when promtool checks prometheus.yml, then the config and the rule file it names are valid', () => {
    expect(promtool('check', 'config', 'prometheus.yml')).to.contain('SUCCESS');
  });

  it('when promtool checks alerts.yml, then every rule parses', () => {
    expect(promtool('check', 'rules', 'alerts.yml')).to.match(/SUCCESS: 9 rules found/);
  });

  it('when promtool runs the unit tests of the rules, then each alert fires on its series and stays quiet on a healthy one', () => {
    expect(promtool('test', 'rules', 'alerts.test.yml')).to.contain('SUCCESS');
  });
});

describe('ops/prometheus alerts and ops/grafana dashboard read only metrics the server exports', function () {
  this.timeout(30_000);
  let server: EmbeddedServer;
  let exported: Set<string>;

  before(async () => {
    server = await startEmbeddedServer('silent');
    // a request first, so that every lazily created metric exists
    await fetch(`${server.base}/health/ready`);
    exported = exportedSeries(await (await fetch(`${server.base}/metrics`)).text());
    exported.add('up'); // written by Prometheus for every target
  });
  after(async () => {
    await server?.close();
  });

  const unknown = (exprs: string[]) =>
    exprs.flatMap((expr) =>
      metricNamesIn(expr)
        .filter((name) => !exported.has(name))
        .map((name) => `${name} in ${expr}`),
    );

  it('when every alert expression is read, then each metric it names is in /metrics', () => {
    const exprs = ruleExpressions(alertsYaml);
    expect(exprs).to.have.length((alertsYaml.match(/^\s*- alert:/gm) ?? []).length);
    expect(exprs.flatMap(metricNamesIn)).to.include.members(['onsale_http_requests_total', 'nodejs_eventloop_lag_p99_seconds']);
    expect(unknown(exprs)).to.deep.equal([]);
  });

  it('when every dashboard query is read, then each metric it names is in /metrics', () => {
    const exprs = dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((target) => target.expr));
    expect(exprs.length).to.be.greaterThan(20);
    expect(unknown(exprs)).to.deep.equal([]);
  });

  it('when the dashboard is loaded, then every panel but the rows has a query and the panel ids are unique', () => {
    const panels = dashboard.panels.filter((panel) => panel.type !== 'row');
    expect(panels.filter((panel) => !panel.targets?.length).map((panel) => panel.title)).to.deep.equal([]);
    const ids = dashboard.panels.map((panel) => panel.id);
    expect(new Set(ids).size).to.equal(ids.length);
  });
});
