import type { ConsoleModule } from '..';
import { ListingsPage } from './listings';
import { FraudQueue } from './queue';

const module: ConsoleModule = {
  id: 'fraud',
  nav: 'nav.fraud',
  home: '/fraud',
  routes: [
    { pattern: '/fraud', Page: FraudQueue },
    { pattern: '/fraud/listings', Page: ListingsPage },
  ],
};
export default module;
