import type { ConsoleModule } from '..';
import { AlertDetailPage } from './detail';
import { AlertQueue } from './queue';

const module: ConsoleModule = {
  id: 'alerts',
  nav: 'nav.alerts',
  home: '/alerts',
  routes: [
    { pattern: '/alerts', Page: AlertQueue },
    { pattern: '/alerts/:id', Page: AlertDetailPage },
  ],
};
export default module;
