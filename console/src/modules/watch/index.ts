import type { ConsoleModule } from '..';
import { WatchPage } from './page';

const module: ConsoleModule = {
  id: 'watch',
  nav: 'nav.watch',
  home: '/watch',
  routes: [{ pattern: '/watch', Page: WatchPage }],
};
export default module;
