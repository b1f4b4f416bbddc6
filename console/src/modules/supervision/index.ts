import type { ConsoleModule } from '..';
import { CaseloadPage } from './caseload';
import { PersonPage } from './person';

const module: ConsoleModule = {
  id: 'supervision',
  nav: 'nav.supervision',
  home: '/supervision',
  routes: [
    { pattern: '/supervision', Page: CaseloadPage },
    { pattern: '/supervision/:id', Page: PersonPage },
  ],
};
export default module;
