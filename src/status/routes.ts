import { connectionRoutes } from './pages/connection.js';
import { dashboardRoutes } from './pages/dashboard.js';
import { dossierRoutes } from './pages/dossier.js';
import { importRoutes } from './pages/import.js';
import { logsRoutes } from './pages/logs.js';
import { quarantineRoutes } from './pages/quarantine.js';
import { searchRoutes } from './pages/search.js';
import { settingsRoutes } from './pages/settings.js';
import type { Route } from './page.js';

/** Every page of the status site. */
export const STATUS_ROUTES: readonly Route[] = [
  ...dashboardRoutes, ...dossierRoutes, ...searchRoutes, ...quarantineRoutes, ...settingsRoutes,
  ...connectionRoutes, ...logsRoutes, ...importRoutes,
];
