import { expect } from 'chai';
import { exportedSeries, metricNamesIn, ruleExpressions } from '../../support/promql-names.js';

describe('PromQL metric names (the check behind the dashboard and alert specs)', () => {
  it('when an expression has functions, grouping, matchers, ranges and Grafana variables, then only its metric names are read', () => {
    const expr =
      'histogram_quantile(0.99, sum by (le, route) (rate(onsale_http_request_duration_seconds_bucket{route=~"/api/.*",instance=~"$instance"}[$__rate_interval]))) > 1e3';
    expect(metricNamesIn(expr)).to.deep.equal(['onsale_http_request_duration_seconds_bucket']);
    expect(
      metricNamesIn('(max by (show) (onsale_queue_waiting) > 0) unless on (show) (sum by (show) (increase(made_up_total[5m])) > 0)'),
    ).to.deep.equal(['onsale_queue_waiting', 'made_up_total']);
    expect(metricNamesIn('up{job="onsale"} == 0')).to.deep.equal(['up']);
  });

  it('when a rules file has single-line and block expressions, then both are read whole', () => {
    const yaml = [
      'groups:',
      '  - rules:',
      '      - alert: A',
      '        expr: up == 0',
      '      - alert: B',
      '        expr: |',
      '          sum(rate(a_total[5m]))',
      '            / sum(rate(b_total[5m]))',
      '        for: 5m',
    ].join('\n');
    expect(ruleExpressions(yaml).map((expr) => expr.replace(/\s+/g, ' '))).to.deep.equal([
      'up == 0',
      'sum(rate(a_total[5m])) / sum(rate(b_total[5m]))',
    ]);
  });

  it('when /metrics declares a histogram, then its bucket, sum and count series are known', () => {
    const names = exportedSeries('# HELP x_seconds x\n# TYPE x_seconds histogram\n# TYPE y_total counter\n');
    expect([...names].sort()).to.deep.equal(['x_seconds', 'x_seconds_bucket', 'x_seconds_count', 'x_seconds_sum', 'y_total']);
  });
});
