import { galeraCluster } from '../../support/galera.js';
import { oversellSuite } from '../booking/oversell.suite.js';

oversellSuite('the oversell test on Galera (two server processes through the HAProxy writer of 3 nodes, Redis)', async (context) => {
  const galera = await galeraCluster(context);
  return galera.createDatabase('onsale_oversell');
});
