import { createTestDatabase, requireService } from '../../support/services.js';
import { oversellSuite } from './oversell.suite.js';

oversellSuite('the oversell test (two server processes, MariaDB + Redis)', async (context) => {
  await requireService(context, 'mysql');
  return createTestDatabase('onsale_oversell');
});
